"""The API's recommendation cards: written straight from the card's values, they must read as
the declared fields would render them (the schema clients are generated from)."""

import json
from collections import Counter
from decimal import Decimal

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from recommendations import services
from recommendations.api.serializers import RecommendationListSerializer, RecommendationSerializer
from recommendations.factories import get_adapter
from recommendations.ranking import Recommendation
from recommendations.reasons.evidence import (
    Constraint,
    Evidence,
    HistoryLink,
    ProductFacts,
    Together,
)
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


def as_json(data) -> object:
    return json.loads(JSONRenderer().render(data))


@pytest.fixture
def recommendations():
    tent = ProductFactory(
        title="Summit Dome Tent",
        brand=BrandFactory(name="Summit"),
        category=CategoryFactory(name="Tents"),
        price=Decimal("249.5"),
        stock=0,
    )
    plain = ProductFactory(title="Camp mug", brand=None, price=Decimal("4"))
    evidence = Evidence(
        product=ProductFacts(
            id=tent.pk, name=tent.title, brand="Summit", category="Tents", price="249.50",
            currency="EUR", in_stock=False, rating=4.5, attributes={"season": "3-season"},
        ),
        signal="neighbours",
        history=(HistoryLink(name="Trail Mat", action="bought", when="last_week",
                             product_id=7, shared=("Summit",)),),
        together=(Together(name="Trail Mat", relation="bought_next", shoppers=5, product_id=7),),
        constraints=(Constraint(kind="max_price", value="300", met=True),),
        page_product="Trail Mat",
        shared_with_page=("Summit", "3-season"),
        shoppers=12,
        trend=2.5,
    )  # fmt: skip
    return [
        Recommendation(
            product=tent, score=0.91, strategy="for_you", details={"neighbours": 0.5},
            evidence=evidence, reason="Others bought it next.", reason_source="template",
        ),
        Recommendation(product=plain, score=0.2, strategy="for_you"),
    ]  # fmt: skip


def test_cards_read_as_their_declared_fields_render_them(recommendations):
    for recommendation in recommendations:
        card = RecommendationSerializer().summary(recommendation)
        through_fields = serializers.Serializer.to_representation(RecommendationSerializer(), card)
        fast = RecommendationSerializer(recommendation).data
        assert as_json(fast) == as_json(through_fields)
        assert list(fast) == list(RecommendationSerializer().fields)


def test_a_list_of_cards_is_plain_json(recommendations):
    listing = {"results": recommendations, "count": 2, "strategy": "for_you"}
    data = as_json(RecommendationListSerializer(listing).data)
    assert data["count"] == 2 and "details" not in data["results"][0]
    assert data["results"][0]["price"] == "249.50"
    assert data["results"][0]["evidence"]["history"][0]["shared"] == ["Summit"]
    assert data["results"][1]["evidence"] is None and data["results"][1]["brand"] == ""


def test_a_card_and_its_reasons_facts_share_one_summary_of_the_product(client, monkeypatch):
    """Building a product's URL and image is most of what its card costs."""
    products = [ProductFactory(title=f"Trail tent {size}") for size in ("one", "two", "three")]
    services.products_embed([p.pk for p in products])
    adapter = get_adapter()
    made = Counter()
    summary = adapter.summary

    def counted(product):
        made[product.pk] += 1
        return summary(product)

    monkeypatch.setattr(adapter, "summary", counted)
    response = client.get(f"/api/products/{products[0].pk}/similar/", {"k": 2})

    results = response.json()["results"]
    assert [card["evidence"]["product"]["name"] for card in results] == [
        card["title"] for card in results
    ]
    assert {card["id"]: made[card["id"]] for card in results} == {
        products[1].pk: 1,
        products[2].pk: 1,
    }
