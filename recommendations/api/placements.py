"""Placement endpoints: what a placement shows (recorded as impressions), and click tracking."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..conf import app_settings
from ..factories import get_adapter
from ..placements import UnknownPlacement, click_record, placement_get, placement_serve
from ..ranking import Recommendation
from ..ranking.registry import UnknownStrategy
from ..shoppers import shopper_key_for_request
from .serializers import EventResultSerializer, KQuerySerializer, RecommendationSerializer
from .throttles import SettingsScopedRateThrottle
from .views import BAD_REQUEST


class ProductIdField(serializers.IntegerField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        value = super().to_internal_value(data)
        if not get_adapter().model._default_manager.filter(pk=value).exists():
            raise serializers.ValidationError(f"Unknown product {value}.")
        return value


class PlacementQuerySerializer(KQuerySerializer):
    product = ProductIdField(
        required=False, help_text="The product of the page, for product-page placements."
    )
    basket = serializers.ListField(
        child=ProductIdField(),
        required=False,
        max_length=100,
        help_text="Products in the cart (repeat the parameter), for cart placements.",
    )


class PlacementItemSerializer(RecommendationSerializer):
    position = serializers.IntegerField(help_text="1 is the first card; send it with a click.")

    def summary(self, instance: tuple[int, Recommendation]) -> dict[str, Any]:
        position, recommendation = instance
        return {**super().summary(recommendation), "position": position}


class PlacementResultSerializer(serializers.Serializer):
    placement = serializers.CharField()
    title = serializers.CharField(help_text="The heading to show above the products.")
    experiment = serializers.CharField(allow_null=True, help_text="The running experiment, if any.")
    variant = serializers.CharField(allow_null=True, help_text="The caller's variant of it.")
    strategy = serializers.CharField(help_text="The strategy of the placement or the variant.")
    results = PlacementItemSerializer(many=True)


class ClickSerializer(serializers.Serializer):
    product = ProductIdField(help_text="The clicked product's id.")
    position = serializers.IntegerField(min_value=1, help_text="The card's position, 1 first.")

    def validate_position(self, value: int) -> int:
        # MAX_K is a setting, read per request so that tests can override it.
        if value > app_settings.MAX_K:
            raise serializers.ValidationError(f"Must be at most {app_settings.MAX_K}.")
        return value


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
        responses={
            201: EventResultSerializer,
            400: BAD_REQUEST,
            429: OpenApiResponse(description="Too many events from this caller."),
        },
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
