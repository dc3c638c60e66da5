"""Throttles that read their rates per request, so ``override_settings`` applies in tests."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class SettingsScopedRateThrottle(ScopedRateThrottle):
    """DRF binds ``THROTTLE_RATES`` when it is imported; this looks the rate up when used."""

    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        return api_settings.DEFAULT_THROTTLE_RATES
