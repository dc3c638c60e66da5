"""Latency of similar-products, for-you and sequential through five layers: HTTP API, selector,
the API's own SQL, bare SQL and the floor; for sequential also the network's encoding of the
shopper's history alone.

The API is called with Django's test `Client`, in process: the whole middleware stack, DRF,
the selector and serialization, without sockets or an HTTP server. The bare SQL is what the
database must do at least: for similar the pgvector query with the vector passed in, for for-you
the shopper's vector read by key and then that query, two round trips. So API / SQL is what the
layers above the index cost. The API's own SQL is every statement one API call reads with, as it
sent them, replayed on one cursor with nothing around them: API / own SQL is what Django, DRF
and the engine's Python cost over the database work the endpoint does. The floor is a trivial
DRF view (`bench/floor.py`) through the same client, so what Django itself costs here is printed
beside every row. Each case runs its layers in random order, so drift (caches, other load)
spreads evenly over all of them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import ProductEmbedding, SequentialItem, ShopperEmbedding
from recommendations.models.sequential import SEQUENTIAL_WIDTH
from recommendations.recommenders.sequential.recommender import shopper_actions
from recommendations.recommenders.sequential.served import Served, one_thread
from recommendations.selectors import for_you, recommend, similar_products

from .progress import bar
from .shoppers import HISTORY_ACTIONS, Shopper
from .vectors import vector_text

# Cases run once untimed first: connection set-up, plan caches, the first index pages read.
WARM_UP_CASES = 20
BARE_SQL = (
    f"SELECT product_id FROM {ProductEmbedding._meta.db_table}"
    " ORDER BY vector <=> %s::vector LIMIT %s"
)
# The sequence model's search: largest inner product (<#> is its negative) in one version.
SEQUENTIAL_SQL = (
    f"SELECT product_id FROM {SequentialItem._meta.db_table} WHERE model_id = %s"
    " ORDER BY vector <#> %s::vector LIMIT %s"
)
SHOPPER_SQL = f"SELECT vector FROM {ShopperEmbedding._meta.db_table} WHERE shopper = %s"
FLOOR = "floor"
OWN_SQL = "API's own SQL, bare"
ENCODE = f"encode a {HISTORY_ACTIONS}-action history"

# One call: returns seconds spent on the measured part and how many results came back.
Probe = Callable[[], tuple[float, int]]


@dataclass(frozen=True)
class Latency:
    endpoint: str
    layer: str
    queries: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    results: float
    sql_queries: int
    # p50 over the floor's p50 in the same interleaved run.
    x_floor: float


def api_probe(client: Client, url: str, params: dict) -> Probe:
    def probe() -> tuple[float, int]:
        started = time.perf_counter()
        response = client.get(url, params)
        seconds = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"GET {url} answered {response.status_code}: {response.content!r}")
        return seconds, response.json()["count"]

    return probe


def own_sql_probe(api: Probe) -> Probe:
    """The read statements of one API call, captured on its first use (untimed) and replayed.
    Writes (the session's, impressions) are left out: replaying them would change what the
    next call reads."""
    statements: list[tuple[str, Any]] = []

    def capture(execute, sql, params, many, context):
        if not many and sql.lstrip()[:6].upper() == "SELECT":
            statements.append((sql, params))
        return execute(sql, params, many, context)

    def probe() -> tuple[float, int]:
        if not statements:
            with connection.execute_wrapper(capture):
                api()
        with connection.cursor() as cursor:
            started = time.perf_counter()
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
            return time.perf_counter() - started, len(statements)

    return probe


def call_probe(function: Callable[[], list]) -> Probe:
    def probe() -> tuple[float, int]:
        started = time.perf_counter()
        results = function()
        return time.perf_counter() - started, len(results)

    return probe


def sql_probe(sql: str, params: list) -> Probe:
    def probe() -> tuple[float, int]:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            return time.perf_counter() - started, len(rows)

    return probe


def floor_probe(client: Client) -> Probe:
    return api_probe(client, reverse("bench-floor"), {})


def for_you_sql_probe(shopper: str, k: int) -> Probe:
    def probe() -> tuple[float, int]:
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(SHOPPER_SQL, [shopper])
            (vector,) = cursor.fetchone()
            cursor.execute(BARE_SQL, [vector, k])
            rows = cursor.fetchall()
            return time.perf_counter() - started, len(rows)

    return probe


def similar_cases(product_ids: list[int], k: int) -> list[dict[str, Probe]]:
    vectors = dict(
        ProductEmbedding.objects.filter(product_id__in=product_ids).values_list(
            "product_id", "vector"
        )
    )
    client = Client()
    cases = []
    for pk in product_ids:
        api = api_probe(client, reverse("recommendations_api:product-similar", args=[pk]), {"k": k})
        cases.append(
            {
                "HTTP API": api,
                "selector": call_probe(lambda pk=pk: similar_products(pk, k=k)),
                OWN_SQL: own_sql_probe(api),
                "bare SQL": sql_probe(BARE_SQL, [vector_text(vectors[pk]), k]),
                FLOOR: floor_probe(client),
            }
        )
    return cases


def for_you_cases(shoppers: list[Shopper], k: int) -> list[dict[str, Probe]]:
    url = reverse("recommendations_api:for-you")
    cases = []
    for s in shoppers:
        api = api_probe(s.client, url, {"k": k})
        cases.append(
            {
                "HTTP API": api,
                "selector": call_probe(lambda key=s.key: for_you(key, k=k)),
                OWN_SQL: own_sql_probe(api),
                "bare SQL": for_you_sql_probe(s.key, k),
                FLOOR: floor_probe(s.client),
            }
        )
    return cases


def sequential_cases(
    shoppers: list[Shopper], k: int, *, served: Served, version: int
) -> list[dict[str, Probe]]:
    """The bare query searches with the state the strategy computes: the shopper's latest
    actions, read and encoded as the recommender does, zero-padded to the column's width."""
    url = reverse("recommendations_api:strategy")
    padding = np.zeros(SEQUENTIAL_WIDTH - served.width, dtype=np.float32)
    cases = []
    for s in shoppers:
        actions = shopper_actions(s.key, served.max_length)
        state = served.states([actions])[0]
        api = api_probe(s.client, url, {"strategy": "sequential", "k": k})
        cases.append(
            {
                "HTTP API": api,
                "selector": call_probe(lambda key=s.key: recommend("sequential", shopper=key, k=k)),
                OWN_SQL: own_sql_probe(api),
                "bare SQL": sql_probe(
                    SEQUENTIAL_SQL, [version, vector_text(np.concatenate([state, padding])), k]
                ),
                ENCODE: encode_probe(served, actions),
                FLOOR: floor_probe(s.client),
            }
        )
    sequential_check(shoppers[0].key, k)
    return cases


def encode_probe(served: Served, actions: list[tuple[int, str]]) -> Probe:
    """Counts the actions the network encodes: those of products it knows, at most max_length."""
    steps = len(served.steps(actions)[0])

    def probe() -> tuple[float, int]:
        started = time.perf_counter()
        # As the recommender encodes online: on one thread.
        with one_thread():
            served.states([actions])
        return time.perf_counter() - started, steps

    return probe


def sequential_check(shopper: str, k: int) -> None:
    """The strategy answers "for you" when the sequence model says nothing (no model, no
    history); the rows would then time that."""
    results = recommend("sequential", shopper=shopper, k=k)
    if not results or results[0].strategy != "sequential":
        answered = results[0].strategy if results else "nothing"
        raise RuntimeError(f"the sequential strategy answered with {answered}, not its model")


def latency_measure(
    endpoint: str, cases: list[dict[str, Probe]], rng: random.Random
) -> list[Latency]:
    for case in cases[:WARM_UP_CASES]:
        for probe in case.values():
            probe()
    timings: dict[str, list[tuple[float, int]]] = {layer: [] for layer in cases[0]}
    with bar(len(cases), endpoint) as progress:
        for case in cases:
            for layer in rng.sample(list(case), len(case)):
                timings[layer].append(case[layer]())
            progress.update()
    floor_p50 = float(np.percentile([seconds for seconds, _ in timings[FLOOR]], 50)) * 1000
    return [
        latency_summary(
            endpoint,
            layer,
            runs,
            sql_queries=queries_per_call(cases[0][layer]),
            floor_p50_ms=floor_p50,
        )
        for layer, runs in timings.items()
    ]


def queries_per_call(probe: Probe) -> int:
    """Counted on an extra, untimed call: capturing queries slows them."""
    with CaptureQueriesContext(connection) as captured:
        probe()
    return len(captured)


def latency_summary(
    endpoint: str,
    layer: str,
    runs: list[tuple[float, int]],
    *,
    sql_queries: int,
    floor_p50_ms: float,
) -> Latency:
    ms = np.array([seconds for seconds, _ in runs]) * 1000
    p50, p95, p99 = np.percentile(ms, [50, 95, 99])
    return Latency(
        endpoint=endpoint,
        layer=layer,
        queries=len(runs),
        p50_ms=round(float(p50), 2),
        p95_ms=round(float(p95), 2),
        p99_ms=round(float(p99), 2),
        mean_ms=round(float(ms.mean()), 2),
        results=round(float(np.mean([n for _, n in runs])), 2),
        sql_queries=sql_queries,
        x_floor=round(float(p50) / floor_p50_ms, 1),
    )
