"""The rules every strategy's SQL starts from: filters, exclusions, already purchased."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from ..prepared import AnyOf, Standins
from .base import Filters, RecommendationRequest


def purchased(shopper: str) -> Exists:
    return Exists(
        Interaction.objects.filter(
            shopper=shopper, kind=Interaction.Kind.PURCHASE, product_id=OuterRef("pk")
        )
    )


def excludes_purchased(request: RecommendationRequest, strategy: str) -> bool:
    """See `RecommendationRequest.exclude_purchased`."""
    if not request.shopper:
        return False
    if request.exclude_purchased is None:
        return strategy in app_settings.EXCLUDE_PURCHASED
    return request.exclude_purchased


def product_queryset(
    request: RecommendationRequest, *, strategy: str, listing: bool = False
) -> models.QuerySet:
    """Available products meeting the request's filters, minus excluded and (see
    `RecommendationRequest.exclude_purchased`) what the shopper already bought. `listing`: its
    rows are the final list (similar products), loaded with what cards show."""
    adapter = get_adapter()
    queryset = adapter.listing_queryset() if listing else adapter.queryset()
    queryset = queryset.filter(request.filters.q())
    excluded = _excluded(request)
    if excluded:
        queryset = queryset.exclude(AnyOf("pk", excluded))
    if request.product_id is not None:
        queryset = queryset.exclude(pk=request.product_id)
    if excludes_purchased(request, strategy):
        queryset = queryset.filter(~purchased(request.shopper))
    return queryset


def _excluded(request: RecommendationRequest) -> list[int]:
    return sorted(set(request.exclude_ids) | set(request.basket_ids))


def request_standins(
    request: RecommendationRequest, strategy: str
) -> tuple[tuple, Callable[[Standins], RecommendationRequest], dict[str, Any]] | None:
    """For a query prepared once per shape (`prepared.py`): the shape of what
    `product_queryset` makes of the request, a request of that shape made of stand-ins, and
    the values that replace them. None for filters beyond availability, whose values the ORM
    converts on the way (prices) and which are rarer: those requests build their SQL."""
    if request.filters.narrows():
        return None
    excluded = _excluded(request)
    purchases = excludes_purchased(request, strategy)
    shape = (
        request.filters.include_out_of_stock,
        bool(excluded),
        request.product_id is not None,
        purchases,
    )
    values = {"excluded": excluded, "product": request.product_id, "shopper": request.shopper}

    def standin_request(standins: Standins) -> RecommendationRequest:
        return replace(
            request,
            filters=Filters(include_out_of_stock=request.filters.include_out_of_stock),
            exclude_ids=frozenset(standins.integers("excluded")) if excluded else frozenset(),
            basket_ids=(),
            product_id=standins.integer("product") if request.product_id is not None else None,
            shopper=standins.text("shopper") if purchases else None,
            exclude_purchased=purchases,
        )

    return shape, standin_request, values
