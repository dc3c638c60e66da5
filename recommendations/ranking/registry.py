"""Strategies by name, from settings, so the behaviour issue can add and replace them."""

from __future__ import annotations

from functools import cache

from django.utils.module_loading import import_string

from ..conf import app_settings
from .base import Strategy


class UnknownStrategy(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown strategy {name!r}; valid: {', '.join(strategy_names())}")


def strategy_names() -> list[str]:
    return sorted(app_settings.STRATEGIES)


@cache
def _strategy(path: str) -> Strategy:
    return import_string(path)()


def get_strategy(name: str) -> Strategy:
    try:
        return _strategy(app_settings.STRATEGIES[name])
    except KeyError:
        raise UnknownStrategy(name) from None
