"""The entry point of a placement: its strategy for this shopper, its rules, its impressions.

The template tag and the API both call `placement_serve`, so a placement shows and counts the
same wherever it appears.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from .. import selectors
from ..models import Placement
from ..privacy import strategy_personal
from ..ranking import Recommendation
from ..reasons.collect import evidence_attach
from . import rules
from .config import placement_config, placement_config_read
from .experiments import Assignment, assignment_for
from .tracking import impressions_record


class UnknownPlacement(ValueError):
    def __init__(self, name: str) -> None:
        valid = ", ".join(placement_names()) or "none (add one in the admin)"
        super().__init__(f"unknown or inactive placement {name!r}; valid: {valid}")


@dataclass(frozen=True)
class PlacementResult:
    placement: Placement
    assignment: Assignment
    results: list[Recommendation]
    # The signed token a click on these cards sends back (`tracking`); "" when not recorded.
    impression: str = ""

    @property
    def show_reasons(self) -> bool:
        """A variant may differ from its placement only in this, to measure what reasons do."""
        variant = self.assignment.variant
        if variant is not None and variant.show_reasons is not None:
            return variant.show_reasons
        return self.placement.show_reasons


def placement_names() -> list[str]:
    """Names of the active placements, the ones templates and the API may ask for."""
    return list(Placement.objects.filter(is_active=True).values_list("name", flat=True))


def placement_get(name: str) -> Placement:
    """The active placement so named; `UnknownPlacement` (a ValueError) names the valid ones."""
    config = placement_config(name)
    if config is None:
        raise UnknownPlacement(name)
    return config.placement


def placement_recommend(
    placement: Placement,
    *,
    k: int | None = None,
    shopper: str | None = None,
    product_id: int | None = None,
    basket_ids: Iterable[int] = (),
    exclude_ids: Iterable[int] = (),
) -> PlacementResult:
    """Pins, then the assigned strategy's products under the placement's rules; k in all.

    The page's product and the basket's (for "bought together" on a cart) are never shown, nor
    `exclude_ids`: what other widgets on the same page show already.
    Raises `UnknownStrategy` (a ValueError) if a strategy was removed from settings after it was
    chosen in the admin.
    """
    k = selectors.k_clamp(k or placement.k)
    config = placement_config(placement.name)
    if config is None or config.placement.pk != placement.pk:
        # Not the active placement of that name (one read for a preview): its own rows.
        config = placement_config_read(placement)
    assignment = assignment_for(placement, shopper, config=config)
    # Past their variant, a shopper who switched personalisation off is served as nobody.
    strategy, shopper = strategy_personal(assignment.strategy, shopper)
    basket_ids = tuple(basket_ids)
    exclude = set(config.banned_ids) | set(basket_ids) | set(exclude_ids)
    if product_id is not None:
        exclude.add(product_id)
    pins = rules.pinned_products(config.pin_ids, exclude=exclude)
    if pins and placement.exclude_purchased:
        # The strategy leaves purchases out in its own SQL; pins are checked here.
        purchased = rules.purchased_ids(shopper)
        exclude |= purchased
        pins = [p for p in pins if p.pk not in purchased]
    pins = pins[:k]
    wanted = rules.candidates_wanted(placement, k - len(pins))
    candidates = (
        selectors.recommend(
            strategy,
            k=wanted,
            shopper=shopper,
            product_id=product_id,
            basket_ids=basket_ids,
            exclude_ids=exclude | {p.pk for p in pins},
            exclude_purchased=placement.exclude_purchased,
            explained=False,
            choice_applied=True,
        )
        if wanted
        else []
    )
    results = rules.results_merge(
        pins,
        candidates,
        k=k,
        exclude_ids=exclude,
        max_per_brand=placement.max_per_brand,
        max_per_category=placement.max_per_category,
    )
    evidence_attach(results, shopper=shopper)
    return PlacementResult(placement=placement, assignment=assignment, results=results)


def placement_serve(
    name: str,
    *,
    k: int | None = None,
    shopper: str | None = None,
    product_id: int | None = None,
    basket_ids: Iterable[int] = (),
    exclude_ids: Iterable[int] = (),
) -> PlacementResult:
    """What the named placement shows this shopper, recorded as impressions with their token."""
    served = placement_recommend(
        placement_get(name),
        k=k,
        shopper=shopper,
        product_id=product_id,
        basket_ids=basket_ids,
        exclude_ids=exclude_ids,
    )
    token = impressions_record(
        placement=served.placement,
        assignment=served.assignment,
        shopper=shopper,
        results=served.results,
    )
    return replace(served, impression=token)
