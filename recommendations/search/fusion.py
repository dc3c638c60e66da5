"""Reciprocal rank fusion: rankings of different kinds (text ranks, cosine distances) combine
by position alone, so no score needs calibrating against another."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def rrf_fuse(
    rankings: Mapping[str, Sequence[int]], *, weights: Mapping[str, float], k: float
) -> list[tuple[int, float]]:
    """(id, fused score), best first: each ranking adds weight / (k + position) for its ids;
    ties go to the smaller id so pages are stable."""
    scores: dict[int, float] = {}
    for name, ranking in rankings.items():
        weight = weights.get(name, 1.0)
        for position, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + weight / (k + position)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
