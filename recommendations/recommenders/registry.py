"""Recommenders by name, from settings: adding one is a module and a `RECOMMENDERS` entry."""

from __future__ import annotations

from functools import cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..conf import app_settings
from .base import Recommender


class UnknownRecommender(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown recommender {name!r}; valid: {', '.join(recommender_names())}")


def recommender_names() -> list[str]:
    return list(app_settings.RECOMMENDERS)


@cache
def _build(name: str, path: str) -> Recommender:
    recommender = import_string(path)()
    recommender.name = name
    return recommender


def get_recommender(name: str) -> Recommender:
    try:
        path = app_settings.RECOMMENDERS[name]
    except KeyError:
        raise UnknownRecommender(name) from None
    return _build(name, path)


def hybrid_weights(weights: dict[str, float] | None = None) -> dict[str, float]:
    """Every recommender's weight in "for you": HYBRID_WEIGHTS (or `weights`), else its own
    default."""
    given = app_settings.HYBRID_WEIGHTS if weights is None else weights
    return {
        name: float(given.get(name, get_recommender(name).default_weight))
        for name in recommender_names()
    }


def _clear(*, setting: str, **kwargs) -> None:
    if setting.startswith("RECOMMENDATIONS"):
        _build.cache_clear()


setting_changed.connect(_clear)
