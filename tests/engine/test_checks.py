"""Check E001: a missing or wrong product model is named at start-up rather than by a traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings

from recommendations.checks import check_product_model

ROOT = Path(__file__).resolve().parents[2]
HINT = "Set it to 'app_label.ModelName' of your product model, like AUTH_USER_MODEL."


def test_the_installed_product_model_passes():
    assert check_product_model() == []


@pytest.mark.parametrize("name", ["nowhere.Product", "testapp.Nothing", "Product"])
def test_a_wrong_product_model_is_named(name):
    with override_settings(RECOMMENDATIONS_PRODUCT_MODEL=name):
        errors = check_product_model()
    assert [(e.id, e.msg, e.hint) for e in errors] == [
        (
            "recommendations.E001",
            f"RECOMMENDATIONS_PRODUCT_MODEL is {name!r}, which is not an installed model.",
            HINT,
        )
    ]


def test_a_missing_product_model_is_named():
    with override_settings():
        del settings.RECOMMENDATIONS_PRODUCT_MODEL
        errors = check_product_model()
    assert [(e.id, e.msg) for e in errors] == [
        ("recommendations.E001", "RECOMMENDATIONS_PRODUCT_MODEL is not set.")
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("model", "problem"),
    [
        ("", "is not set"),
        ("nowhere.Product", "is 'nowhere.Product', which is not an installed model"),
    ],
)
def test_manage_py_check_names_the_setting(db, model, problem):
    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="tests.engine.misconfigured_settings",
        TEST_PRODUCT_MODEL=model,
        TEST_WORKER_DB_NAME=connection.settings_dict["NAME"],
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--tag", "recommendations"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert "Traceback" not in result.stderr, result.stderr
    assert f"(recommendations.E001) RECOMMENDATIONS_PRODUCT_MODEL {problem}." in result.stderr
