"""The settings object: documented defaults, read lazily, reloaded when a test overrides them."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from recommendations.conf import DEFAULTS, app_settings


@override_settings(RECOMMENDATIONS={})
def test_every_setting_has_its_default_when_the_host_sets_none():
    for name, default in DEFAULTS.items():
        assert getattr(app_settings, name) == default, name


def test_an_override_applies_at_once_and_ends_with_the_override():
    before = app_settings.MAX_K  # cached now
    with override_settings(RECOMMENDATIONS={"MAX_K": before + 7}):
        assert before + 7 == app_settings.MAX_K
    assert before == app_settings.MAX_K


def test_a_dict_setting_is_merged_with_its_default_and_none_removes_an_entry():
    with override_settings(
        RECOMMENDATIONS={
            "INTERACTION_WEIGHTS": {"view": 0.5},
            "RECOMMENDERS": {"factors": None},
            "ENCODER_OPTIONS": {"model_path": None, "batch_size": 8},
        }
    ):
        assert {**DEFAULTS["INTERACTION_WEIGHTS"], "view": 0.5} == app_settings.INTERACTION_WEIGHTS
        assert set(app_settings.RECOMMENDERS) == set(DEFAULTS["RECOMMENDERS"]) - {"factors"}
        # None where the default is None too stays a value: the bundled model.
        assert app_settings.ENCODER_OPTIONS["model_path"] is None
        assert app_settings.ENCODER_OPTIONS["batch_size"] == 8


def test_an_unknown_key_is_refused_by_name():
    with (
        override_settings(RECOMMENDATIONS={"MAX_KAY": 5, "DEFAULT_K": 3}),
        pytest.raises(ImproperlyConfigured, match=r"settings\.RECOMMENDATIONS: MAX_KAY$"),
    ):
        app_settings.DEFAULT_K  # noqa: B018


@override_settings(RECOMMENDATIONS=[("MAX_K", 5)])
def test_recommendations_must_be_a_dict():
    with pytest.raises(ImproperlyConfigured, match="must be a dict"):
        app_settings.MAX_K  # noqa: B018


def test_a_name_that_is_no_setting_is_an_attribute_error():
    with pytest.raises(AttributeError, match="NO_SUCH_SETTING"):
        app_settings.NO_SUCH_SETTING  # noqa: B018


def test_the_product_model_is_the_top_level_setting():
    assert app_settings.PRODUCT_MODEL == "testapp.Product"
    with override_settings(RECOMMENDATIONS_PRODUCT_MODEL="catalog.Item"):
        assert app_settings.PRODUCT_MODEL == "catalog.Item"


def test_overridden_serves_other_values_for_a_while_and_refuses_unknown_names():
    before = app_settings.CF_NEIGHBOURS
    with app_settings.overridden(CF_NEIGHBOURS=before + 1):
        assert before + 1 == app_settings.CF_NEIGHBOURS
    assert before == app_settings.CF_NEIGHBOURS
    with pytest.raises(AttributeError), app_settings.overridden(CF_NEIGHBOURZ=1):
        pass
