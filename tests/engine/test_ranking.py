"""Strategies: one SQL query each, availability rules, fallbacks and hard constraints."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from recommendations import selectors, services
from recommendations.models import Interaction
from recommendations.ranking import Filters
from recommendations.ranking.registry import UnknownStrategy
from recommendations.recommenders.versions import version_train
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind


@pytest.fixture
def catalog():
    tents = CategoryFactory(name="Tents")
    kitchen = CategoryFactory(name="Cookware")
    products = {
        "tent": ProductFactory(title="Ultralight backpacking tent", category=tents, price=199),
        "tent2": ProductFactory(title="Family camping tent", category=tents, price=89),
        "tent_off": ProductFactory(title="Backpacking tent old", category=tents, is_active=False),
        "tent_empty": ProductFactory(title="Backpacking tent sold out", category=tents, stock=0),
        "pan": ProductFactory(title="Cast iron frying pan", category=kitchen, price=45),
        "pot": ProductFactory(title="Stainless stock pot", category=kitchen, price=30),
    }
    services.products_embed([p.pk for p in products.values()])
    return products


def test_similar_is_one_query_and_excludes_self_inactive_and_sold_out(catalog):
    with CaptureQueriesContext(connection) as queries:
        # The ranking alone: the evidence behind reasons is read apart (see test_reasons).
        assert len(selectors.similar_products(catalog["tent"].pk, k=3, explained=False)) == 3
    # One query; the only other one allowed is the exact fallback, for when the graph comes up
    # short (rows that earlier tests deleted stay in the HNSW graph until a vacuum).
    assert len(queries) == 1 or (
        len(queries) == 2 and ' + 0.0) AS "distance"' in queries[1]["sql"]
    ), [q["sql"][:300] for q in queries]
    results = selectors.similar_products(catalog["tent"].pk, k=10)
    ids = [r.product.pk for r in results]
    assert catalog["tent"].pk not in ids
    assert catalog["tent_off"].pk not in ids and catalog["tent_empty"].pk not in ids
    assert ids[0] == catalog["tent2"].pk
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)


def test_fewer_matches_than_k_falls_back_to_an_exact_search(catalog):
    with CaptureQueriesContext(connection) as queries:
        results = selectors.similar_products(catalog["tent"].pk, k=10, explained=False)
    assert len(results) == 3 and len(queries) == 2
    assert "<=> " in queries[1]["sql"] and ' + 0.0) AS "distance"' in queries[1]["sql"]


def test_similar_for_a_product_without_vector_is_empty():
    product = ProductFactory()
    assert selectors.similar_products(product.pk, k=5) == []


def test_for_you_without_history_falls_back_to_popular(catalog):
    services.interaction_record(shopper="s:a", kind=Kind.PURCHASE, product_id=catalog["pan"].pk)
    version_train()
    results = selectors.for_you("s:new", k=3)
    assert results[0].product == catalog["pan"] and results[0].strategy == "popular"
    assert len(results) == 3
    assert selectors.for_you(None, k=2)[0].strategy == "popular"


def test_for_you_follows_the_shopper_and_skips_what_they_bought(catalog):
    services.interaction_record(shopper="u:9", kind=Kind.PURCHASE, product_id=catalog["tent"].pk)
    services.shopper_vector_update("u:9")
    results = selectors.for_you("u:9", k=3)
    assert results[0].strategy == "for_you"
    assert catalog["tent"].pk not in [r.product.pk for r in results]
    assert results[0].product == catalog["tent2"]


def test_a_rare_filter_still_returns_k_results():
    brand = BrandFactory(name="Rare")
    category = CategoryFactory()
    ProductFactory.create_batch(300, category=category)
    rare = ProductFactory.create_batch(4, category=category, brand=brand)
    services.products_embed(services.products_needing_embedding_ids())
    with CaptureQueriesContext(connection) as queries:
        results = selectors.recommend(
            "similar",
            product_id=rare[0].pk,
            k=3,
            filters=Filters(brand_ids=(brand.pk,)),
            explained=False,
        )
    assert sorted(r.product.pk for r in results) == sorted(p.pk for p in rare[1:])
    # A count finds the filter selective, then its matches are sorted exactly.
    assert len(queries) == 2 and "COUNT(*)" in queries[0]["sql"]
    assert ' + 0.0) AS "distance"' in queries[1]["sql"]


def test_a_broad_filter_walks_the_graph(catalog):
    with (
        override_settings(RECOMMENDATIONS={"EXACT_SEARCH_MAX_ROWS": 1}),
        CaptureQueriesContext(connection) as queries,
    ):
        results = selectors.recommend(
            "similar", product_id=catalog["tent"].pk, k=2, filters=Filters(max_price=500)
        )
    assert len(results) == 2
    assert " + 0.0) AS" not in queries[-1]["sql"]


def test_search_honours_price_category_and_stock(catalog):
    results = selectors.search_products("camping tent under 100", k=10)
    assert [r.product for r in results] == [catalog["tent2"]]
    constraints = results[0].details["constraints"]
    assert constraints["max_price"] == "100"
    assert catalog["tent"].category_id in constraints["category_ids"]


def test_search_in_chinese_honours_the_price(catalog):
    results = selectors.search_products("厨房 锅 40元以下", k=10)
    assert results and all(r.product.price <= Decimal("40") for r in results)
    assert [r.product for r in results] == [catalog["pot"]]


def test_explicit_filters_and_text_bounds_combine(catalog):
    results = selectors.search_products(
        "something for the kitchen over 10", k=10, filters=Filters(max_price=Decimal("40"))
    )
    assert {r.product for r in results} == {catalog["pot"]}


def test_unknown_strategy_names_the_valid_ones():
    with pytest.raises(
        UnknownStrategy,
        match="valid: collaborative, content, fbt, for_you, popular, recently_viewed, search,",
    ):
        selectors.recommend("bogus", k=3)


def test_k_is_clamped():
    assert selectors.k_clamp(0) == 1 and selectors.k_clamp(500) == 50
    assert selectors.k_clamp(None) == 10
