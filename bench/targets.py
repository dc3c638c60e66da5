"""The targets the benchmark is judged by, checked against the measurements."""

from __future__ import annotations

from dataclasses import dataclass

from .latency import Latency
from .recall import Recall
from .throughput import Throughput

# The pipeline may cost at most a tenth of the model's own speed.
THROUGHPUT_RATIO_MIN = 0.9
# Everything above the index (ORM, DRF, serialization) may at most double the query's time.
API_TO_SQL_P50_MAX = 2.0
RECALL_MIN = 0.98


@dataclass(frozen=True)
class Target:
    metric: str
    value: float
    target: str
    met: bool


def targets_check(
    throughput: Throughput, latency: list[Latency], recall: list[Recall], *, k: int
) -> list[Target]:
    targets = [
        Target(
            "embedding: pipeline / bare model",
            throughput.ratio,
            f">= {THROUGHPUT_RATIO_MIN}",
            throughput.ratio >= THROUGHPUT_RATIO_MIN,
        )
    ]
    p50 = {(row.endpoint, row.layer): row.p50_ms for row in latency}
    for endpoint in dict.fromkeys(row.endpoint for row in latency):
        ratio = round(p50[endpoint, "HTTP API"] / p50[endpoint, "bare SQL"], 2)
        targets.append(
            Target(
                f"{endpoint}: API p50 / bare SQL p50",
                ratio,
                f"<= {API_TO_SQL_P50_MAX}",
                ratio <= API_TO_SQL_P50_MAX,
            )
        )
    for row in recall:
        targets.append(
            Target(
                f"recall@{k}: {row.search}",
                row.recall,
                f">= {RECALL_MIN}",
                row.recall >= RECALL_MIN,
            )
        )
        targets.append(Target(f"results: {row.search}", row.results, f"= {k}", row.results == k))
    return targets
