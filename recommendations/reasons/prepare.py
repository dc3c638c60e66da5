"""Ahead of need: the lists shoppers are about to see, explained before they ask."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Max
from django.utils import timezone

from .. import selectors
from ..conf import app_settings
from ..models import Interaction, Placement, Reason
from ..placements.serve import placement_recommend
from .evidence import Evidence
from .serve import LANGUAGES, reasons_changed
from .service import reasons_generate

logger = logging.getLogger(__name__)

# How recently a shopper must have been active to have their "for you" explained.
ACTIVE_DAYS = 7
# A generator error is retried after this long.
RETRY_AFTER = timedelta(hours=1)


def reasons_prepare() -> int:
    """Reasons for every placement's list (as a new visitor sees it) and for the recently active
    shoppers' "for you", in every language; returns how many were generated."""
    shoppers = app_settings.REASONS["prepare_shoppers"]
    if Reason.objects.filter(
        verdict=Reason.Verdict.ERROR, created_at__lt=timezone.now() - RETRY_AFTER
    ).delete()[0]:
        reasons_changed()
    evidence = [*_placement_evidence(), *_shopper_evidence(shoppers)]
    return sum(len(reasons_generate(evidence, language=language)) for language in LANGUAGES)


def _placement_evidence() -> list[Evidence]:
    found = []
    for placement in Placement.objects.filter(is_active=True, show_reasons=True):
        try:
            results = placement_recommend(placement).results
        except (ValueError, DatabaseError):
            logger.warning("Reasons: placement %s could not be served", placement.name)
            continue
        found += [r.evidence for r in results if r.evidence is not None]
    return found


def _shopper_evidence(limit: int) -> list[Evidence]:
    since = timezone.now() - timedelta(days=ACTIVE_DAYS)
    keys = (
        Interaction.objects.filter(created_at__gte=since)
        .values("shopper")
        .annotate(last=Max("created_at"))
        .order_by("-last")
        .values_list("shopper", flat=True)[:limit]
    )
    return [
        r.evidence
        for key in keys
        for r in selectors.recommend("for_you", shopper=key)
        if r.evidence is not None
    ]
