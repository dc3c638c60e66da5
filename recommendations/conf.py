"""The app's settings: one object, documented defaults, read lazily.

A host project sets a ``RECOMMENDATIONS`` dict in its Django settings; every key is optional except
``PRODUCT_MODEL``. Values are read on access and the cache is cleared on ``setting_changed`` so
``override_settings`` works in tests.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

DEFAULTS: dict[str, Any] = {
    # "app_label.ModelName" of the host shop's product model.
    "PRODUCT_MODEL": None,
}


class RecommendationSettings:
    def __init__(self) -> None:
        self._cache: dict[str, Any] = {}

    @property
    def user_settings(self) -> dict[str, Any]:
        return getattr(settings, "RECOMMENDATIONS", {}) or {}

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown recommendations setting: {name}")
        if name not in self._cache:
            self._cache[name] = self.user_settings.get(name, DEFAULTS[name])
        return self._cache[name]

    def reload(self) -> None:
        self._cache.clear()


app_settings = RecommendationSettings()


@receiver(setting_changed)
def _reload_settings(*, setting: str, **kwargs: Any) -> None:
    if setting == "RECOMMENDATIONS":
        app_settings.reload()
