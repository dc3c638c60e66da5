"""Writes of placement events: the cards shown (impressions) and the ones clicked.

Each list shown to a shopper gets a signed impression token (`django.core.signing`) naming the
placement, the experiment arm, the shopper, the products and the time. A click counts only with
a valid token, from the shopper it was shown to, for one of its products, and once: so clicks
can't outnumber what was shown, and the variant credited is the one that was shown.

Conversions are not written: a purchase is already an `Interaction`, and `stats` joins purchases
to earlier clicks, so a change of the attribution window re-counts the past too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..conf import app_settings
from ..models import Placement, RecommendationEvent
from ..ranking import Recommendation
from ..request_memo import write_deferred
from .experiments import Assignment

Kind = RecommendationEvent.Kind
SALT = "recommendations.placements.impression"
# A token of MAX_K product ids stays far below this.
IMPRESSION_MAX_LENGTH = 2000


class InvalidImpression(ValueError):
    """A click that names no list shown to its sender; the message says what is wrong."""


@dataclass(frozen=True)
class Impression:
    id: str
    placement: str
    shopper: str
    product_ids: tuple[int, ...]
    experiment_id: int | None = None
    variant_id: int | None = None


IMPRESSIONS_SQL = """
INSERT INTO {table}
    (placement_id, experiment_id, variant_id, shopper, kind, impression, created_at, product_id,
     position)
SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::text[], %s::text[],
    %s::text[], %s::timestamptz[], %s::bigint[], %s::int[])
"""


def impressions_record(
    *,
    placement: Placement,
    assignment: Assignment,
    shopper: str | None,
    results: Sequence[Recommendation],
) -> str:
    """One row per card shown; returns the list's token ("" without a shopper, whose clicks
    can't be told from anyone's). In a request the rows are written after the response, with
    the other lists of the page, in one statement (no transaction around it)."""
    impression = Impression(
        id=uuid.uuid4().hex,
        placement=placement.name,
        shopper=shopper or "",
        product_ids=tuple(result.product.pk for result in results),
        experiment_id=getattr(assignment.experiment, "pk", None),
        variant_id=getattr(assignment.variant, "pk", None),
    )
    now = timezone.now()
    rows = [
        (placement.pk, impression.experiment_id, impression.variant_id, impression.shopper,
         Kind.IMPRESSION, impression.id, now, product_id, position)
        for position, product_id in enumerate(impression.product_ids, start=1)
    ]  # fmt: skip
    if rows:
        write_deferred("impressions", rows, impressions_write)
    return impression_sign(impression) if shopper else ""


def impressions_write(rows: list[tuple]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            IMPRESSIONS_SQL.format(table=RecommendationEvent._meta.db_table),
            [list(column) for column in zip(*rows, strict=True)],
        )


def impression_sign(impression: Impression) -> str:
    payload = [
        impression.id,
        impression.placement,
        impression.shopper,
        list(impression.product_ids),
        impression.experiment_id,
        impression.variant_id,
    ]
    return signing.dumps(payload, salt=SALT, compress=True)


def impression_read(token: str, *, placement: str, shopper: str | None) -> Impression:
    """The list a token names, if it was signed here, lately, for this placement and shopper."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=app_settings.IMPRESSION_MAX_AGE)
    except signing.SignatureExpired:
        raise InvalidImpression("The list was shown too long ago; reload the page.") from None
    except signing.BadSignature:
        raise InvalidImpression("Not an impression token served by this site.") from None
    id_, token_placement, token_shopper, product_ids, experiment_id, variant_id = payload
    if token_placement != placement:
        raise InvalidImpression(f"The list was shown in placement {token_placement!r}.")
    if not shopper or token_shopper != shopper:
        raise InvalidImpression("The list was shown to another visitor.")
    return Impression(
        id=id_,
        placement=token_placement,
        shopper=token_shopper,
        product_ids=tuple(product_ids),
        experiment_id=experiment_id,
        variant_id=variant_id,
    )


def click_record(
    *, placement: Placement, shopper: str | None, product_id: int, impression: str
) -> RecommendationEvent | None:
    """A click on a card of the list `impression` names, credited to the arm that showed it.

    Raises `InvalidImpression` for a token that isn't valid for this caller or product; returns
    None for a second click on the same card of the same list, which counts once.
    """
    shown = impression_read(impression, placement=placement.name, shopper=shopper)
    if product_id not in shown.product_ids:
        raise InvalidImpression(f"Product {product_id} was not in the list shown.")
    click = RecommendationEvent(
        placement=placement,
        experiment_id=shown.experiment_id,
        variant_id=shown.variant_id,
        shopper=shown.shopper,
        product_id=product_id,
        position=shown.product_ids.index(product_id) + 1,
        kind=Kind.CLICK,
        impression=shown.id,
    )
    try:
        with transaction.atomic():
            click.save()
    except IntegrityError:
        return None
    return click


def placement_events_merge(*, source: str, target: str) -> int:
    """Move an anonymous visitor's clicks to their account at login, so a purchase made after
    logging in still converts them."""
    if source == target:
        return 0
    return RecommendationEvent.objects.filter(shopper=source).update(shopper=target)
