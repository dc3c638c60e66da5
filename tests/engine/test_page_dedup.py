"""Widgets on one page never repeat each other's products, nor the shop's own shelves."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from recommendations import services
from recommendations.models import Interaction, Placement
from recommendations.recommenders.versions import version_train
from recommendations.services.stats import product_stats_refresh
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def page(source: str, **context) -> list[list[int]]:
    """Per widget on the rendered page, the product ids of its cards in order."""
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template("{% load recommendations recommendation_placements %}" + source).render(
        Context({"request": request, **context})
    )
    widgets = re.split(r'<section class="rec-widget', html)[1:]
    return [[int(pk) for pk in re.findall(r'data-product-id="(\d+)"', w)] for w in widgets]


@pytest.fixture
def catalog():
    """Tents and stoves, shoes and socks: campers buy a tent with a stove, runners shoes with
    socks; everything is embedded, so "similar" always has something to show."""
    groups = {
        name: [ProductFactory(title=f"{name} {i}", category=category) for i in range(6)]
        for name, category in (
            (name, CategoryFactory(name=name)) for name in ("Tent", "Stove", "Shoe", "Sock")
        )
    }
    for n in range(6):
        for first, second in (("Tent", "Stove"), ("Shoe", "Sock")):
            for product in (groups[first][n % 3], groups[second][n % 3]):
                services.interaction_record(
                    shopper=f"x:{first}{n}",
                    kind=Interaction.Kind.PURCHASE,
                    product_id=product.pk,
                    created_at=NOW - timedelta(days=n),
                )
    services.products_embed([p.pk for group in groups.values() for p in group])
    product_stats_refresh()
    version_train()
    for name, title, strategy in (
        ("home", "For you", "for_you"),
        ("trending", "Trending", "trending"),
        ("product", "Similar", "similar"),
        ("product-bought-together", "Bought together", "fbt"),
    ):
        Placement.objects.create(name=name, title=title, default_strategy=strategy, k=6)
    return groups


def test_a_product_page_never_shows_a_product_twice(catalog):
    tent = catalog["Tent"][5]  # never bought: "bought together" falls back to complements

    widgets = page(
        '{% recommendation_placement "product-bought-together" product=product %}'
        '{% recommendation_placement "product" product=product %}'
        "{% similar_products product k=8 %}",
        product=tent,
    )

    assert len(widgets) == 3 and all(widgets[:2])
    shown = [pk for widget in widgets for pk in widget]
    assert len(shown) == len(set(shown)) and tent.pk not in shown
    stoves = {p.pk for p in catalog["Stove"]}
    assert set(widgets[0]) <= stoves  # complements, not more tents


def test_a_home_page_leaves_out_the_shops_own_shelf_and_earlier_widgets(catalog):
    shelf = [p for group in catalog.values() for p in group][-8:]

    widgets = page(
        "{% page_products_shown shelf %}"
        '{% recommendation_placement "home" k=6 %}'
        '{% recommendation_placement "trending" k=6 %}'
        "{% recommended_for_you k=6 %}",
        shelf=shelf,
    )

    assert len(widgets) >= 2 and all(widgets[:2])
    shown = [pk for widget in widgets for pk in widget]
    assert len(shown) == len(set(shown))
    assert not set(shown) & {p.pk for p in shelf}


def test_without_a_request_widgets_are_served_as_before(catalog):
    """Nothing to remember a page by: each widget on its own (the API's case)."""
    source = '{% load recommendation_placements %}{% recommendation_placement "home" k=3 %}'
    first = Template(source).render(Context({}))
    second = Template(source).render(Context({}))

    assert first.count('class="rec-card"') == 3 and first == second
