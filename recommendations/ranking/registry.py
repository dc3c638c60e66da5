"""Strategies by name, from settings, so a shop can add and replace them."""

from __future__ import annotations

from functools import cache

from django.core.signals import setting_changed
from django.utils.module_loading import import_string

from ..conf import app_settings
from .base import Strategy


class UnknownStrategy(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown strategy {name!r}; valid: {', '.join(strategy_names())}")


def strategy_names() -> list[str]:
    return sorted(app_settings.STRATEGIES)


@cache
def _build(name: str, path: str) -> Strategy:
    strategy = import_string(path)()
    strategy.name = name
    return strategy


def get_strategy(name: str) -> Strategy:
    try:
        path = app_settings.STRATEGIES[name]
    except KeyError:
        raise UnknownStrategy(name) from None
    return _build(name, path)


def _clear(*, setting: str, **kwargs) -> None:
    if setting.startswith("RECOMMENDATIONS"):
        _build.cache_clear()


setting_changed.connect(_clear)
