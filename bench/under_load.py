"""Requests per second through gunicorn on loopback, at several concurrencies, beside the floor.

Each endpoint runs for a bounded time per concurrency; the floor (`/bench/floor/`) runs at the
same concurrencies first, so every row shows what the server does with a view that does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from .latency import FLOOR
from .load import LoadResult, Target, load_run
from .progress import log
from .server import gunicorn_running
from .shoppers import Shopper

CONCURRENCIES = (1, 8, 32)
SECONDS = 5.0
# Untimed, before each endpoint's runs: the workers' connections and caches.
WARM_UP_SECONDS = 1.0


@dataclass(frozen=True)
class UnderLoad:
    endpoint: str
    concurrency: int
    requests: int
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    floor_per_second: float


def shopper_cookie(shopper: Shopper) -> str:
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={shopper.client.cookies[name].value}"


def endpoint_targets(
    shoppers: list[Shopper], product_ids: list[int], page_urls: list[str], k: int
) -> dict[str, list[Target]]:
    query = urlencode({"k": k})
    cookies = [shopper_cookie(s) for s in shoppers]
    similar = [
        reverse("recommendations_api:product-similar", args=[pk]) + f"?{query}"
        for pk in product_ids
    ]
    for_you = reverse("recommendations_api:for-you") + f"?{query}"
    return {
        FLOOR: [Target(reverse("bench-floor"), cookie) for cookie in cookies],
        "similar API": [
            Target(path, cookie) for path, cookie in zip(similar, cookies, strict=False)
        ],
        "for-you API": [Target(for_you, cookie) for cookie in cookies],
        "product page": [
            Target(path, cookie) for path, cookie in zip(page_urls, cookies, strict=False)
        ],
    }


def under_load_measure(targets: dict[str, list[Target]]) -> list[UnderLoad]:
    rows, floor = [], {}
    with gunicorn_running() as port:
        for endpoint, requests in targets.items():
            log(f"under load: {endpoint}, {SECONDS:g} s at each of {CONCURRENCIES}")
            load_run(port, requests, concurrency=2, seconds=WARM_UP_SECONDS)
            for concurrency in CONCURRENCIES:
                result = load_run(port, requests, concurrency=concurrency, seconds=SECONDS)
                floor.setdefault(concurrency, result.per_second)
                rows.append(under_load_row(endpoint, result, floor[concurrency]))
    return rows


def under_load_row(endpoint: str, result: LoadResult, floor_per_second: float) -> UnderLoad:
    return UnderLoad(
        endpoint=endpoint,
        concurrency=result.concurrency,
        requests=result.requests,
        per_second=result.per_second,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        errors=result.errors,
        floor_per_second=floor_per_second,
    )
