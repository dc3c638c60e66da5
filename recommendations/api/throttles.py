"""Rate limits of the public endpoints, per shopper, kept in the project's (shared) cache.

Counting by shopper (account or session) rather than by address means a visitor can't escape the
limit by sending another ``X-Forwarded-For``; a caller with neither is counted by address, and
that address trusts only the number of proxies the host configured in DRF's ``NUM_PROXIES``
(none when unset, unlike DRF's own default, which believes any ``X-Forwarded-For``). The counts
live in Django's default cache, so every worker process shares them when that cache is shared.
"""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from ..shoppers import shopper_key_for_request


class ShopperRateThrottle(ScopedRateThrottle):
    """The view's ``throttle_scope`` rate, per shopper; rates are read when used, not imported,
    so ``override_settings`` applies in tests."""

    @property
    def THROTTLE_RATES(self) -> dict[str, str | None]:
        return api_settings.DEFAULT_THROTTLE_RATES

    def get_cache_key(self, request: Request, view: APIView) -> str:
        ident = shopper_key_for_request(request) or f"a:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def get_ident(self, request: Request) -> str:
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR") or ""
        return super().get_ident(request)
