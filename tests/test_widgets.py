"""Template widgets and the "describe what you want" page: cards, empty states, never a 500."""

import logging
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from recommendations import selectors
from recommendations.models import Interaction, ProductEmbedding, ShopperEmbedding
from recommendations.recommenders.versions import version_train
from recommendations.services import products_embed
from recommendations.shoppers import user_key
from shop.store.models import Product
from tests.factories import BrandFactory, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_name_cache():
    """The request parser caches brand and category names; other tests' names must not leak."""
    cache.clear()


def render(source: str, **context) -> str:
    return Template("{% load recommendations %}" + source).render(Context(context))


def embedded(*products: Product) -> list[Product]:
    products_embed([p.pk for p in products])
    return list(products)


def card_titles(html: str, products) -> list[str]:
    """Titles of `products` in the order the cards show them (as titles: reasons name products
    too)."""
    found = [(html.index(f">{p.title}<"), p.title) for p in products if f">{p.title}<" in html]
    return [title for _, title in sorted(found)]


@pytest.fixture
def tents():
    """Named categories and brands: the fake encoder reads them; sequence numbers would vary."""
    tents, kitchen = CategoryFactory(name="Tents"), CategoryFactory(name="Kitchen")
    campwell = BrandFactory(name="Campwell")
    return embedded(
        ProductFactory(
            title="Alpine dome tent two person",
            category=tents,
            brand=campwell,
            image_url="https://img.test/a.jpg",
        ),
        ProductFactory(
            title="Alpine tunnel tent three person", category=tents, brand__name="Nordwind"
        ),
        ProductFactory(
            title="Ultralight trekking tent",
            category=tents,
            brand=campwell,
            price=Decimal("149.00"),
        ),
        ProductFactory(title="Espresso coffee grinder", category=kitchen, brand__name="Brewmaster"),
    )


def test_similar_products_renders_cards_with_scores(tents):
    dome, tunnel, trekking, _grinder = tents

    html = render("{% similar_products product k=2 %}", product=dome)

    assert "Similar products" in html
    assert card_titles(html, tents) == [trekking.title, tunnel.title]
    assert f">{dome.title}<" not in html
    assert f'href="{tunnel.get_absolute_url()}"' in html
    # The store's own card: its price format, rating, add to cart, and its placeholder image URL
    # for a product without an image.
    assert "€19.99" in html and "€149.00" in html
    assert "Nordwind" in html
    assert html.count('class="card__rating"') == 2
    assert f'action="{reverse("store:cart_add", args=[tunnel.pk])}"' in html
    placeholder = reverse("store:product_image", args=[tunnel.slug])
    assert f'class="card__image" src="{placeholder}"' in html
    assert 'data-strategy="similar"' in html
    assert html.count("data-score=") == 2


def test_similar_products_accepts_an_id(tents):
    html = render("{% similar_products product_id %}", product_id=tents[0].pk)

    assert tents[1].title in html


def test_widgets_render_nothing_when_nothing_is_embedded():
    product = ProductFactory(title="Alpine dome tent")
    ProductFactory(title="Alpine tunnel tent")
    assert not ProductEmbedding.objects.filter(vector__isnull=False).exists()

    assert render("{% similar_products product %}", product=product) == ""
    assert render("{% similar_products None %}") == ""


def test_for_you_renders_nothing_for_an_empty_catalog(rf: RequestFactory):
    request = rf.get("/")
    request.user = AnonymousUser()

    assert render("{% recommended_for_you %}", request=request) == ""


def test_for_you_for_an_anonymous_visitor_falls_back_to_popular_then_newest(rf: RequestFactory):
    older, popular, newest = (ProductFactory(title=f"Product {n}") for n in "ABC")
    Interaction.objects.create(shopper="u:999", product=popular, kind="purchase", weight=5.0)
    version_train()
    request = rf.get("/")
    request.user = AnonymousUser()

    html = render("{% recommended_for_you k=3 %}", request=request)

    assert "Recommended for you" in html
    assert card_titles(html, [older, popular, newest]) == [popular.title, newest.title, older.title]
    assert 'data-strategy="popular"' in html


def test_for_you_without_a_request_in_the_context_still_renders():
    ProductFactory(title="Lonely product")

    assert "Lonely product" in render("{% recommended_for_you %}")


def test_for_you_uses_the_signed_in_shoppers_vector(rf: RequestFactory, tents):
    *_others, grinder = tents
    user = UserFactory()
    ShopperEmbedding.objects.create(
        shopper=user_key(user.pk), vector=ProductEmbedding.objects.get(pk=grinder.pk).vector
    )
    request = rf.get("/")
    request.user = user

    html = render("{% recommended_for_you k=2 %}", request=request)

    assert card_titles(html, tents)[0] == grinder.title
    assert 'data-strategy="for_you"' in html


def test_a_database_error_hides_the_widget_and_leaves_the_page_usable(tents, monkeypatch, caplog):
    def broken(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(selectors, "similar_products", broken)

    with caplog.at_level(logging.WARNING):
        html = render("{% similar_products product %}", product=tents[0])

    assert html == ""
    assert "broken failed" in caplog.text
    assert Product.objects.count() == 4  # the transaction is not aborted


def test_a_bad_k_hides_the_widget(tents):
    assert render("{% similar_products product k='many' %}", product=tents[0]) == ""


def test_describe_box_is_a_labelled_get_form_to_the_ask_page():
    html = render("{% describe_what_you_want %}")

    assert f'action="{reverse("recommendations:ask")}"' in html
    assert 'method="get"' in html
    assert '<label class="rec-describe__label" for="rec-describe-q">' in html
    assert 'id="rec-describe-q"' in html and 'name="q"' in html
    assert 'placeholder="a gift for a runner under 50 EUR"' in html
    assert 'maxlength="500"' in html


def test_ask_page_keeps_to_the_price_bound_and_says_so(client):
    cheap = ProductFactory(title="Trail running shoes", price=Decimal("45.00"))
    pricey = ProductFactory(title="Carbon running shoes", price=Decimal("180.00"))
    embedded(cheap, pricey, ProductFactory(title="Running socks", price=Decimal("12.00")))

    response = client.get(reverse("recommendations:ask"), {"q": "running shoes under 50 EUR"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "price at most 50" in html
    assert cheap.title in html
    assert pricey.title not in html
    assert 'value="running shoes under 50 EUR"' in html


def test_ask_page_names_the_brand_it_understood(client):
    nordwind = BrandFactory(name="Nordwind")
    jacket = ProductFactory(title="Rain jacket", brand=nordwind)
    other = ProductFactory(title="Rain jacket deluxe")
    embedded(jacket, other)

    response = client.get(reverse("recommendations:ask"), {"q": "nordwind rain jacket"})

    html = response.content.decode()
    assert "brand: Nordwind" in html
    assert jacket.title in html
    assert other.title not in html


@pytest.mark.parametrize(
    ("query", "message"),
    [("", "Tell us what you are looking for"), ("   ", "Tell us what you are looking for")],
)
def test_ask_page_without_a_query_explains(client, query, message):
    response = client.get(reverse("recommendations:ask"), {"q": query})

    assert response.status_code == 200
    assert message in response.content.decode()


def test_ask_page_refuses_an_overlong_query_politely(client):
    response = client.get(reverse("recommendations:ask"), {"q": "x" * 501})

    assert response.status_code == 200
    assert "at most 500 characters; yours has 501" in response.content.decode()


def test_ask_page_before_anything_is_embedded_finds_by_words_or_says_nothing_matches(client):
    ProductFactory(title="Rain jacket")

    found = client.get(reverse("recommendations:ask"), {"q": "rain jacket"})
    nothing = client.get(reverse("recommendations:ask"), {"q": "unobtainium"})

    assert [card["title"] for card in found.context["cards"]] == ["Rain jacket"]
    assert nothing.status_code == 200
    assert "Nothing matches yet" in nothing.content.decode()


def test_ask_page_counts_the_request_towards_the_shoppers_taste(client):
    client.get(reverse("recommendations:ask"), {"q": "waterproof hiking jacket"})
    shopper = f"s:{client.session.session_key}"
    assert list(Interaction.objects.filter(shopper=shopper).values_list("kind", "text")) == [
        ("search", "waterproof hiking jacket")
    ]
