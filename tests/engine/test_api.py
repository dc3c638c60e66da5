"""The REST API: every endpoint's happy path, its validation, and what it must never show."""

from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import services
from recommendations.models import Interaction
from recommendations.recommenders.versions import version_train
from recommendations.services.stats import product_stats_refresh
from recommendations.shoppers import user_key
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def visitor():
    """An anonymous visitor with the session a shop page started."""
    visitor = APIClient()
    assert visitor.session.session_key
    return visitor


def url(name, *args):
    return reverse(f"recommendations_api:{name}", args=args)


def embedded(*products):
    services.products_embed([p.pk for p in products])
    return products


def assert_no_vectors(data):
    if isinstance(data, dict):
        assert "vector" not in data
        for value in data.values():
            assert_no_vectors(value)
    elif isinstance(data, list):
        for value in data:
            assert_no_vectors(value)


SUMMARY_FIELDS = {"id", "title", "url", "price", "currency", "brand", "category", "image"}
ITEM_FIELDS = SUMMARY_FIELDS | {
    "in_stock", "score", "strategy", "reason", "reason_source", "evidence"
}  # fmt: skip


# Schema and docs


def test_schema_lists_every_endpoint(client):
    response = client.get(url("schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/products/",
        "/api/products/{id}/",
        "/api/products/{id}/similar/",
        "/api/recommendations/for-you/",
        "/api/search/",
        "/api/events/",
    ]:
        assert path in paths


def test_schema_generates_without_warnings(tmp_path):
    call_command(
        "spectacular",
        "--validate",
        "--fail-on-warn",
        "--file",
        str(tmp_path / "schema.yml"),
        stderr=StringIO(),
    )


def test_swagger_ui_is_served(client):
    assert client.get(url("docs")).status_code == 200


# Products


def test_product_list_shows_active_products_only(client):
    active = ProductFactory(title="Trail shoe")
    ProductFactory(is_active=False)
    response = client.get(url("product-list"))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [item] = data["results"]
    assert item["id"] == active.pk
    assert item["title"] == "Trail shoe"
    assert item["price"] == "19.99"
    assert set(item) >= SUMMARY_FIELDS
    assert_no_vectors(data)


def test_product_list_page_size_is_capped_at_100(client):
    category, brand = CategoryFactory(), BrandFactory()
    ProductFactory.create_batch(101, category=category, brand=brand)
    data = client.get(url("product-list"), {"limit": 500}).json()
    assert data["count"] == 101
    assert len(data["results"]) == 100


def test_product_detail(client):
    product = ProductFactory()
    response = client.get(url("product-detail", product.pk))
    assert response.status_code == 200
    assert response.json()["id"] == product.pk
    assert_no_vectors(response.json())


@pytest.mark.parametrize("pk", ["inactive", 999999, 99999999999999999999, "abc"])
def test_product_detail_404_for_unknown_or_inactive(client, pk):
    if pk == "inactive":
        pk = ProductFactory(is_active=False).pk
    assert client.get(url("product-detail", pk)).status_code == 404


# Similar


def test_similar_excludes_the_product_inactive_and_out_of_stock(client):
    jacket, other, inactive, sold_out = embedded(
        ProductFactory(title="Waterproof hiking jacket"),
        ProductFactory(title="Waterproof hiking jacket light"),
        ProductFactory(title="Waterproof hiking jacket old", is_active=False),
        ProductFactory(title="Waterproof hiking jacket sold", stock=0),
    )
    response = client.get(url("product-similar", jacket.pk), {"k": 10})
    assert response.status_code == 200
    data = response.json()
    ids = [item["id"] for item in data["results"]]
    assert not {jacket.pk, inactive.pk, sold_out.pk} & set(ids)
    assert ids == [other.pk]
    assert data["count"] == 1
    assert data["strategy"] == "similar"
    [item] = data["results"]
    assert set(item) == ITEM_FIELDS
    assert isinstance(item["score"], float)
    assert item["strategy"] == "similar"
    assert_no_vectors(data)


def test_similar_is_empty_before_embedding(client):
    product = ProductFactory()
    ProductFactory()
    data = client.get(url("product-similar", product.pk)).json()
    assert data == {"results": [], "count": 0, "strategy": "similar"}


@pytest.mark.parametrize("pk", [999999, 0, -3, "abc", 2**63, 10**30])
def test_similar_404_for_unknown_product(client, pk):
    assert client.get(url("product-similar", pk)).status_code == 404


def test_similar_404_for_a_product_the_shop_does_not_show(client):
    hidden = ProductFactory(is_active=False)
    assert client.get(url("product-similar", hidden.pk)).status_code == 404


@pytest.mark.parametrize("k", ["0", "51", "-3", "ten", "1.5"])
def test_k_out_of_bounds_or_garbage_is_400(client, k):
    product = ProductFactory()
    response = client.get(url("product-similar", product.pk), {"k": k})
    assert response.status_code == 400
    assert "k" in response.json()


def test_k_over_max_names_the_max(client):
    response = client.get(url("for-you"), {"k": 51})
    assert response.status_code == 400
    assert "50" in response.json()["k"][0]


def test_k_at_max_is_accepted(client):
    assert client.get(url("for-you"), {"k": 50}).status_code == 200


# For you


def test_for_you_anonymous_gets_popular_fallback(client):
    popular, _quiet = embedded(ProductFactory(), ProductFactory())
    services.interaction_record(shopper="u:9999", kind="purchase", product_id=popular.pk)
    version_train()
    response = client.get(url("for-you"), {"k": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["strategy"] == "popular"
    assert [item["id"] for item in data["results"]] == [popular.pk]
    assert data["results"][0]["strategy"] == "popular"


def test_for_you_uses_the_callers_history(client):
    user = UserFactory()
    tent, similar_tent, _kettle = embedded(
        ProductFactory(title="Camping tent two person"),
        ProductFactory(title="Camping tent three person"),
        ProductFactory(title="Electric kettle"),
    )
    services.interaction_record(shopper=user_key(user.pk), kind="purchase", product_id=tent.pk)
    services.shopper_vector_update(user_key(user.pk))
    assert client.login(username=user.username, password="correct-horse-battery")
    data = client.get(url("for-you"), {"k": 1}).json()
    assert data["strategy"] == "for_you"
    assert [item["id"] for item in data["results"]] == [similar_tent.pk]
    assert_no_vectors(data)


@pytest.mark.parametrize("param", ["user", "shopper", "session"])
def test_for_you_refuses_to_name_another_shopper(client, param):
    response = client.get(url("for-you"), {param: "u:1"})
    assert response.status_code == 400
    assert "only for the caller" in response.json()[param][0]


# Search


def test_search_honours_the_price_in_the_text(client):
    cheap, _dear = embedded(
        ProductFactory(title="Waterproof jacket", price=Decimal("79.00")),
        ProductFactory(title="Waterproof jacket premium", price=Decimal("180.00")),
    )
    response = client.get(url("search"), {"q": "waterproof jacket under 100", "k": 10})
    assert response.status_code == 200
    data = response.json()
    assert data["strategy"] == "search"
    assert [item["id"] for item in data["results"]] == [cheap.pk]
    assert all(Decimal(item["price"]) <= 100 for item in data["results"])
    assert data["constraints"]["max_price"] == "100.00"
    assert "under 100" in data["constraints"]["matched"]
    assert_no_vectors(data)


def test_search_honours_explicit_filters(client):
    category, brand = CategoryFactory(), BrandFactory()
    child = CategoryFactory(parent=category)
    match = ProductFactory(
        title="Running shoe", category=child, brand=brand, price=Decimal("60.00")
    )
    embedded(
        match,
        ProductFactory(title="Running shoe", category=child, brand=brand, price=Decimal("20.00")),
        ProductFactory(title="Running shoe", brand=brand, price=Decimal("60.00")),
        ProductFactory(title="Running shoe", category=child, price=Decimal("60.00")),
    )
    params = {
        "q": "running shoe",
        "min_price": "50",
        "max_price": "70.5",
        "category": category.pk,
        "brand": brand.pk,
        "in_stock": "true",
    }
    data = client.get(url("search"), params).json()
    assert [item["id"] for item in data["results"]] == [match.pk]
    assert data["constraints"]["min_price"] == "50.00"
    assert data["constraints"]["brand_ids"] == [brand.pk]


def test_search_with_no_results_still_reports_all_constraints(client):
    params = {"q": "tent between 20 and 40", "max_price": "30"}
    data = client.get(url("search"), params).json()
    assert data["results"] == []
    assert data["constraints"]["min_price"] == "20.00"
    assert data["constraints"]["max_price"] == "30.00"
    assert data["constraints"]["in_stock"] is True


def test_search_in_stock_false_includes_sold_out_but_never_inactive(client):
    sold_out, _inactive = embedded(
        ProductFactory(title="Camping lantern", stock=0),
        ProductFactory(title="Camping lantern", is_active=False),
    )
    default = client.get(url("search"), {"q": "camping lantern"}).json()
    assert default["results"] == []
    data = client.get(url("search"), {"q": "camping lantern", "in_stock": "false"}).json()
    assert [item["id"] for item in data["results"]] == [sold_out.pk]
    assert data["results"][0]["in_stock"] is False
    assert data["constraints"]["in_stock"] is False


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 501}, "q"),
        ({"q": "tent", "min_price": "abc"}, "min_price"),
        ({"q": "tent", "min_price": "-1"}, "min_price"),
        ({"q": "tent", "max_price": "NaN"}, "max_price"),
        ({"q": "tent", "max_price": "1e999"}, "max_price"),
        ({"q": "tent", "min_price": "50", "max_price": "10"}, "min_price"),
        ({"q": "tent", "category": "shoes"}, "category"),
        ({"q": "tent", "category": ""}, "category"),
        ({"q": "tent", "in_stock": "maybe"}, "in_stock"),
        ({"q": "tent", "in_stock": ""}, "in_stock"),
        ({"q": "tent", "k": "100"}, "k"),
        ({"q": "tent", "k": ""}, "k"),
    ],
)
def test_search_bad_parameters_are_400_naming_them(client, params, field):
    response = client.get(url("search"), params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "tent", "category": "999999"}, "category"),
        ({"q": "tent", "category": "99999999999999999999"}, "category"),
        ({"q": "tent", "brand": "999999"}, "brand"),
    ],
)
def test_search_by_an_id_that_names_nothing_is_404_naming_it(client, params, field):
    """Well-formed, so valid by the schema, but there is no such thing: as for a product page."""
    response = client.get(url("search"), params)
    assert response.status_code == 404
    assert field in response.json()


def test_search_accepts_500_characters(client):
    assert client.get(url("search"), {"q": "x" * 500}).status_code == 200


# Events


def test_event_records_for_an_anonymous_visitor(visitor):
    product = ProductFactory()
    response = visitor.post(url("events"), {"product": product.pk, "event": "view"})
    assert response.status_code == 201
    assert response.json() == {"recorded": True}
    interaction = Interaction.objects.get()
    assert interaction.kind == Interaction.Kind.VIEW
    assert interaction.source == Interaction.Source.API
    assert interaction.product_id == product.pk
    session_key = visitor.cookies[settings.SESSION_COOKIE_NAME].value
    assert interaction.shopper == f"s:{session_key}"


def test_event_without_a_session_is_403_and_starts_none(client):
    """A fresh session per request would let a script pose as any number of shoppers."""
    product = ProductFactory()
    response = client.post(url("events"), {"product": product.pk, "event": "view"})
    assert response.status_code == 403
    assert "session" in response.json()["detail"]
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("event", ["purchase", "add_to_cart"])
def test_carts_and_purchases_are_not_taken_from_browsers(visitor, event):
    product = ProductFactory()
    response = visitor.post(url("events"), {"product": product.pk, "event": event})
    assert response.status_code == 400
    assert "recorded by the store itself" in response.json()["event"][0]
    assert not Interaction.objects.exists()


def test_event_records_for_a_logged_in_caller(client):
    user, product = UserFactory(), ProductFactory()
    client.force_login(user)
    response = client.post(url("events"), {"product": product.pk, "event": "view"}, format="json")
    assert response.status_code == 201
    assert Interaction.objects.get().shopper == user_key(user.pk)


def test_event_needs_a_csrf_token_when_logged_in():
    user, product = UserFactory(), ProductFactory()
    client = APIClient(enforce_csrf_checks=True)
    assert client.session.session_key
    assert client.post(url("events"), {"product": product.pk, "event": "view"}).status_code == 201
    client.force_login(user)
    response = client.post(url("events"), {"product": product.pk, "event": "click"})
    assert response.status_code == 403


def test_duplicate_event_is_collapsed(visitor):
    product = ProductFactory()
    body = {"product": product.pk, "event": "click"}
    assert visitor.post(url("events"), body).status_code == 201
    response = visitor.post(url("events"), body)
    assert response.status_code == 200
    assert response.json() == {"recorded": False, "reason": "duplicate"}
    assert Interaction.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"event": "view"}, {"product"}),
        ({"product": "PK"}, {"event"}),
        ({}, {"product", "event"}),
        ({"product": "PK", "event": "like"}, {"event"}),
        ({"product": "PK", "event": "cart"}, {"event"}),
        ({"product": "abc", "event": "view"}, {"product"}),
    ],
)
def test_event_validation_is_400_naming_the_field(client, body, fields):
    product = ProductFactory()
    body = {key: product.pk if value == "PK" else value for key, value in body.items()}
    response = client.post(url("events"), body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("product", [999999, 99999999999999999999])
def test_unknown_product_is_404_naming_it(client, product):
    response = client.post(url("events"), {"product": product, "event": "view"}, format="json")
    assert response.status_code == 404
    assert response.json() == {"product": [f"Unknown product {product}."]}
    assert not Interaction.objects.exists()


def test_events_are_throttled(visitor):
    products = ProductFactory.create_batch(3)
    rates = {"recommendation_events": "2/min"}
    with override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    ):
        codes = [
            visitor.post(url("events"), {"product": p.pk, "event": "view"}).status_code
            for p in products
        ]
    assert codes == [201, 201, 429]


def test_any_strategy_by_name(client):
    tent, stove = embedded(ProductFactory(title="Tent"), ProductFactory(title="Stove"))
    services.interaction_record(shopper="u:77", kind="purchase", product_id=stove.pk)
    product_stats_refresh()
    data = client.get(url("strategy"), {"strategy": "popular", "k": 1}).json()
    assert data["strategy"] == "popular" and [r["id"] for r in data["results"]] == [stove.pk]
    data = client.get(url("strategy"), {"strategy": "similar", "product": tent.pk}).json()
    assert [r["id"] for r in data["results"]] == [stove.pk]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"strategy": "bogus"}, "valid: collaborative, content, fbt, for_you"),
        ({"strategy": "search"}, "/api/search/"),
        ({}, "required"),
    ],
)
def test_unknown_strategy_is_400_naming_the_valid_ones(client, params, message):
    response = client.get(url("strategy"), params)
    assert response.status_code == 400
    assert message in str(response.json()["strategy"])
