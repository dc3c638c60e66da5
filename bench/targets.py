"""The targets the benchmark is judged by, checked against the measurements, each printed beside
the floor (a trivial DRF view measured in the same run) so Django's own cost is in plain sight."""

from __future__ import annotations

from dataclasses import dataclass

from .latency import ENCODE, FLOOR, OWN_SQL, Latency
from .page import PageQueries
from .recall import Recall
from .throughput import Throughput
from .under_load import UnderLoad

# The pipeline may cost at most a tenth of the model's own speed.
THROUGHPUT_RATIO_MIN = 0.9
# Everything above the index (ORM, DRF, serialization) may at most double the similar query's
# time, and triple the queries for-you needs (issue 13). The issue sets no number for sequential,
# whose API also reads and encodes the shopper's history, which the bare query does not: its
# ratio is reported without one.
API_TO_SQL_P50_MAX = {"similar": 2.0, "for-you": 3.0}
# The sequential strategy encodes the shopper's history on every request (so does for-you).
ENCODE_P50_MAX_MS = 10.0
PAGE_QUERIES_MAX = 8
FOR_YOU_P99_MAX_MS = 25.0
RECALL_MIN = 0.98


@dataclass(frozen=True)
class Target:
    metric: str
    value: float
    target: str
    # None: reported, not judged.
    met: bool | None
    # The floor's figure in the same unit, measured in the same run; "" where none applies.
    floor: str


def latency_targets(latency: list[Latency]) -> list[Target]:
    rows = {(row.endpoint, row.layer): row for row in latency}
    targets = []
    for endpoint in dict.fromkeys(row.endpoint for row in latency):
        api, sql, floor = (rows[endpoint, layer] for layer in ("HTTP API", "bare SQL", FLOOR))
        ratio = round(api.p50_ms / sql.p50_ms, 2)
        maximum = API_TO_SQL_P50_MAX.get(endpoint)
        targets.append(
            Target(
                f"{endpoint}: API p50 / bare SQL p50 ({api.p50_ms} / {sql.p50_ms} ms)",
                ratio,
                "none set" if maximum is None else f"<= {maximum}",
                None if maximum is None else ratio <= maximum,
                f"p50 {floor.p50_ms} ms; API = {api.x_floor}x floor",
            )
        )
        own = rows.get((endpoint, OWN_SQL))
        if own is not None:
            targets.append(
                Target(
                    f"{endpoint}: API p50 / its own reads bare p50 "
                    f"({api.p50_ms} / {own.p50_ms} ms)",
                    round(api.p50_ms / own.p50_ms, 2),
                    "none set",
                    None,
                    f"p50 {floor.p50_ms} ms",
                )
            )
    encode = rows.get(("sequential", ENCODE))
    if encode is not None:
        targets.append(
            Target(
                f"sequential: {ENCODE}, p50 ms",
                encode.p50_ms,
                f"< {ENCODE_P50_MAX_MS}",
                encode.p50_ms < ENCODE_P50_MAX_MS,
                "",
            )
        )
    return targets


def demo_target(demo: list[Latency]) -> Target:
    rows = {row.layer: row for row in demo}
    for_you, floor = rows["HTTP API"], rows[FLOOR]
    return Target(
        f"for-you: API p99 in process, demo data ({for_you.queries} calls), ms",
        for_you.p99_ms,
        f"< {FOR_YOU_P99_MAX_MS}",
        for_you.p99_ms < FOR_YOU_P99_MAX_MS,
        f"p99 {floor.p99_ms} ms",
    )


def page_target(page: PageQueries, latency: list[Latency]) -> Target:
    floor = next(row for row in latency if row.endpoint == "for-you" and row.layer == FLOOR)
    return Target(
        f"product page: SQL statements ({page.writes} writes)",
        page.queries,
        f"<= {PAGE_QUERIES_MAX}",
        page.queries <= PAGE_QUERIES_MAX,
        f"{floor.sql_queries} statements",
    )


def under_load_target(rows: list[UnderLoad]) -> Target:
    errors = sum(row.errors for row in rows if row.endpoint != FLOOR)
    floor_errors = sum(row.errors for row in rows if row.endpoint == FLOOR)
    return Target(
        "under load: failed requests, all endpoints",
        errors,
        "= 0",
        errors == 0,
        f"{floor_errors} failed",
    )


def throughput_target(throughput: Throughput) -> Target:
    return Target(
        "embedding: pipeline / bare model",
        throughput.ratio,
        f">= {THROUGHPUT_RATIO_MIN}",
        throughput.ratio >= THROUGHPUT_RATIO_MIN,
        "",
    )


def recall_targets(recall: list[Recall], *, k: int) -> list[Target]:
    targets = []
    for row in recall:
        targets.append(
            Target(
                f"recall@{k}: {row.search}",
                row.recall,
                f">= {RECALL_MIN}",
                row.recall >= RECALL_MIN,
                "",
            )
        )
        targets.append(
            Target(f"results: {row.search}", row.results, f"= {k}", row.results == k, "")
        )
    return targets
