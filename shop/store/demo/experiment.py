"""The demo's A/B experiment on the home page, with simulated traffic so its dashboard has
something to show on first start.

Simulated shoppers have keys `sim:...` (see `recommendations.shoppers.simulated_key`) and the
dashboard says that the numbers include them. Their impressions and clicks are placement events,
their conversions are purchases (the dashboard reads conversions from purchases), all over the
days before now, deterministically for a seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from django.db import transaction
from django.utils import timezone

from recommendations.models import Experiment, Placement, RecommendationEvent, Variant
from recommendations.placements import variant_pick
from recommendations.services import InteractionRow, interactions_load
from recommendations.shoppers import simulated_key

from ..models import Product

EXPERIMENT_NAME = "Home: for you vs popular (demo)"
PLACEMENT = "home"
# (name, strategy, chance that a shopper clicks the first card of a page view)
VARIANTS = (("control", "for_you", 0.05), ("popular", "popular", 0.035))
DAYS = 14
SHOPPERS = 400
CARDS = 8
# The first card draws most clicks; the eighth about half as many.
POSITION_DECAY = 0.12
CONVERSION_CHANCE = 0.2
SEED = 7
Kind = RecommendationEvent.Kind


@dataclass(frozen=True)
class SimulatedTraffic:
    impressions: int
    clicks: int
    conversions: int


def demo_experiment_ensure(*, now: datetime | None = None, seed: int = SEED) -> Experiment | None:
    """The home placement's experiment, created running with simulated traffic the first time;
    None when the shop has no home placement or no products. An experiment that someone made
    for the home placement (or stopped) is left as it is."""
    placement = Placement.objects.filter(name=PLACEMENT).first()
    if placement is None or not Product.objects.filter(is_active=True).exists():
        return None
    existing = Experiment.objects.filter(placement=placement).order_by("-created_at").first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    started = (now - timedelta(days=DAYS)).replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction.atomic():
        experiment = Experiment.objects.create(
            name=EXPERIMENT_NAME,
            placement=placement,
            is_active=True,
            started_at=started,
            created_at=started,
        )
        for name, strategy, _ in VARIANTS:
            Variant.objects.create(experiment=experiment, name=name, strategy=strategy)
        traffic_simulate(experiment, start=started, end=now, seed=seed)
    return experiment


def traffic_simulate(
    experiment: Experiment, *, start: datetime, end: datetime, seed: int = SEED
) -> SimulatedTraffic:
    """Page views of the experiment's placement by simulated shoppers between start and end:
    each shows CARDS products; clicks fall off with the position; some clicks are bought within
    hours."""
    random = Random(seed)
    variants = list(experiment.variants.all())
    click_chance = {name: chance for name, _, chance in VARIANTS}
    shelf = list(
        Product.objects.filter(is_active=True, stock__gt=0)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    span = (end - start).total_seconds()
    events: list[RecommendationEvent] = []
    purchases: list[InteractionRow] = []
    for n in range(SHOPPERS):
        shopper = simulated_key(f"{n:04d}")
        variant = variant_pick(experiment.pk, variants, shopper)
        chance = click_chance.get(variant.name, min(click_chance.values()))
        for _ in range(random.randint(1, 4)):
            seen_at = start + timedelta(seconds=random.uniform(0, span))
            shown = random.sample(shelf, min(CARDS, len(shelf)))
            # The list's id, as a served list's token carries it: a click names its list.
            impression = f"{random.getrandbits(128):032x}"
            for position, product_id in enumerate(shown, start=1):
                card = {
                    "placement": experiment.placement, "experiment": experiment,
                    "variant": variant, "shopper": shopper, "product_id": product_id,
                    "position": position, "impression": impression,
                }  # fmt: skip
                events.append(RecommendationEvent(**card, kind=Kind.IMPRESSION, created_at=seen_at))
                if random.random() >= chance / (1 + POSITION_DECAY * (position - 1)):
                    continue
                clicked_at = seen_at + timedelta(seconds=random.uniform(2, 60))
                events.append(RecommendationEvent(**card, kind=Kind.CLICK, created_at=clicked_at))
                bought_at = clicked_at + timedelta(minutes=random.uniform(3, 600))
                if random.random() < CONVERSION_CHANCE and bought_at < end:
                    purchases.append(
                        InteractionRow(
                            shopper=shopper, kind="purchase", created_at=bought_at,
                            product_id=product_id,
                        )
                    )  # fmt: skip
    RecommendationEvent.objects.bulk_create(events, batch_size=5000)
    interactions_load(purchases)
    clicks = sum(e.kind == Kind.CLICK for e in events)
    return SimulatedTraffic(
        impressions=len(events) - clicks, clicks=clicks, conversions=len(purchases)
    )
