"""The rules every strategy's SQL starts from: filters, exclusions, already purchased."""

from __future__ import annotations

from django.db import models
from django.db.models import Exists, OuterRef

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from .base import RecommendationRequest


def purchased(shopper: str) -> Exists:
    return Exists(
        Interaction.objects.filter(
            shopper=shopper, kind=Interaction.Kind.PURCHASE, product_id=OuterRef("pk")
        )
    )


def product_queryset(
    request: RecommendationRequest, *, strategy: str, listing: bool = False
) -> models.QuerySet:
    """Available products meeting the request's filters, minus excluded and (see
    `RecommendationRequest.exclude_purchased`) what the shopper already bought. `listing`: its
    rows are the final list (similar products), loaded with what cards show."""
    adapter = get_adapter()
    queryset = adapter.listing_queryset() if listing else adapter.queryset()
    queryset = queryset.filter(request.filters.q())
    excluded = set(request.exclude_ids) | set(request.basket_ids)
    if request.product_id is not None:
        excluded.add(request.product_id)
    if excluded:
        queryset = queryset.exclude(pk__in=excluded)
    exclude_purchased = request.exclude_purchased
    if exclude_purchased is None:
        exclude_purchased = strategy in app_settings.EXCLUDE_PURCHASED
    if request.shopper and exclude_purchased:
        queryset = queryset.filter(~purchased(request.shopper))
    return queryset
