"""The rules every strategy's SQL starts from: filters, exclusions, already purchased."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from functools import cached_property
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Exists, OuterRef

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from ..prepared import AnyOf, Given, Prepared, Standins, prepared
from ..recommenders.base import OverAllowed
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


class RequestStandins(NamedTuple):
    """For a query prepared once per shape (`prepared.py`)."""

    # What changes the SQL `product_queryset` makes of the request.
    shape: tuple
    # A request of that shape made of stand-ins.
    request: Callable[[Standins], RecommendationRequest]
    # The values that replace them.
    values: dict[str, Any]


def request_standins(request: RecommendationRequest, strategy: str) -> RequestStandins | None:
    """None for filters beyond availability, whose values the ORM converts on the way (prices)
    and which are rarer: those requests build their SQL."""
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

    return RequestStandins(shape, standin_request, values)


class Allowed:
    """The products a request may recommend, as every recommender's query reads them (the
    protocol `recommenders.base.Allowed`). Where the filters are availability alone
    (`request_standins`), each such query is compiled once per shape and process (see
    `prepared.py`); otherwise it is built per request."""

    def __init__(
        self, request: RecommendationRequest, strategy: str, *, listing: bool = False
    ) -> None:
        """`listing`: the rows are the final list, loaded with what cards show (see
        `product_queryset`)."""
        self.request, self.strategy, self.listing = request, strategy, listing
        self._standins = request_standins(request, strategy)

    @cached_property
    def queryset(self) -> models.QuerySet:
        """The allowed products, for a query that is built per request."""
        return product_queryset(self.request, strategy=self.strategy, listing=self.listing)

    def rows(self, key: Hashable, build: OverAllowed, **values: Any) -> list[tuple]:
        """The tuples of `build(allowed products, slots)`, a `values_list` query; `key` names
        it among the recommenders' queries, and with everything that changes its SQL besides
        the slots (a LIMIT)."""
        if self._standins is None:
            return list(build(self.queryset, Given(values)))
        return self._prepared(key, build).rows(**self._standins.values, **values)

    def objects(self, key: Hashable, build: OverAllowed, **values: Any) -> list[models.Model]:
        """`rows` for a query of model instances."""
        if self._standins is None:
            return list(build(self.queryset, Given(values)))
        return self._prepared(key, build).objects(**self._standins.values, **values)

    def sql(self) -> tuple[str, list[Any]]:
        """`SELECT pk` of the allowed products and its parameters, for a statement written in
        SQL."""
        if self._standins is None:
            return self.queryset.values("pk").query.sql_with_params()
        query = self._prepared("pk", lambda products, slots: products.values("pk"))
        return query.bound(**self._standins.values)

    def _prepared(self, key: Hashable, build: OverAllowed) -> Prepared:
        def query(standins: Standins) -> models.QuerySet:
            request = self._standins.request(standins)
            products = product_queryset(request, strategy=self.strategy, listing=self.listing)
            return build(products, standins)

        return prepared((key, self.listing, self._standins.shape), query)
