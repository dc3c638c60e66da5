"""Writes of placement events: the cards shown (impressions) and the ones clicked.

Conversions are not written: a purchase is already an `Interaction`, and `stats` joins purchases
to earlier clicks, so a change of the attribution window re-counts the past too.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models import Placement, RecommendationEvent
from ..ranking import Recommendation
from .experiments import Assignment, assignment_for

Kind = RecommendationEvent.Kind


def impressions_record(
    *,
    placement: Placement,
    assignment: Assignment,
    shopper: str | None,
    results: Sequence[Recommendation],
) -> None:
    """One row per card shown, in one query."""
    RecommendationEvent.objects.bulk_create(
        RecommendationEvent(
            placement=placement,
            experiment=assignment.experiment,
            variant=assignment.variant,
            shopper=shopper or "",
            product=result.product,
            position=position,
            kind=Kind.IMPRESSION,
        )
        for position, result in enumerate(results, start=1)
    )


def click_record(
    *, placement: Placement, shopper: str | None, product_id: int, position: int
) -> RecommendationEvent:
    """A click, credited to the variant the shopper is assigned to, as when the card was shown."""
    assignment = assignment_for(placement, shopper)
    return RecommendationEvent.objects.create(
        placement=placement,
        experiment=assignment.experiment,
        variant=assignment.variant,
        shopper=shopper or "",
        product_id=product_id,
        position=position,
        kind=Kind.CLICK,
    )


def placement_events_merge(*, source: str, target: str) -> int:
    """Move an anonymous visitor's clicks to their account at login, so a purchase made after
    logging in still converts them."""
    if source == target:
        return 0
    return RecommendationEvent.objects.filter(shopper=source).update(shopper=target)
