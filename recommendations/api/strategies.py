"""Any strategy by name, for front ends that place widgets themselves."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..ranking import strategy_names
from ..selectors import recommend
from ..shoppers import shopper_key_for_request
from .placements import PlacementQuerySerializer
from .serializers import RecommendationListSerializer
from .views import BAD_REQUEST, _listing


class StrategyQuerySerializer(PlacementQuerySerializer):
    strategy = serializers.CharField(help_text="similar, fbt, for_you, trending, popular, ...")

    def validate_strategy(self, value: str) -> str:
        if value not in strategy_names():
            raise serializers.ValidationError(
                f"Unknown strategy {value!r}; valid: {', '.join(strategy_names())}."
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["strategy"] == "search":
            raise serializers.ValidationError({"strategy": ["Use /api/search/ for search."]})
        return attrs


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
        return Response(RecommendationListSerializer(_listing(results, data["strategy"])).data)
