"""HTTP endpoints: validate with a serializer, ask a selector or service, serialize the answer."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Interaction
from ..placements import UnknownPlacement, click_record, placement_get, placement_serve
from ..placements.tracking import InvalidImpression
from ..presentation import reasons_explain, recommendation_listing
from ..product_rows import products_known
from ..ranking.registry import UnknownStrategy
from ..search import search_problems
from ..selectors import (
    for_you,
    product_shown,
    products_active,
    recommend,
    search_constraints,
    search_products,
    similar_products,
)
from ..services import interaction_record
from ..shoppers import shopper_key_for_request
from .parsers import BODY_PARSERS, UNSUPPORTED_MEDIA_TYPE
from .serializers import (
    ClickSerializer,
    EventResultSerializer,
    EventSerializer,
    ForYouQuerySerializer,
    KQuerySerializer,
    PlacementQuerySerializer,
    PlacementResultSerializer,
    ProductSerializer,
    RecommendationListSerializer,
    SearchQuerySerializer,
    SearchResultSerializer,
    StrategyQuerySerializer,
)
from .throttles import ShopperRateThrottle

BAD_REQUEST = OpenApiResponse(description="A parameter is invalid; the body names it and why.")
NOT_FOUND = OpenApiResponse(
    description="What the path or a parameter names does not exist; the body names it."
)
URI_TOO_LONG = OpenApiResponse(
    description="The query string is longer than the web server takes (gunicorn: 4094 bytes)."
)
TOO_MANY_EVENTS = OpenApiResponse(description="Too many events from this caller.")
NO_VISIT = OpenApiResponse(
    description="No session and not signed in: events are tied to a visit (the shop's pages "
    "and the placement endpoint start one)."
)
DUPLICATE = OpenApiResponse(EventResultSerializer, description="Already recorded; ignored.")


class ProductPagination(LimitOffsetPagination):
    """DRF's, except that ``limit=abc`` or ``offset=-1`` is a 400 instead of silently the default,
    and the schema says which values are valid."""

    default_limit = 20
    max_limit = 100
    minimums = {"limit": 1, "offset": 0}

    def get_limit(self, request: Request) -> int | None:
        self._check(request, self.limit_query_param)
        return super().get_limit(request)

    def get_offset(self, request: Request) -> int:
        self._check(request, self.offset_query_param)
        return super().get_offset(request)

    def _check(self, request: Request, name: str) -> None:
        minimum = self.minimums[name]
        for value in request.query_params.getlist(name):
            if not value.isdigit() or int(value) < minimum:
                raise ValidationError({name: [f"Must be a whole number of at least {minimum}."]})

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = self.minimums[parameter["name"]]
        return parameters


@extend_schema_view(
    list=extend_schema(responses={200: ProductSerializer(many=True), 400: BAD_REQUEST}),
    retrieve=extend_schema(responses={200: ProductSerializer, 404: NOT_FOUND}),
)
class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The active catalog, and the products most similar to one of it."""

    serializer_class = ProductSerializer
    pagination_class = ProductPagination

    def get_queryset(self) -> QuerySet:
        return products_active().order_by("pk")

    @extend_schema(
        parameters=[KQuerySerializer],
        responses={200: RecommendationListSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    @action(detail=True)
    def similar(self, request: Request, pk: str | None = None) -> Response:
        """Nearest products by content; empty until the product has been embedded."""
        # Whether the product is shown, read as the evidence reads it (which then need not).
        product = product_shown(pk)
        if product is None:
            raise NotFound(f"No product {pk} is shown.")
        products_known([product])
        params = KQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = similar_products(product.pk, k=params.validated_data.get("k"))
        return Response(
            RecommendationListSerializer(recommendation_listing(results, "similar")).data
        )


class ForYouView(APIView):
    """Recommendations for the caller: their account, or their anonymous session."""

    @extend_schema(
        parameters=[ForYouQuerySerializer],
        responses={200: RecommendationListSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        params = ForYouQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        results = for_you(shopper_key_for_request(request), k=params.validated_data.get("k"))
        return Response(
            RecommendationListSerializer(recommendation_listing(results, "for_you")).data
        )


class SearchView(APIView):
    """Products for a request in plain words; prices, brands and categories named are enforced."""

    @extend_schema(
        parameters=[SearchQuerySerializer],
        responses={
            200: SearchResultSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            414: URI_TOO_LONG,
        },
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data["q"]
        problems = search_problems(query, params.filters())
        if problems:
            raise ValidationError({"q": problems})
        results = search_products(query, k=params.validated_data.get("k"), filters=params.filters())
        constraints = search_constraints(query, params.filters())
        data = {**recommendation_listing(results, "search"), "constraints": constraints}
        return Response(SearchResultSerializer(data).data)


class StrategyView(APIView):
    """Recommendations of one strategy for the caller (their own history only)."""

    @extend_schema(
        parameters=[StrategyQuerySerializer],
        responses={
            200: RecommendationListSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            414: URI_TOO_LONG,
        },
    )
    def get(self, request: Request) -> Response:
        params = StrategyQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        results = recommend(
            data["strategy"],
            k=data.get("k"),
            shopper=shopper_key_for_request(request),
            product_id=data.get("product"),
            basket_ids=data.get("basket", ()),
        )
        listing = recommendation_listing(results, data["strategy"])
        return Response(RecommendationListSerializer(listing).data)


class PlacementView(APIView):
    """The placement's products for the caller; each one returned counts as an impression."""

    @extend_schema(
        parameters=[PlacementQuerySerializer],
        responses={
            200: PlacementResultSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            414: URI_TOO_LONG,
        },
    )
    def get(self, request: Request, name: str) -> Response:
        params = PlacementQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            served = placement_serve(
                name,
                k=params.validated_data.get("k"),
                # A visitor's variant must be stable from the first list on: start their session.
                shopper=shopper_key_for_request(request, create_session=True),
                product_id=params.validated_data.get("product"),
                basket_ids=params.validated_data.get("basket", ()),
            )
        except UnknownPlacement as exc:
            raise NotFound({"placement": [str(exc)]}) from None
        except UnknownStrategy as exc:
            raise ValidationError({"strategy": [str(exc)]}) from None
        if served.show_reasons:
            reasons_explain(served.results)
        assignment = served.assignment
        data = {
            "placement": served.placement.name,
            "title": served.placement.title,
            "experiment": getattr(assignment.experiment, "name", None),
            "variant": getattr(assignment.variant, "name", None),
            "strategy": assignment.strategy,
            "impression": served.impression,
            "results": list(enumerate(served.results, start=1)),
        }
        return Response(PlacementResultSerializer(data).data)


class PlacementClickView(APIView):
    """Record a click on a placement's card; the widget's script sends it with sendBeacon.

    A click counts only with the impression token served with the list, sent by the shopper it
    was shown to, for a product in it, and once: the variant and the position are the token's,
    never the client's. Anonymous callers need no CSRF token; signed-in ones send
    ``csrfmiddlewaretoken`` in the form body (as the widget does) or the ``X-CSRFToken`` header.
    """

    throttle_classes = [ShopperRateThrottle]
    throttle_scope = "recommendation_events"
    parser_classes = BODY_PARSERS

    @extend_schema(
        request=ClickSerializer,
        responses={
            201: EventResultSerializer,
            200: DUPLICATE,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            415: UNSUPPORTED_MEDIA_TYPE,
            429: TOO_MANY_EVENTS,
        },
    )
    def post(self, request: Request, name: str) -> Response:
        try:
            placement = placement_get(name)
        except UnknownPlacement as exc:
            raise NotFound({"placement": [str(exc)]}) from None
        click = ClickSerializer(data=request.data)
        click.is_valid(raise_exception=True)
        try:
            recorded = click_record(
                placement=placement,
                shopper=shopper_key_for_request(request),
                product_id=click.validated_data["product"],
                impression=click.validated_data["impression"],
            )
        except InvalidImpression as exc:
            raise ValidationError({"impression": [str(exc)]}) from None
        if recorded is None:
            return Response({"recorded": False, "reason": "duplicate"}, status=status.HTTP_200_OK)
        return Response({"recorded": True}, status=status.HTTP_201_CREATED)


class EventView(APIView):
    """Record what the caller's browser saw or clicked, for their recommendations.

    Only views and clicks: carts and purchases are the store's own server-side signals. Events
    belong to a visit, so an anonymous caller must send the session cookie the shop's pages set;
    one without it is refused rather than given a fresh session per request, which would let a
    script pose as any number of shoppers. Anonymous callers need no CSRF token; for a
    logged-in caller DRF's SessionAuthentication enforces it: send the ``X-CSRFToken`` header.
    """

    throttle_classes = [ShopperRateThrottle]
    throttle_scope = "recommendation_events"
    parser_classes = BODY_PARSERS

    @extend_schema(
        request=EventSerializer,
        responses={
            201: EventResultSerializer,
            200: OpenApiResponse(
                EventResultSerializer, description="The same event was just recorded; ignored."
            ),
            400: BAD_REQUEST,
            404: NOT_FOUND,
            403: NO_VISIT,
            415: UNSUPPORTED_MEDIA_TYPE,
            429: TOO_MANY_EVENTS,
        },
    )
    def post(self, request: Request) -> Response:
        event = EventSerializer(data=request.data)
        event.is_valid(raise_exception=True)
        shopper = shopper_key_for_request(request)
        if shopper is None:
            raise PermissionDenied(NO_VISIT.description)
        interaction = interaction_record(
            shopper=shopper,
            source=Interaction.Source.API,
            **event.validated_data,
        )
        if interaction is None:
            return Response({"recorded": False, "reason": "duplicate"}, status=status.HTTP_200_OK)
        return Response({"recorded": True}, status=status.HTTP_201_CREATED)
