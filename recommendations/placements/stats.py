"""How the variants of an experiment compare: CTR and conversion with 95% Wilson intervals.

A conversion is a purchase (an `Interaction`) of a clicked product by the same shopper within
`CONVERSION_WINDOW` after the click. It is computed here from rows both sides already write, so
nothing more is recorded per purchase, and each clicked (shopper, product) pair converts at most
once: conversions never exceed clicks.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import TruncDate

from ..models import Experiment, Interaction, RecommendationEvent, Variant
from ..shoppers import SIMULATED_PREFIX

Kind = RecommendationEvent.Kind
CONVERSION_WINDOW = timedelta(hours=24)
Z_95 = 1.959964


def proportion(successes: int, trials: int) -> float | None:
    """successes / trials within [0, 1]; None without trials. Rows written before clicks were
    tied to impressions can hold more clicks than impressions: such a rate reads as 1."""
    if trials <= 0:
        return None
    return min(max(successes / trials, 0.0), 1.0)


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval: unlike p ± z·se it stays inside [0, 1] and is honest for few
    trials or rates near 0, which CTRs are. With no trials nothing is known: (0, 1)."""
    p = proportion(successes, trials)
    if p is None:
        return 0.0, 1.0
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def two_proportion_p_value(
    successes_a: int, trials_a: int, successes_b: int, trials_b: int
) -> float | None:
    """Two-sided p-value of the pooled two-proportion z-test; None when it can't be computed
    (no trials, no variance, or counts that are no proportion: more successes than trials)."""
    if not (0 <= successes_a <= trials_a and 0 <= successes_b <= trials_b):
        return None
    if not trials_a or not trials_b:
        return None
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    variance = pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b)
    if variance <= 0:
        return None
    z = (successes_a / trials_a - successes_b / trials_b) / math.sqrt(variance)
    return math.erfc(abs(z) / math.sqrt(2))


@dataclass(frozen=True)
class Rate:
    successes: int
    trials: int

    @property
    def value(self) -> float | None:
        return proportion(self.successes, self.trials)

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.successes, self.trials)


@dataclass(frozen=True)
class VariantStats:
    variant: Variant
    impressions: int
    clicks: int
    conversions: int
    # Versus the control, the first variant; None for the control itself.
    ctr_p_value: float | None = None
    conversion_p_value: float | None = None

    @property
    def ctr(self) -> Rate:
        return Rate(self.clicks, self.impressions)

    @property
    def conversion_per_click(self) -> Rate:
        return Rate(self.conversions, self.clicks)

    @property
    def conversion_per_impression(self) -> Rate:
        return Rate(self.conversions, self.impressions)


@dataclass(frozen=True)
class DailyPoint:
    day: date
    impressions: int
    clicks: int

    @property
    def ctr(self) -> float | None:
        return proportion(self.clicks, self.impressions)


def conversions_by_variant(experiment: Experiment) -> Counter[int]:
    """Clicked (shopper, product) pairs bought within the window after the click, per variant."""
    purchases = Interaction.objects.filter(
        kind=Interaction.Kind.PURCHASE,
        shopper=OuterRef("shopper"),
        product=OuterRef("product"),
        created_at__gt=OuterRef("created_at"),
        created_at__lte=OuterRef("created_at") + CONVERSION_WINDOW,
    )
    pairs = (
        RecommendationEvent.objects.filter(experiment=experiment, kind=Kind.CLICK)
        .exclude(shopper="")
        .filter(Exists(purchases))
        .values_list("variant_id", "shopper", "product_id")
        .distinct()
    )
    return Counter(variant_id for variant_id, _, _ in pairs)


def experiment_stats(experiment: Experiment) -> list[VariantStats]:
    """One row per variant, control first, with p-values of CTR and conversion versus it."""
    counts = Counter(
        {
            (row["variant_id"], row["kind"]): row["n"]
            for row in RecommendationEvent.objects.filter(experiment=experiment)
            .values("variant_id", "kind")
            .annotate(n=Count("pk"))
        }
    )
    conversions = conversions_by_variant(experiment)
    stats = [
        VariantStats(
            variant=v,
            impressions=counts[(v.pk, Kind.IMPRESSION)],
            clicks=counts[(v.pk, Kind.CLICK)],
            conversions=conversions[v.pk],
        )
        for v in experiment.variants.all()
    ]
    if not stats:
        return []
    control = stats[0]
    return [
        control,
        *(
            replace(
                row,
                ctr_p_value=two_proportion_p_value(
                    row.clicks, row.impressions, control.clicks, control.impressions
                ),
                conversion_p_value=two_proportion_p_value(
                    row.conversions, row.impressions, control.conversions, control.impressions
                ),
            )
            for row in stats[1:]
        ),
    ]


def experiment_daily(experiment: Experiment) -> dict[int, list[DailyPoint]]:
    """Impressions and clicks per variant id and day (in the current time zone), oldest first."""
    rows = (
        RecommendationEvent.objects.filter(experiment=experiment, variant__isnull=False)
        .annotate(day=TruncDate("created_at"))
        .values("variant_id", "day", "kind")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[date, Counter[str]]] = {}
    for row in rows:
        counts.setdefault(row["variant_id"], {}).setdefault(row["day"], Counter())[row["kind"]] = (
            row["n"]
        )
    return {
        variant_id: [
            DailyPoint(day, by_kind[Kind.IMPRESSION], by_kind[Kind.CLICK])
            for day, by_kind in sorted(days.items())
        ]
        for variant_id, days in counts.items()
    }


def simulated_shoppers(experiment: Experiment) -> int:
    """How many of the experiment's shoppers are made up (a demo's traffic, `simulated_key`):
    the dashboard says so rather than pass their numbers off as real."""
    return (
        RecommendationEvent.objects.filter(
            experiment=experiment, shopper__startswith=SIMULATED_PREFIX
        )
        .values("shopper")
        .distinct()
        .count()
    )
