"""Input validation and output shapes of the API; they hold no logic beyond that.

Output serializers show the cards of `presentation`, so the API shows the same fields as the
widgets, and never a vector.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.fields import empty

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from ..placements.tracking import IMPRESSION_MAX_LENGTH
from ..presentation import QUERY_MAX_LENGTH, product_card, recommendation_card
from ..ranking import Filters, Recommendation, strategy_names

# Query parameters that would name someone else; personal recommendations are the caller's only.
OTHER_SHOPPER_PARAMS = ("user", "shopper", "session")

# What a browser may report. Carts and purchases count for much more and are the store's own
# server-side signals (`recommendations.signals`); from here they could be forged by anyone.
EVENT_KINDS = {
    "view": Interaction.Kind.VIEW,
    "click": Interaction.Kind.CLICK,
}


def unknown(field: serializers.Field, message: str) -> NotFound:
    """An id of the right form that names nothing is a 404, like a product page that names
    nothing; the body names the parameter as a 400's would."""
    name = field.field_name or getattr(field.parent, "field_name", "")
    return NotFound({name: [message]})


class ExactValue:
    """Mixed into a field that is not text: given empty (``k=``) it is invalid, as the schema
    says, rather than silently taken as absent (DRF's reading of form and query data)."""

    def get_value(self, dictionary: Any) -> Any:
        return dictionary.get(self.field_name, empty)


class QueryIntegerField(ExactValue, serializers.IntegerField):
    pass


class QueryBooleanField(ExactValue, serializers.BooleanField):
    pass


@extend_schema_field(
    {"type": "string", "format": "decimal", "pattern": r"^(?:\d{1,10}(?:\.\d{0,2})?|\.\d{1,2})$"}
)
class PriceField(ExactValue, serializers.DecimalField):
    """A price: at most ten digits and two decimals, never negative, as the schema's pattern says
    (the default schema of a decimal allows a minus sign)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(max_digits=12, decimal_places=2, min_value=Decimal("0"), **kwargs)


class ProductIdField(QueryIntegerField):
    """The id of an existing product."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, **kwargs)

    def to_internal_value(self, data: Any) -> int:
        value = super().to_internal_value(data)
        if not get_adapter().model._default_manager.filter(pk=value).exists():
            raise unknown(self, f"Unknown product {value}.")
        return value


class ProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField(help_text="Path of the product page.")
    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    currency = serializers.CharField()
    brand = serializers.CharField()
    category = serializers.CharField(help_text='Category path, e.g. "Outdoor > Jackets".')
    image = serializers.CharField(
        help_text="Image URL, or a path on this site like `url`; empty when there is none."
    )
    in_stock = serializers.BooleanField()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return super().to_representation(self.summary(instance))

    def summary(self, instance: Any) -> dict[str, Any]:
        """The fields to show; a subclass shows a richer card."""
        return product_card(instance)


class ProductFactsSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    brand = serializers.CharField(allow_null=True)
    category = serializers.CharField(allow_null=True)
    price = serializers.CharField(allow_null=True)
    currency = serializers.CharField(allow_null=True)
    in_stock = serializers.BooleanField(allow_null=True)
    rating = serializers.FloatField(allow_null=True)
    attributes = serializers.DictField(child=serializers.CharField())


class HistoryLinkSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The shopper's product, or the text they searched.")
    action = serializers.ChoiceField(["viewed", "carted", "bought", "searched"])
    when = serializers.ChoiceField(
        ["today", "yesterday", "this_week", "last_week", "this_month", "earlier"]
    )
    product_id = serializers.IntegerField(allow_null=True)
    shared = serializers.ListField(child=serializers.CharField(), help_text="Values both share.")


class TogetherSerializer(serializers.Serializer):
    name = serializers.CharField()
    relation = serializers.ChoiceField(["bought_together", "bought_next", "viewed_together"])
    shoppers = serializers.IntegerField(help_text="Other shoppers who did both.")
    product_id = serializers.IntegerField(allow_null=True)


class ConstraintMetSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        ["max_price", "min_price", "brand", "category", "in_stock", "word"]
    )
    value = serializers.CharField()
    met = serializers.BooleanField()


class EvidenceSerializer(serializers.Serializer):
    """The facts the reason may use (`reasons.evidence.Evidence`)."""

    product = ProductFactsSerializer()
    signal = serializers.CharField(help_text="What ranked the product: similar, neighbours, ...")
    history = HistoryLinkSerializer(many=True)
    together = TogetherSerializer(many=True)
    constraints = ConstraintMetSerializer(many=True)
    page_product = serializers.CharField(allow_null=True)
    shared_with_page = serializers.ListField(child=serializers.CharField())
    shoppers = serializers.IntegerField(allow_null=True, help_text="Shoppers in the last 30 days.")
    trend = serializers.FloatField(allow_null=True, help_text="Times its usual interest.")


class RecommendationSerializer(ProductSerializer):
    score = serializers.FloatField(help_text="Higher is a better match; comparable within a list.")
    strategy = serializers.CharField(help_text="The strategy that recommended this product.")
    reason = serializers.CharField(
        help_text="Why, in the request's language; empty where the placement shows none."
    )
    reason_source = serializers.CharField(
        help_text='"generated" (a model\'s sentence that passed the verifier), "template", or ""'
    )
    evidence = EvidenceSerializer(allow_null=True)

    def summary(self, instance: Recommendation) -> dict[str, Any]:
        return recommendation_card(instance)

    def to_representation(self, instance: Recommendation) -> dict[str, Any]:
        """The card's own values: they are plain already (`recommendation_card`, `Evidence`),
        and passing each through its field cost more than the rest of a similar-products
        request. `test_api_cards.py` checks that both ways give the same JSON."""
        card = self.summary(instance)
        return {name: card[name] for name in self.fields}


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
        fields["k"] = QueryIntegerField(
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
    q = serializers.CharField(
        max_length=QUERY_MAX_LENGTH, help_text="What the shopper wants, in their words."
    )
    min_price = PriceField(
        required=False, help_text="Lowest price; tightens a bound stated in the text."
    )
    max_price = PriceField(
        required=False, help_text="Highest price; tightens a bound stated in the text."
    )
    category = QueryIntegerField(
        required=False, min_value=1, help_text="Category id; its subcategories are included."
    )
    brand = QueryIntegerField(required=False, min_value=1, help_text="Brand id.")
    in_stock = QueryBooleanField(
        required=False,
        default=True,
        help_text="false also returns products that are out of stock (never inactive ones).",
    )

    def validate_category(self, value: int) -> int:
        model = get_adapter().category_model()
        if model is None or not model._default_manager.filter(pk=value).exists():
            raise unknown(self.fields["category"], f"Unknown category {value}.")
        return value

    def validate_brand(self, value: int) -> int:
        model = get_adapter().brand_model()
        if model is None or not model._default_manager.filter(pk=value).exists():
            raise unknown(self.fields["brand"], f"Unknown brand {value}.")
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


class StrategyQuerySerializer(PlacementQuerySerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        # Built per instance: strategies are a setting; the schema lists them as an enum.
        fields = super().get_fields()
        names = [name for name in strategy_names() if name != "search"]
        fields["strategy"] = serializers.ChoiceField(
            choices=names,
            help_text="The strategy to rank with (search has its own endpoint, /api/search/).",
            error_messages={
                "invalid_choice": f'Unknown strategy "{{input}}"; valid: {", ".join(names)} '
                "(search: use /api/search/)."
            },
        )
        return fields


class PlacementItemSerializer(RecommendationSerializer):
    position = serializers.IntegerField(help_text="1 is the first card.")

    def summary(self, instance: tuple[int, Recommendation]) -> dict[str, Any]:
        position, recommendation = instance
        return {**super().summary(recommendation), "position": position}


class PlacementResultSerializer(serializers.Serializer):
    placement = serializers.CharField()
    title = serializers.CharField(help_text="The heading to show above the products.")
    experiment = serializers.CharField(allow_null=True, help_text="The running experiment, if any.")
    variant = serializers.CharField(allow_null=True, help_text="The caller's variant of it.")
    strategy = serializers.CharField(help_text="The strategy of the placement or the variant.")
    impression = serializers.CharField(
        allow_blank=True,
        help_text="Signed token of this list; send it with a click. Empty: clicks aren't counted.",
    )
    results = PlacementItemSerializer(many=True)


class ClickSerializer(serializers.Serializer):
    product = ProductIdField(help_text="The clicked product's id.")
    impression = serializers.CharField(
        max_length=IMPRESSION_MAX_LENGTH,
        help_text="The `impression` token served with the list the card was in.",
    )


class EventSerializer(serializers.Serializer):
    product = ProductIdField(help_text="Product id.")
    event = serializers.ChoiceField(
        choices=list(EVENT_KINDS),
        help_text="What the shopper did. Carts and purchases are recorded by the store itself.",
        error_messages={
            "invalid_choice": '"{input}" is not an event a browser reports here (view, click); '
            "carts and purchases are recorded by the store itself."
        },
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of ``interaction_record``."""
        return {"product_id": attrs["product"], "kind": EVENT_KINDS[attrs["event"]]}


class EventResultSerializer(serializers.Serializer):
    recorded = serializers.BooleanField()
    reason = serializers.CharField(
        required=False, help_text='"duplicate" when the same event was just recorded.'
    )
