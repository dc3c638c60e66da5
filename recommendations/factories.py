"""Cached factories for the swappable parts named in settings (like allauth's get_adapter)."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from .conf import app_settings


def _load(setting: str):
    path = getattr(app_settings, setting)
    try:
        return import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"RECOMMENDATIONS['{setting}'] = {path!r}: {exc}") from exc


@cache
def get_adapter():
    return _load("PRODUCT_ADAPTER")()


@cache
def get_encoder():
    """One encoder per process: loading a Transformer takes seconds and hundreds of MB."""
    return _load("ENCODER")(**app_settings.ENCODER_OPTIONS)


@cache
def get_document_function() -> Callable:
    return _load("DOCUMENT_FUNCTION")


@cache
def get_reason_generator():
    """One generator per process: the local model loads for tens of seconds."""
    reasons = app_settings.REASONS
    name = reasons["GENERATOR"]
    path = reasons["GENERATORS"].get(name)
    if not path:
        valid = ", ".join(sorted(reasons["GENERATORS"]))
        raise ImproperlyConfigured(
            f"RECOMMENDATIONS['REASONS']['GENERATOR'] = {name!r}; valid: {valid}"
        )
    try:
        return import_string(path)()
    except ImportError as exc:
        raise ImproperlyConfigured(f"RECOMMENDATIONS['REASONS'] generator {name!r}: {exc}") from exc


def clear_caches(*, setting: str = "RECOMMENDATIONS", **kwargs) -> None:
    """Connected to `setting_changed`: whoever caches, clears."""
    if setting.startswith("RECOMMENDATIONS"):
        for factory in (get_adapter, get_encoder, get_document_function, get_reason_generator):
            factory.cache_clear()


setting_changed.connect(clear_caches)
