"""Which experiment runs on a placement, and which variant a shopper sees.

Assignment hashes the experiment and the shopper key: the same shopper gets the same variant in
every process and on every request, and nothing is stored. Callers give every visitor a key
first (a session is started when needed); one without a key can't be told from any other, so it
sees the control's strategy without being enrolled, and its impressions count in no arm.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from django.db.models import Q
from django.utils import timezone

from ..models import Experiment, Placement, Variant
from .config import PlacementConfig


@dataclass(frozen=True)
class Assignment:
    """The strategy a placement uses for one shopper, and the experiment arm that chose it."""

    strategy: str
    experiment: Experiment | None = None
    variant: Variant | None = None


def experiment_running(placement: Placement) -> Experiment | None:
    """The placement's active experiment inside its time window, with its variants loaded."""
    now = timezone.now()
    return (
        Experiment.objects.filter(placement=placement, is_active=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=now))
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=now))
        .prefetch_related("variants")
        .first()
    )


def shopper_bucket(experiment_id: int, shopper: str, buckets: int) -> int:
    """A stable number in ``range(buckets)``; sha256, as Python's ``hash()`` differs per process."""
    digest = hashlib.sha256(f"{experiment_id}:{shopper}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % buckets


def variant_pick(experiment_id: int, variants: Sequence[Variant], shopper: str) -> Variant:
    """The shopper's variant, with chances proportional to the weights."""
    bounds = list(accumulate(v.weight for v in variants))
    return variants[bisect_right(bounds, shopper_bucket(experiment_id, shopper, bounds[-1]))]


def assignment_for(
    placement: Placement, shopper: str | None, *, config: PlacementConfig | None = None
) -> Assignment:
    """The running experiment's variant for this shopper, or the placement's default strategy;
    `config`: the placement's rules as already read (see `config.py`)."""
    experiment = (
        config.experiment_running(timezone.now()) if config is not None
        else experiment_running(placement)
    )  # fmt: skip
    variants = list(experiment.variants.all()) if experiment else []
    if not variants:
        return Assignment(strategy=placement.default_strategy)
    if not shopper:
        return Assignment(strategy=variants[0].strategy)
    variant = variant_pick(experiment.pk, variants, shopper)
    return Assignment(strategy=variant.strategy, experiment=experiment, variant=variant)
