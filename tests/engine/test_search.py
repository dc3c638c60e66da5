"""The search service: full text and vectors fused by rank, typos, limits, related products and
bad input, through the service and the API (the pages: tests/store/test_search.py)."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import services
from recommendations.search import query_clean, search_problems, search_rank
from recommendations.search.fusion import rrf_fuse
from recommendations.search.query import head_word, plain_words
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def outdoor():
    clothing = CategoryFactory(name="Clothing")
    gear = CategoryFactory(name="Gear")
    products = {
        "jacket": ProductFactory(
            title="Rain jacket", description="Sealed seams.", category=clothing, price=80
        ),
        "hiking_jacket": ProductFactory(
            title="Hiking shell jacket", description="Light.", category=clothing, price=150
        ),
        "boots": ProductFactory(
            title="Hiking boots", description="Grippy soles.", category=gear, price=120
        ),
        "poles": ProductFactory(
            title="Trekking poles",
            description="For hiking in the hills.",
            category=gear,
            price=40,
        ),
        "mug": ProductFactory(
            title="Enamel mug", description="Holds coffee.", category=gear, price=12
        ),
    }
    services.products_embed([p.pk for p in products.values()])
    return products


def titles(ranking):
    from tests.engine.testapp.models import Product

    products = Product.objects.in_bulk([pk for pk, _ in ranking.ranked])
    return [products[pk].title for pk, _ in ranking.ranked]


def search_settings(**values):
    return override_settings(
        RECOMMENDATIONS={
            **settings.RECOMMENDATIONS,
            "SEARCH": {**settings.RECOMMENDATIONS.get("SEARCH", {}), **values},
        }
    )


def test_rrf_rewards_agreement_and_honours_weights():
    fused = rrf_fuse({"a": [1, 2, 3], "b": [2, 3]}, weights={}, k=60)
    assert [pk for pk, _ in fused] == [2, 3, 1]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)
    weighted = rrf_fuse({"a": [1, 2, 3], "b": [2, 3]}, weights={"b": 0.0}, k=60)
    assert [pk for pk, _ in weighted] == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "head"),
    [
        ("hiking jacket", "jacket"),
        ("jacket for hiking", "jacket"),
        ("a waterproof rain jacket under", "jacket"),
        ("the", ""),
        ("防水", ""),
    ],
)
def test_the_word_naming_the_product(text, head):
    assert head_word(plain_words(text)) == head


def test_query_clean_drops_control_characters():
    assert query_clean("a\x00b\t\n  c\x7f", max_length=4) == "a b "[:4]
    assert query_clean("  rain\x00jacket ") == "rain jacket"


def test_any_word_matches_and_the_kind_named_comes_first(outdoor):
    for text in ("hiking jacket", "jacket for hiking"):
        found = titles(search_rank(text, limit=10))
        assert found[:2] == ["Hiking shell jacket", "Rain jacket"], text
        assert {"Hiking boots", "Trekking poles"} <= set(found)
        assert "Enamel mug" not in found


def test_limits_in_the_words_are_filters(outdoor):
    ranking = search_rank("rain jacket under 100", limit=10)
    assert titles(ranking)[0] == "Rain jacket"
    assert "Hiking shell jacket" not in titles(ranking)
    assert ranking.filters.max_price == Decimal("100")


def test_typos_are_corrected_from_product_titles(outdoor):
    ranking = search_rank("hikng jackte", limit=10)
    assert ranking.corrected and ranking.text == "hiking jacket"
    assert titles(ranking)[0] == "Hiking shell jacket"


def test_known_words_are_left_alone(outdoor):
    # "seams" is only in a description: known to full text, so not "corrected".
    ranking = search_rank("seams", limit=10)
    assert not ranking.corrected
    assert titles(ranking) == ["Rain jacket"]


def test_excluded_words_bind_every_ranking(outdoor):
    found = titles(search_rank("hiking -jacket", limit=10))
    assert found and not any("jacket" in title.lower() for title in found)


def test_only_limits_lists_what_meets_them_cheapest_first(outdoor):
    ranking = search_rank("under 50", limit=10)
    assert titles(ranking) == ["Enamel mug", "Trekking poles"]
    assert not ranking.related and not ranking.empty


def test_only_common_words_is_nothing_to_search(outdoor):
    ranking = search_rank("the and of", limit=10)
    assert ranking.empty and ranking.ranked == []
    assert "only very common words" in search_problems("the and of")[0]
    assert search_problems("the under 50") == []


def test_nothing_matching_offers_the_closest_products_as_related(outdoor):
    with search_settings(MIN_SIMILARITY=1.1, RELATED_MIN_SIMILARITY=-1.0):
        ranking = search_rank("waterproof shell", limit=3)
    # "shell" is a title word; "waterproof" no product has: full text still finds the shell.
    assert titles(ranking)[0] == "Hiking shell jacket" and not ranking.related
    with search_settings(MIN_SIMILARITY=1.1, RELATED_MIN_SIMILARITY=-1.0):
        ranking = search_rank("zzzz qqqq", limit=3)
    assert ranking.related and len(ranking.ranked) == 3


def test_nothing_close_stays_empty(outdoor):
    with search_settings(RELATED_MIN_SIMILARITY=0.99):
        ranking = search_rank("zzzz qqqq", limit=3)
    assert ranking.ranked == [] and not ranking.related and not ranking.empty


def test_api_search_fuses_words_and_limits(outdoor):
    response = APIClient().get(reverse("recommendations_api:search"), {"q": "hiking jacket"})
    assert response.status_code == 200
    assert [r["title"] for r in response.json()["results"]][:2] == [
        "Hiking shell jacket",
        "Rain jacket",
    ]
    cheap = APIClient().get(reverse("recommendations_api:search"), {"q": "under 50"}).json()
    assert [r["title"] for r in cheap["results"]] == ["Enamel mug", "Trekking poles"]


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("under 99999999999999999999999999999999", "prices go up to 99,999,999.99"),
        ("tent under 1e400", "prices go up to"),
        ("the", "only very common words"),
        ("", "may not be blank"),
        ("a\x00b", "Null characters are not allowed"),
        ("x" * 10_000, "no more than 500 characters"),
    ],
)
def test_api_search_answers_unusable_queries_with_400(outdoor, q, message):
    response = APIClient().get(reverse("recommendations_api:search"), {"q": q})
    assert response.status_code == 400
    assert [message in problem for problem in response.json()["q"]] == [True]
