"""Input validation and output shapes of the API; they hold no logic beyond that.

Output serializers read ``ProductAdapter.summary`` so the API shows the same fields as the
widgets, and never a vector.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from ..ranking import Filters, Recommendation

# Query parameters that would name someone else; personal recommendations are the caller's only.
OTHER_SHOPPER_PARAMS = ("user", "shopper", "session")

EVENT_KINDS = {
    "view": Interaction.Kind.VIEW,
    "click": Interaction.Kind.CLICK,
    "add_to_cart": Interaction.Kind.CART,
    "purchase": Interaction.Kind.PURCHASE,
}


def _price_field(help_text: str) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        help_text=help_text,
    )


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="Path of the product page.")
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    brand = serializers.CharField()
    category = serializers.CharField(help_text='Category path, e.g. "Outdoor > Jackets".')
    image = serializers.CharField()
    in_stock = serializers.BooleanField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(self.summary(instance))

    def summary(self, instance: Any) -> dict[str, Any]:
        """The fields to show; a subclass adds its own to the adapter's product summary."""
        return get_adapter().summary(instance)


class RecommendationSerializer(ProductSerializer):
    score = serializers.FloatField(help_text="Higher is a better match; comparable within a list.")
    strategy = serializers.CharField(help_text="The strategy that recommended this product.")

    def summary(self, instance: Recommendation) -> dict[str, Any]:
        return {
            **super().summary(instance.product),
            "score": instance.score,
            "strategy": instance.strategy,
        }


class RecommendationListSerializer(serializers.Serializer):
    results = RecommendationSerializer(many=True)
    count = serializers.IntegerField()
    strategy = serializers.CharField(
        help_text='The strategy that produced the results ("popular" when there is no history).'
    )


class ConstraintsSerializer(serializers.Serializer):
    """The hard constraints applied (``selectors.search_constraints``)."""

    min_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    max_price = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    category_ids = serializers.ListField(child=serializers.IntegerField())
    brand_ids = serializers.ListField(child=serializers.IntegerField())
    in_stock = serializers.BooleanField()
    matched = serializers.ListField(
        child=serializers.CharField(), help_text="Parts of the text read as constraints."
    )


class SearchResultSerializer(RecommendationListSerializer):
    constraints = ConstraintsSerializer()


class KQuerySerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        # Built per instance: MAX_K is a setting, read lazily so tests can override it.
        fields = super().get_fields()
        fields["k"] = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=app_settings.MAX_K,
            help_text=f"How many products (default {app_settings.DEFAULT_K}).",
        )
        return fields


class ForYouQuerySerializer(KQuerySerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        named = [name for name in OTHER_SHOPPER_PARAMS if name in self.initial_data]
        if named:
            raise serializers.ValidationError(
                {
                    name: [
                        "Recommendations are only for the caller; another shopper can't be named."
                    ]
                    for name in named
                }
            )
        return attrs


class SearchQuerySerializer(KQuerySerializer):
    q = serializers.CharField(max_length=500, help_text="What the shopper wants, in their words.")
    min_price = _price_field("Lowest price; tightens a bound stated in the text.")
    max_price = _price_field("Highest price; tightens a bound stated in the text.")
    category = serializers.IntegerField(
        required=False, min_value=1, help_text="Category id; its subcategories are included."
    )
    brand = serializers.IntegerField(required=False, min_value=1, help_text="Brand id.")
    in_stock = serializers.BooleanField(
        required=False,
        default=True,
        help_text="false also returns products that are out of stock (never inactive ones).",
    )

    def validate_category(self, value: int) -> int:
        model = get_adapter().category_model()
        if model is None or not model._default_manager.filter(pk=value).exists():
            raise serializers.ValidationError(f"Unknown category {value}.")
        return value

    def validate_brand(self, value: int) -> int:
        model = get_adapter().brand_model()
        if model is None or not model._default_manager.filter(pk=value).exists():
            raise serializers.ValidationError(f"Unknown brand {value}.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"min_price": ["Must not be greater than max_price."]}
            )
        return attrs

    def filters(self) -> Filters:
        data = self.validated_data
        category = data.get("category")
        return Filters(
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            category_ids=(tuple(get_adapter().category_descendants(category)) if category else ()),
            brand_ids=(data["brand"],) if data.get("brand") else (),
            include_out_of_stock=not data["in_stock"],
        )


class EventSerializer(serializers.Serializer):
    product = serializers.IntegerField(min_value=1, help_text="Product id.")
    event = serializers.ChoiceField(choices=list(EVENT_KINDS))

    def validate_product(self, value: int) -> int:
        if not get_adapter().model._default_manager.filter(pk=value).exists():
            raise serializers.ValidationError(f"Unknown product {value}.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of ``interaction_record``."""
        return {"product_id": attrs["product"], "kind": EVENT_KINDS[attrs["event"]]}


class EventResultSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()
    reason = serializers.CharField(
        required=False, help_text='"duplicate" when the same event was just recorded.'
    )
