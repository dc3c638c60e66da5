"""A shopper's data: what the engine holds about them, its deletion, their opt-out of
personalisation, and the retention period of everyone's events.

The store's "Your data" page, the API and the admin all call these, so a shopper gets the same
answer wherever they (or staff on their behalf) ask.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .conf import app_settings
from .models import (
    CollaborativeModel,
    Interaction,
    Reason,
    RecommendationEvent,
    ShopperEmbedding,
    ShopperFactor,
    ShopperPreference,
)
from .reasons.collect import SEARCH_MAX_CHARS, searches_key
from .reasons.serve import reasons_changed
from .request_memo import memo_forget, memo_put, memoised

# Strategies that rank from the shopper's own history; an opted-out shopper gets "popular"
# instead. The rest rank from the page, the basket or a request, and still answer them.
PERSONAL_STRATEGIES = {"for_you", "collaborative", "content", "sequential", "recently_viewed"}
NON_PERSONAL_STRATEGY = "popular"
# Rows deleted per statement by the retention purge, so a large backlog never holds long locks.
PURGE_BATCH = 10_000


def personalisation_enabled(shopper: str | None) -> bool:
    if not shopper:
        return True
    return memoised(
        _preference_key(shopper),
        lambda: not ShopperPreference.objects.filter(shopper=shopper, personalised=False).exists(),
    )


def personalisation_known(shopper: str, *, enabled: bool) -> None:
    """The choice as a statement of this request read it along with something else."""
    memo_put(_preference_key(shopper), enabled)


def _preference_key(shopper: str) -> tuple[str, str]:
    return ("personalised", shopper)


def personalisation_set(shopper: str, *, enabled: bool) -> None:
    ShopperPreference.objects.update_or_create(
        shopper=shopper, defaults={"personalised": enabled, "updated_at": timezone.now()}
    )
    memo_forget(_preference_key(shopper))


def preference_merge(*, source: str, target: str) -> None:
    """A visitor who switched personalisation off and then logs in stays off; an account's own
    choice, made earlier, wins over the session's."""
    preference = ShopperPreference.objects.filter(shopper=source).first()
    if preference is not None:
        ShopperPreference.objects.get_or_create(
            shopper=target,
            defaults={"personalised": preference.personalised, "updated_at": timezone.now()},
        )
        memo_forget(_preference_key(target))


def strategy_personal(strategy: str, shopper: str | None) -> tuple[str, str | None]:
    """The strategy and key a request is served with, after the shopper's choice: one who
    switched personalisation off is served as nobody in particular, so nothing they did shapes
    the list, leaves products out of it or is quoted in its reasons."""
    if personalisation_enabled(shopper):
        return strategy, shopper
    return (NON_PERSONAL_STRATEGY if strategy in PERSONAL_STRATEGIES else strategy), None


def shopper_data_export(shopper: str | None) -> dict[str, Any]:
    """Everything the engine holds about the shopper, as JSON-ready data (no raw vectors)."""
    if not shopper:
        return _export_empty()
    interactions = Interaction.objects.filter(shopper=shopper).order_by("created_at", "pk")
    embedding = ShopperEmbedding.objects.filter(shopper=shopper).first()
    versions = dict(CollaborativeModel.objects.values_list("pk", "activated_at"))
    placement_events = (
        RecommendationEvent.objects.filter(shopper=shopper)
        .select_related("placement", "experiment", "variant")
        .order_by("created_at", "pk")
    )
    assignments: dict[tuple[str, str], datetime] = {}
    for e in placement_events:
        if e.experiment is not None and e.variant is not None:
            assignments.setdefault((e.experiment.name, e.variant.name), e.created_at)
    return {
        "shopper": shopper,
        "personalised": personalisation_enabled(shopper),
        "events": [
            {
                "kind": i.kind,
                "product": i.product_id,
                "value": i.value,
                "text": i.text,
                "source": i.source,
                "created_at": i.created_at.isoformat(),
            }
            for i in interactions
            if i.kind != Interaction.Kind.SEARCH
        ],
        "searches": [
            {"text": i.text, "created_at": i.created_at.isoformat()}
            for i in interactions
            if i.kind == Interaction.Kind.SEARCH
        ],
        "shopper_vector": None
        if embedding is None
        else {
            "has_vector": embedding.vector is not None,
            "model": embedding.model_name,
            "events_used": embedding.interaction_count,
            "updated_at": embedding.updated_at.isoformat() if embedding.updated_at else None,
        },
        "learned_factors": [
            {
                "model_version": version,
                "activated_at": versions[version].isoformat() if versions.get(version) else None,
            }
            for version in ShopperFactor.objects.filter(shopper=shopper)
            .order_by("model_id")
            .values_list("model_id", flat=True)
        ],
        "experiment_assignments": [
            {"experiment": experiment, "variant": variant, "first_seen": first.isoformat()}
            for (experiment, variant), first in sorted(assignments.items())
        ],
        "placement_events": [
            {
                "placement": e.placement.name,
                "experiment": e.experiment.name if e.experiment else None,
                "variant": e.variant.name if e.variant else None,
                "kind": e.kind,
                "product": e.product_id,
                "position": e.position,
                "created_at": e.created_at.isoformat(),
            }
            for e in placement_events
        ],
        "reasons": [
            {
                "product": r.product_id,
                "language": r.language,
                "text": r.text,
                "created_at": r.created_at.isoformat(),
            }
            for r in _reasons_theirs(shopper)
        ],
    }


def _export_empty() -> dict[str, Any]:
    return {
        "shopper": None,
        "personalised": True,
        "events": [],
        "searches": [],
        "shopper_vector": None,
        "learned_factors": [],
        "experiment_assignments": [],
        "placement_events": [],
        "reasons": [],
    }


def shopper_data_delete(shopper: str) -> dict[str, int]:
    """Delete what the engine learned from the shopper; their opt-out, if any, stays.

    Trained model versions lose their rows for the shopper now; the next version is trained
    without their events, so it never knew them. Cached reasons that quote their history go
    too (others regenerate them from their own facts when needed)."""
    with transaction.atomic():
        deleted = {
            "reasons": _reasons_naming(*_footprint(shopper)).delete()[0],
            "events": Interaction.objects.filter(shopper=shopper).delete()[0],
            "shopper_vector": ShopperEmbedding.objects.filter(shopper=shopper).delete()[0],
            "learned_factors": ShopperFactor.objects.filter(shopper=shopper).delete()[0],
            "placement_events": RecommendationEvent.objects.filter(shopper=shopper).delete()[0],
        }
    memo_forget(searches_key(shopper))
    if deleted["reasons"]:
        reasons_changed()
    return deleted


def _footprint(shopper: str) -> tuple[set[int], set[str]]:
    """The shopper's products and searches, as a reason's evidence names them."""
    rows = Interaction.objects.filter(shopper=shopper)
    products = set(rows.exclude(product=None).values_list("product_id", flat=True))
    searches = {
        text[:SEARCH_MAX_CHARS]
        for text in rows.filter(kind=Interaction.Kind.SEARCH).values_list("text", flat=True)
    }
    return products, searches


def _reasons_naming(products: set[int], searches: set[str]) -> QuerySet[Reason]:
    """Cached reasons whose evidence names one of these products or searches."""
    if not products and not searches:
        return Reason.objects.none()
    match = Q()
    for pk in products:
        match |= Q(evidence__history__contains=[{"product_id": pk}])
    for text in searches:
        match |= Q(evidence__history__contains=[{"action": "searched", "name": text}])
    return Reason.objects.filter(match)


def _reasons_theirs(shopper: str) -> list[Reason]:
    """Reasons every history link of which is the shopper's: one that also names products they
    never touched was said to someone else, and is not theirs to read."""
    products, searches = _footprint(shopper)
    return [
        reason
        for reason in _reasons_naming(products, searches).order_by("created_at", "pk")
        if all(
            link.get("product_id") in products or link.get("name") in searches
            for link in reason.evidence.get("history", ())
        )
    ]


def events_purge(*, now: datetime | None = None) -> int:
    """Delete events older than `EVENT_RETENTION_DAYS`, in batches; running it again deletes
    nothing more. Shopper vectors built only from purged events go with them."""
    days = app_settings.EVENT_RETENTION_DAYS
    if days is None:
        return 0
    cutoff = (now or timezone.now()) - timedelta(days=days)
    purged = sum(
        _delete_batched(model.objects.filter(created_at__lt=cutoff))
        for model in (Interaction, RecommendationEvent)
    )
    ShopperEmbedding.objects.filter(Q(updated_at__lt=cutoff) | Q(updated_at=None)).exclude(
        shopper__in=Interaction.objects.values("shopper")
    ).delete()
    return purged


def _delete_batched(queryset: QuerySet) -> int:
    total = 0
    while True:
        ids = list(queryset.values_list("pk", flat=True)[:PURGE_BATCH])
        if not ids:
            return total
        total += queryset.model.objects.filter(pk__in=ids).delete()[0]
