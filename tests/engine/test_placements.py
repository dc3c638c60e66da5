"""Placements: pins, bans, caps and purchases; the placement API, click tracking and the widget."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations import selectors
from recommendations.models import (
    Interaction,
    PinnedProduct,
    Placement,
    RecommendationEvent,
    Variant,
)
from recommendations.placements import placement_recommend, placement_serve
from recommendations.ranking import strategy_names
from recommendations.services import products_embed
from recommendations.shoppers import user_key
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = RecommendationEvent.Kind


@pytest.fixture
def products():
    """Ten products; with no history "popular" shows the newest first, so the order is known."""
    return [ProductFactory(title=f"Item {i:02d}") for i in range(10)]


def newest_first(products):
    return sorted(products, key=lambda p: p.pk, reverse=True)


@pytest.fixture
def home():
    return Placement.objects.create(
        name="home", title="Picked for you", default_strategy="popular", k=4
    )


def ids(results):
    return [r.product.pk for r in results]


def pin(placement, product, position):
    PinnedProduct.objects.create(placement=placement, product=product, position=position)


# Rules


def test_pins_come_first_in_position_order_and_bans_never_appear(home, products):
    ordered = newest_first(products)
    pin(home, products[0], position=2)
    pin(home, products[1], position=1)
    pin(home, products[2], position=3)
    home.banned_products.add(products[2], ordered[0])

    results = placement_recommend(home).results

    assert ids(results)[:2] == [products[1].pk, products[0].pk]
    assert [r.strategy for r in results[:2]] == ["pinned", "pinned"]
    assert products[2].pk not in ids(results) and ordered[0].pk not in ids(results)
    assert ids(results)[2:] == [ordered[1].pk, ordered[2].pk]
    assert len(set(ids(results))) == len(results) == 4


def test_pins_that_cannot_be_bought_are_left_out(home, products):
    products[0].is_active = False
    products[0].save()
    products[1].stock = 0
    products[1].save()
    pin(home, products[0], position=1)
    pin(home, products[1], position=2)
    pin(home, products[2], position=3)

    results = placement_recommend(home).results

    assert ids(results)[0] == products[2].pk
    assert products[0].pk not in ids(results) and products[1].pk not in ids(results)


def test_more_pins_than_k_shows_the_first_k(home, products):
    for position, product in enumerate(products[:6], start=1):
        pin(home, product, position)

    assert ids(placement_recommend(home, k=3).results) == [p.pk for p in products[:3]]


def test_max_per_brand_is_respected_and_k_products_remain():
    loud, quiet, calm = (BrandFactory(name=name) for name in ("Loud", "Quiet", "Calm"))
    calm_ones = [ProductFactory(brand=calm) for _ in range(2)]
    quiet_ones = [ProductFactory(brand=quiet) for _ in range(2)]
    loud_ones = [ProductFactory(brand=loud) for _ in range(6)]  # newest: popular's first
    placement = Placement.objects.create(
        name="capped", title="Capped", default_strategy="popular", k=5, max_per_brand=2
    )
    pin(placement, loud_ones[0], position=1)

    results = placement_recommend(placement).results

    assert [r.product for r in results] == [
        loud_ones[0],  # pinned, and counted towards the cap
        loud_ones[-1],
        *reversed(quiet_ones),
        calm_ones[-1],
    ]


def test_max_per_category_is_respected():
    shoes, hats = CategoryFactory(name="Shoes"), CategoryFactory(name="Hats")
    [ProductFactory(category=hats) for _ in range(3)]
    [ProductFactory(category=shoes) for _ in range(5)]
    placement = Placement.objects.create(
        name="mixed", title="Mixed", default_strategy="popular", k=4, max_per_category=2
    )

    categories = [r.product.category_id for r in placement_recommend(placement).results]

    assert sorted(categories) == sorted([shoes.pk, shoes.pk, hats.pk, hats.pk])


@pytest.fixture
def tents():
    tents = CategoryFactory(name="Tents")
    products = [
        ProductFactory(title=title, category=tents)
        for title in ("Alpine dome tent", "Alpine tunnel tent", "Trekking tent", "Beach tent")
    ]
    products_embed([p.pk for p in products])
    return products


def test_purchased_products_are_left_out_unless_the_placement_allows_them(tents):
    """ "similar" itself keeps bought products, so this is the placement's rule at work."""
    placement = Placement.objects.create(
        name="product", title="Similar", default_strategy="similar", k=3
    )
    shopper = user_key(UserFactory().pk)
    bought = tents[1]
    Interaction.objects.create(shopper=shopper, product=bought, kind="purchase", weight=0)

    def shown(shopper):
        return ids(placement_recommend(placement, shopper=shopper, product_id=tents[0].pk).results)

    assert bought.pk not in shown(shopper)
    assert bought.pk in shown("u:someone-else")
    placement.exclude_purchased = False
    placement.save()
    assert bought.pk in shown(shopper)


def test_a_placement_may_show_purchases_that_its_strategy_would_leave_out(tents):
    placement = Placement.objects.create(
        name="home", title="Popular", default_strategy="popular", k=4, exclude_purchased=False
    )
    shopper = user_key(UserFactory().pk)
    Interaction.objects.create(shopper=shopper, product=tents[1], kind="purchase", weight=5)
    assert tents[1].pk in ids(placement_recommend(placement, shopper=shopper).results)
    placement.exclude_purchased = True
    placement.save()
    assert tents[1].pk not in ids(placement_recommend(placement, shopper=shopper).results)


def test_product_placement_never_shows_the_product_itself(tents):
    placement = Placement.objects.create(
        name="product", title="Similar", default_strategy="similar", k=3
    )
    pin(placement, tents[0], position=1)

    results = placement_recommend(placement, product_id=tents[0].pk).results

    assert tents[0].pk not in ids(results)
    assert len(results) == 3


def test_cart_placement_passes_the_basket_on_and_never_shows_it(home, products, monkeypatch):
    asked = []
    recommend = selectors.recommend

    def spy(strategy, **kwargs):
        asked.append(kwargs["basket_ids"])
        return recommend(strategy, **kwargs)

    monkeypatch.setattr(selectors, "recommend", spy)
    basket = newest_first(products)[:2]
    pin(home, basket[0], position=1)

    results = placement_recommend(home, basket_ids=[p.pk for p in basket]).results

    assert asked == [(basket[0].pk, basket[1].pk)]
    assert not {p.pk for p in basket} & set(ids(results))
    assert len(results) == home.k


def test_clean_rejects_an_unknown_strategy_naming_the_valid_ones(home):
    home.default_strategy = "astrology"
    with pytest.raises(ValidationError) as error:
        home.full_clean()
    message = " ".join(error.value.message_dict["default_strategy"])
    assert "astrology" in message
    assert all(name in message for name in strategy_names())


def test_variant_clean_rejects_an_unknown_strategy(home):
    experiment = home.experiments.create(name="E")
    with pytest.raises(ValidationError) as error:
        Variant(experiment=experiment, name="A", strategy="astrology").full_clean()
    assert "popular" in " ".join(error.value.message_dict["strategy"])


# Placement API


@pytest.fixture
def api():
    return APIClient()


def placement_url(name):
    return reverse("recommendations_api:placement", args=[name])


def click_url(name):
    return reverse("recommendations_api:placement-click", args=[name])


def test_api_returns_the_placement_and_records_impressions(api, home, products):
    pin(home, products[0], position=1)

    response = api.get(placement_url("home"), {"k": 3})

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["placement"] == "home" and data["title"] == "Picked for you"
    assert data["experiment"] is None and data["variant"] is None
    assert data["strategy"] == "popular"
    assert [r["position"] for r in data["results"]] == [1, 2, 3]
    assert data["results"][0]["id"] == products[0].pk
    assert {"title", "price", "score", "strategy", "url"} <= set(data["results"][0])
    events = RecommendationEvent.objects.order_by("position")
    assert [(e.kind, e.position, e.product_id) for e in events] == [
        (Kind.IMPRESSION, i, r["id"]) for i, r in enumerate(data["results"], start=1)
    ]


@pytest.mark.parametrize("name", ["nowhere", "sleeping"])
def test_api_unknown_or_inactive_placement_is_404_naming_the_valid_ones(api, home, name):
    Placement.objects.create(
        name="sleeping", title="Off", default_strategy="popular", is_active=False
    )

    response = api.get(placement_url(name))

    assert response.status_code == 404
    message = response.json()["placement"][0]
    assert repr(name) in message and "valid: home" in message and "sleeping," not in message


def test_api_unknown_product_is_404(api, home):
    response = api.get(placement_url("home"), {"product": 999999})

    assert response.status_code == 404
    assert "Unknown product 999999" in response.json()["product"][0]


def test_api_strategy_removed_from_settings_is_400_naming_valid_ones(api, products):
    Placement.objects.create(name="old", title="Old", default_strategy="retired")

    response = api.get(placement_url("old"))

    assert response.status_code == 400
    assert "retired" in response.json()["strategy"][0]
    assert "popular" in response.json()["strategy"][0]
    assert not RecommendationEvent.objects.exists()


def test_api_takes_a_basket_and_checks_its_products(api, home, products):
    url = placement_url("home")
    newest = newest_first(products)[0]

    shown = api.get(url, {"basket": [newest.pk, products[0].pk]}).json()["results"]
    unknown = api.get(url, {"basket": [newest.pk, 999999]})

    assert newest.pk not in [r["id"] for r in shown] and len(shown) == home.k
    assert unknown.status_code == 404 and "Unknown product 999999" in str(unknown.json())


# Clicks


def shown(client, name="home", **params):
    """What the placement shows the client: (its products' ids, the impression token)."""
    data = client.get(placement_url(name), params).json()
    return [r["id"] for r in data["results"]], data["impression"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"impression": "forged"}, "product"),
        ({"product": "", "impression": "forged"}, "product"),
        ({"product": "PRODUCT"}, "impression"),
        ({"product": "PRODUCT", "impression": ""}, "impression"),
        ({"product": "PRODUCT", "impression": "forged"}, "impression"),
        ({"product": "PRODUCT", "impression": "x" * 2001}, "impression"),
    ],
)
def test_click_validation(api, home, products, body, field):
    body = {k: products[0].pk if v == "PRODUCT" else v for k, v in body.items()}

    response = api.post(click_url("home"), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not RecommendationEvent.objects.exists()


def test_click_on_an_unknown_product_is_404(api, home):
    response = api.post(click_url("home"), {"product": 999999, "impression": "x"}, format="json")

    assert response.status_code == 404
    assert "Unknown product 999999" in response.json()["product"][0]
    assert not RecommendationEvent.objects.exists()


def test_click_on_unknown_placement_is_404_naming_the_valid_ones(api, home, products):
    response = api.post(click_url("nowhere"), {"product": products[0].pk, "impression": "x"})

    assert response.status_code == 404
    assert "valid: home" in response.json()["placement"][0]


def test_click_is_recorded_for_the_caller(api, home, products):
    user = UserFactory()
    api.force_login(user)
    ids, impression = shown(api)

    response = api.post(
        click_url("home"), {"product": ids[1], "impression": impression}, format="json"
    )

    assert response.status_code == 201
    click = RecommendationEvent.objects.get(kind=Kind.CLICK)
    assert (click.position, click.product_id) == (2, ids[1])
    assert click.shopper == user_key(user.pk) and click.placement == home


def test_signed_in_beacon_sends_the_csrf_token_in_the_form_body(home, products):
    """sendBeacon can't set headers: the widget's script puts the token in the form data."""
    user = UserFactory()
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    ids, impression = shown(client)
    body = {"product": ids[0], "impression": impression}

    assert client.post(click_url("home"), body, format="multipart").status_code == 403
    body["csrfmiddlewaretoken"] = token
    assert client.post(click_url("home"), body, format="multipart").status_code == 201


# Widget


def render(source, **context):
    return Template("{% load recommendation_placements %}" + source).render(Context(context))


@pytest.fixture
def page_request():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    return request


def test_widget_renders_the_heading_cards_and_click_hooks(home, products, page_request):
    pin(home, products[0], position=1)

    html = render('{% recommendation_placement "home" k=3 %}', request=page_request)

    assert "Picked for you" in html
    assert html.count('class="rec-card"') == 3
    assert html.index(products[0].title) < html.index(newest_first(products)[0].title)
    assert 'data-rec-placement="home"' in html
    assert f'data-rec-click-url="{click_url("home")}"' in html
    assert "data-rec-impression=" in html
    assert "recommendations/placements.js" in html
    impressions = RecommendationEvent.objects.filter(kind=Kind.IMPRESSION)
    assert impressions.count() == 3
    assert impressions.get(position=1).product == products[0]


def test_widget_uses_the_placements_k_by_default(home, products, page_request):
    html = render('{% recommendation_placement "home" %}', request=page_request)

    assert html.count('class="rec-card"') == home.k == RecommendationEvent.objects.count()


def test_widget_leaves_out_the_basket(home, products, page_request):
    newest = newest_first(products)[0]

    html = render(
        '{% recommendation_placement "home" basket=basket %}', request=page_request, basket=[newest]
    )

    assert newest.title not in html and html.count('class="rec-card"') == home.k


def test_widget_for_unknown_placement_renders_nothing_and_warns(home, caplog):
    with caplog.at_level(logging.WARNING):
        html = render('{% recommendation_placement "nowhere" %}')

    assert html == ""
    assert "nowhere" in caplog.text and "valid: home" in caplog.text


def test_widget_with_no_results_renders_nothing(products):
    Placement.objects.create(name="product", title="Similar", default_strategy="similar")

    html = render('{% recommendation_placement "product" product=product %}', product=products[0])

    assert html == ""
    assert not RecommendationEvent.objects.exists()


def test_serve_without_request_records_shopperless_impressions(home, products):
    served = placement_serve("home", k=2)

    assert len(served.results) == 2
    assert set(RecommendationEvent.objects.values_list("shopper", flat=True)) == {""}


# Admin


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_placement_admin_pages_load(admin_client, home, products):
    pin(home, products[0], position=1)
    home.banned_products.add(products[1])

    changelist = admin_client.get(reverse("admin:recommendations_placement_changelist"))
    change = admin_client.get(reverse("admin:recommendations_placement_change", args=[home.pk]))

    assert changelist.status_code == 200 and b"Picked for you" in changelist.content
    assert change.status_code == 200
    # The host's product admin has search fields, so product fields are autocompletes.
    assert b"admin-autocomplete" in change.content
    assert b'<option value="popular" selected>popular</option>' in change.content


@pytest.mark.parametrize(
    ("model", "field"), [("pinnedproduct", "product"), ("placement", "banned_products")]
)
def test_product_autocomplete_answers_for_pins_and_bans(admin_client, products, model, field):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "recommendations",
            "model_name": model,
            "field_name": field,
            "term": "Item 0",
        },
    )

    assert response.status_code == 200
    assert len(response.json()["results"]) == 10


def test_placement_admin_rejects_an_unknown_strategy(admin_client):
    response = admin_client.post(
        reverse("admin:recommendations_placement_add"),
        {
            "name": "cart",
            "title": "You may also like",
            "default_strategy": "astrology",
            "k": 4,
            "is_active": "on",
            "pins-TOTAL_FORMS": 0,
            "pins-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert not Placement.objects.filter(name="cart").exists()
    assert b"astrology is not one of the available choices" in response.content
