"""Serving at the speed of the database: the product page with its widgets, and "for you" from
the API, each in a bounded number of SQL queries (issue 13), whatever the number of cards."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Interaction, RecommendationEvent
from recommendations.recommenders.versions import version_train
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ReviewFactory,
    UserFactory,
    store_placements_restore,
)

# Autocommit, as a web request runs: only statements count, not transaction control.
pytestmark = pytest.mark.django_db(transaction=True)
Kind = Interaction.Kind
# As served now (issue 13 asks for 8 on the product page: `make bench` counts 8 for a visitor's
# second visit at 100,000 products, where the similar widget's graph search needs no exact scan
# and its reasons are kept by the process). The product page was 50 and "for you" 26 before
# placements and the model version were kept per process, impressions written in one statement
# and the purchases of a placement without pins left to the strategy; then 29, before the view
# was recorded in one statement, the header's categories cached, the widgets' products loaded
# with their ratings, what both widgets read shared per request and their impressions written
# together, once the response is sent; then 17, before the view's statement read the shopper's
# privacy choice too and the widgets took the page's product as the view read it. Here one of
# the 14 is the similar widget's exact scan (its few products are fewer than the graph search
# reads, see `nearest`), and both widgets read reasons of facts this process has not seen.
PRODUCT_PAGE_QUERIES = 14
FOR_YOU_QUERIES = 19
# The product, read once for the check that it is shown and for the evidence, then the graph
# search and (with this few products) its exact scan; reasons come from the process.
SIMILAR_QUERIES = 3


@pytest.fixture
def shop():
    """Two aisles of products that shoppers view, cart and buy together, trained on."""
    store_placements_restore()
    aisles = [CategoryFactory(name=name) for name in ("Camping", "Kitchen")]
    products = [
        ProductFactory(title=f"{aisle.name} item {n}", category=aisle, stock=20)
        for aisle in aisles
        for n in range(8)
    ]
    services.products_embed([p.pk for p in products])
    start = timezone.now() - timedelta(days=3)
    for n in range(12):
        aisle = products[:8] if n % 2 else products[8:]
        for step, product in enumerate(aisle[n % 3 : n % 3 + 4]):
            services.interaction_record(
                shopper=f"x:buyer{n}", kind=Kind.PURCHASE if step % 2 else Kind.VIEW,
                product_id=product.pk, created_at=start + timedelta(hours=n, minutes=step),
            )  # fmt: skip
    version_train()
    return products


def test_the_product_page_with_its_widgets(client, shop, django_assert_max_num_queries):
    client.force_login(UserFactory())
    client.get(shop[1].get_absolute_url())
    impressions = RecommendationEvent.objects.filter(kind=RecommendationEvent.Kind.IMPRESSION)
    before = impressions.count()
    with django_assert_max_num_queries(PRODUCT_PAGE_QUERIES):
        response = client.get(shop[2].get_absolute_url())
    assert response.status_code == 200
    # Both widgets served something (and counted it), so the bound is for a full page.
    assert impressions.count() > before
    assert set(impressions.values_list("placement__name", flat=True)) == {
        "product",
        "product-bought-together",
    }


def test_for_you_from_the_api(client, shop, django_assert_max_num_queries):
    client.get(shop[1].get_absolute_url())
    client.get(shop[3].get_absolute_url())
    url = reverse("recommendations_api:for-you")
    # The process reads the sequence model once; every later request is like this one.
    client.get(url, {"k": 6})
    with django_assert_max_num_queries(FOR_YOU_QUERIES):
        response = client.get(url, {"k": 6})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 6 and response.json()["strategy"] == "for_you"


def test_the_widgets_cards_show_each_products_rating_without_reading_it_again(client, shop):
    for product in shop:
        for rating in (4, 5):
            ReviewFactory(product=product, rating=rating)
    response = client.get(shop[2].get_absolute_url())
    cards = {card["id"]: card for context in response.context for card in context.get("cards", [])}
    assert len(cards) >= 6
    for card in cards.values():
        # The store's card is the row the engine loaded the list with, rating included.
        assert card["product"] is card["instance"]
        assert (card["product"].avg_rating, card["product"].review_count) == (4.5, 2)


def test_similar_from_the_api_reads_the_product_once(client, shop, django_assert_max_num_queries):
    url = reverse("recommendations_api:product-similar", args=[shop[2].pk])
    client.get(url, {"k": 6})
    with django_assert_max_num_queries(SIMILAR_QUERIES):
        response = client.get(url, {"k": 6})
    assert response.status_code == 200 and len(response.json()["results"]) == 6
