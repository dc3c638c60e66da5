"""The store's search page and the ask page on the engine's search: words or meaning, typos,
limits in the words, related products, bad input; and the real model on the demo catalog."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import services
from shop.store.demo.service import seed_demo
from shop.store.models import Product
from tests.factories import CategoryFactory, ProductFactory
from tests.settings import REAL_ENCODER

pytestmark = pytest.mark.django_db


@pytest.fixture
def outdoor():
    clothing = CategoryFactory(name="Clothing")
    gear = CategoryFactory(name="Gear")
    products = [
        ProductFactory(
            title="Rain jacket", description="Sealed seams.", category=clothing, price=80
        ),
        ProductFactory(
            title="Hiking shell jacket", description="Light.", category=clothing, price=150
        ),
        ProductFactory(title="Hiking boots", description="Grippy.", category=gear, price=120),
        ProductFactory(title="Enamel mug", description="Holds coffee.", category=gear, price=12),
    ]
    services.products_embed([p.pk for p in products])
    return products


def search(client, q, **params):
    return client.get(reverse("store:search"), {"q": q, **params})


def titles(response) -> list[str]:
    return [product.title for product in response.context["page_obj"].object_list]


def search_settings(**values):
    return override_settings(
        RECOMMENDATIONS={
            **settings.RECOMMENDATIONS,
            "SEARCH": {**settings.RECOMMENDATIONS.get("SEARCH", {}), **values},
        }
    )


def test_any_word_matches_and_the_kind_named_comes_first(client, outdoor):
    found = titles(search(client, "hiking jacket"))
    assert found[:2] == ["Hiking shell jacket", "Rain jacket"]
    assert "Hiking boots" in found and "Enamel mug" not in found


def test_the_shoppers_filters_and_sort_still_apply(client, outdoor):
    response = search(client, "hiking jacket", max_price="130", sort="price_asc")
    assert titles(response) == ["Rain jacket", "Hiking boots"]


def test_a_price_in_the_words_is_a_limit(client, outdoor):
    assert titles(search(client, "jacket under 100")) == ["Rain jacket"]


def test_a_typo_is_corrected_and_said(client, outdoor):
    response = search(client, "hikng jackte")
    assert titles(response)[0] == "Hiking shell jacket"
    assert "Showing results for “hiking jacket”" in response.content.decode()


def test_only_a_price_lists_what_it_allows(client, outdoor):
    response = search(client, "under 50")
    assert response.status_code == 200
    assert titles(response) == ["Enamel mug"]


@pytest.mark.parametrize("q", ["the", "and of the", "a an"])
def test_only_common_words_explain_instead_of_searching(client, outdoor, q):
    response = search(client, q)
    assert response.status_code == 200
    assert "page_obj" not in response.context
    assert "has only very common words" in response.content.decode()


@pytest.mark.parametrize(
    "q", ["x" * 10_000, "a\x00b", "jacket under 99999999999999999999999999999999", "-", '"']
)
def test_odd_input_is_a_page_never_an_error(client, outdoor, q):
    assert search(client, q).status_code == 200


def test_an_impossible_price_is_left_out_and_said(client, outdoor):
    response = search(client, "jacket under 1e400")
    assert set(titles(response)) == {"Rain jacket", "Hiking shell jacket"}
    assert "this limit was left out" in response.content.decode()
    alone = search(client, "under 99999999999999999999999999999999").content.decode()
    assert "this limit was left out" in alone and "common words" not in alone


def test_nothing_matching_suggests_related_products(client, outdoor):
    with search_settings(MIN_SIMILARITY=1.1, RELATED_MIN_SIMILARITY=-1.0):
        response = search(client, "zzzz qqqq")
    assert len(titles(response)) == 4
    assert "No exact matches; related products:" in response.content.decode()


def test_nothing_close_says_so(client, outdoor):
    with search_settings(RELATED_MIN_SIMILARITY=0.99):
        response = search(client, "zzzz qqqq")
    assert titles(response) == []
    assert "Nothing matches your search" in response.content.decode()


@pytest.mark.parametrize("q", ["a\x00b", "the", "under 1e400 jacket", "x" * 10_000, "under 50"])
def test_ask_page_never_fails(client, outdoor, q):
    assert client.get(reverse("recommendations:ask"), {"q": q}).status_code == 200


def test_ask_page_says_what_it_could_not_use_and_when_products_are_related(client, outdoor):
    content = client.get(reverse("recommendations:ask"), {"q": "jacket under 1e400"}).content
    assert "this limit was left out" in content.decode()
    with search_settings(MIN_SIMILARITY=1.1, RELATED_MIN_SIMILARITY=-1.0):
        response = client.get(reverse("recommendations:ask"), {"q": "zzzz qqqq"})
    assert "No exact matches; related products:" in response.content.decode()
    assert len(response.context["cards"]) == 4


# The real model on the demo catalog.

JACKET_QUERIES = ["hiking jacket", "jacket for hiking", "rain jacket under 100", "防水夹克"]


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):
    """Seed and embed once for the module, inside a transaction rolled back at the end."""
    fake = {"ENCODER", "ENCODER_OPTIONS"}
    kept = {key: value for key, value in settings.RECOMMENDATIONS.items() if key not in fake}
    real = override_settings(RECOMMENDATIONS={**kept, **REAL_ENCODER})
    real.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            seed_demo(users=0)
            ids = list(Product.objects.values_list("pk", flat=True))
            assert services.products_embed(ids).encoded == len(ids) >= 1000
            yield
            transaction.set_rollback(True)
    finally:
        real.disable()


@pytest.mark.slow
@pytest.mark.parametrize("q", [*JACKET_QUERIES, "hikng jackte"])
def test_real_model_store_search_lists_jackets_first(client, demo_catalog, q):
    found = titles(search(client, q))
    jackets = [title for title in found if "Jacket" in title]
    first = min(5, len(jackets))
    assert first >= 3 and found[:first] == jackets[:first], found[:first]


@pytest.mark.slow
@pytest.mark.parametrize("q", JACKET_QUERIES)
def test_real_model_api_and_ask_page_list_jackets_first(client, demo_catalog, q):
    api = APIClient().get(reverse("recommendations_api:search"), {"q": q, "k": 5}).json()
    assert all("Jacket" in result["title"] for result in api["results"][:3]), api["results"]
    cards = client.get(reverse("recommendations:ask"), {"q": q}).context["cards"]
    assert all("Jacket" in card["title"] for card in cards[:3]), cards[:3]


@pytest.mark.slow
def test_real_model_a_price_in_the_words_bounds_every_result(client, demo_catalog):
    response = search(client, "rain jacket under 100")
    products = response.context["page_obj"].object_list
    assert products and all(product.price <= 100 for product in products)


@pytest.mark.slow
def test_real_model_nonsense_suggests_only_what_is_close(client, demo_catalog):
    """A word nobody sells finds related products by meaning; none of them unrelated noise."""
    response = search(client, "qwerty")
    assert "No exact matches; related products:" in response.content.decode()
    assert any("Keyboard" in title for title in titles(response)[:3])
