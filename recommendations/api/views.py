"""HTTP endpoints: validate with a serializer, ask a selector or service, serialize the answer."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Interaction
from ..placements import UnknownPlacement, click_record, placement_get, placement_serve
from ..presentation import reasons_explain, recommendation_listing
from ..ranking.registry import UnknownStrategy
from ..selectors import (
    for_you,
    products_active,
    recommend,
    search_constraints,
    search_products,
    similar_products,
)
from ..services import interaction_record
from ..shoppers import shopper_key_for_request
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
from .throttles import SettingsScopedRateThrottle

BAD_REQUEST = OpenApiResponse(description="A parameter is invalid; the body names it and why.")
TOO_MANY_EVENTS = OpenApiResponse(description="Too many events from this caller.")


class ProductPagination(LimitOffsetPagination):
    default_limit = 20
    max_limit = 100


class ProductViewSet(viewsets.ReadOnlyModelViewSet):
    """The active catalog, and the products most similar to one of it."""

    serializer_class = ProductSerializer
    pagination_class = ProductPagination

    def get_queryset(self) -> QuerySet:
        return products_active().order_by("pk")

    @extend_schema(
        parameters=[KQuerySerializer],
        responses={200: RecommendationListSerializer, 400: BAD_REQUEST},
    )
    @action(detail=True)
    def similar(self, request: Request, pk: str | None = None) -> Response:
        """Nearest products by content; empty until the product has been embedded."""
        product = self.get_object()
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
        responses={200: SearchResultSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data["q"]
        results = search_products(query, k=params.validated_data.get("k"), filters=params.filters())
        constraints = search_constraints(query, params.filters())
        data = {**recommendation_listing(results, "search"), "constraints": constraints}
        return Response(SearchResultSerializer(data).data)


class StrategyView(APIView):
    """Recommendations of one strategy for the caller (their own history only)."""

    @extend_schema(
        parameters=[StrategyQuerySerializer],
        responses={200: RecommendationListSerializer, 400: BAD_REQUEST},
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
        responses={200: PlacementResultSerializer, 400: BAD_REQUEST},
    )
    def get(self, request: Request, name: str) -> Response:
        params = PlacementQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            served = placement_serve(
                name,
                k=params.validated_data.get("k"),
                shopper=shopper_key_for_request(request),
                product_id=params.validated_data.get("product"),
                basket_ids=params.validated_data.get("basket", ()),
            )
        except UnknownPlacement as exc:
            raise ValidationError({"placement": [str(exc)]}) from None
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
            "results": list(enumerate(served.results, start=1)),
        }
        return Response(PlacementResultSerializer(data).data)


class PlacementClickView(APIView):
    """Record a click on a placement's card; the widget's script sends it with sendBeacon.

    The variant is the one the caller is assigned to, never one the client names. Anonymous
    callers need no CSRF token; signed-in ones send ``csrfmiddlewaretoken`` in the form body
    (as the widget does) or the ``X-CSRFToken`` header.
    """

    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "recommendation_events"

    @extend_schema(
        request=ClickSerializer,
        responses={201: EventResultSerializer, 400: BAD_REQUEST, 429: TOO_MANY_EVENTS},
    )
    def post(self, request: Request, name: str) -> Response:
        try:
            placement = placement_get(name)
        except UnknownPlacement as exc:
            raise ValidationError({"placement": [str(exc)]}) from None
        click = ClickSerializer(data=request.data)
        click.is_valid(raise_exception=True)
        click_record(
            placement=placement,
            shopper=shopper_key_for_request(request),
            product_id=click.validated_data["product"],
            position=click.validated_data["position"],
        )
        return Response({"recorded": True}, status=status.HTTP_201_CREATED)


class EventView(APIView):
    """Record what the caller did with a product, for their recommendations and popularity.

    Anonymous callers need no CSRF token; a session is created for them here and its cookie
    returned. For a logged-in caller, DRF's SessionAuthentication enforces CSRF: send the
    ``X-CSRFToken`` header, or a forged page could plant events in their history.
    """

    throttle_classes = [SettingsScopedRateThrottle]
    throttle_scope = "recommendation_events"

    @extend_schema(
        request=EventSerializer,
        responses={
            201: EventResultSerializer,
            200: OpenApiResponse(
                EventResultSerializer, description="The same event was just recorded; ignored."
            ),
            400: BAD_REQUEST,
            429: TOO_MANY_EVENTS,
        },
    )
    def post(self, request: Request) -> Response:
        event = EventSerializer(data=request.data)
        event.is_valid(raise_exception=True)
        interaction = interaction_record(
            shopper=shopper_key_for_request(request, create_session=True),
            source=Interaction.Source.API,
            **event.validated_data,
        )
        if interaction is None:
            return Response({"recorded": False, "reason": "duplicate"}, status=status.HTTP_200_OK)
        return Response({"recorded": True}, status=status.HTTP_201_CREATED)
