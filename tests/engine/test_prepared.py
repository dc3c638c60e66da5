"""Queries compiled once per shape: each call's values in place of the stand-ins, rows as the
ORM gives them, and the similar strategy answering as its queryset would, whatever the shape."""

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from recommendations import selectors, services
from recommendations.factories import get_adapter
from recommendations.models import Interaction
from recommendations.prepared import AnyOf, prepared
from recommendations.product_rows import products_listed
from recommendations.ranking import Filters, candidates
from recommendations.recommenders.versions import version_train
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "trail running shoe", "road running shoe", "trail running sock", "wool hiking sock",
    "rain jacket", "down jacket", "camp stove", "camp lantern", "tent pegs", "tent footprint",
]  # fmt: skip


@pytest.fixture
def products():
    category = CategoryFactory(name="Outdoors")
    found = [ProductFactory(title=title, category=category) for title in TITLES]
    found.append(ProductFactory(title="trail running vest", category=category, stock=0))
    services.products_embed([p.pk for p in found])
    return found


def test_a_shape_is_built_once_and_each_call_reads_its_own_values(products):
    built = []

    def build(standins):
        built.append(1)
        return (
            get_adapter()
            .queryset()
            .filter(AnyOf("pk", standins.integers("ids")))
            .exclude(title=standins.text("title"))
            .order_by("pk")
        )

    query = prepared("test: ids but a title", build)
    for chosen, title in [(products[:4], products[0].title), (products[3:9], "none")]:
        ids = [p.pk for p in chosen]
        expected = list(
            get_adapter().queryset().filter(pk__in=ids).exclude(title=title).order_by("pk")
        )
        found = prepared("test: ids but a title", build).objects(ids=ids, title=title)
        assert [p.pk for p in found] == [p.pk for p in expected]
        with CaptureQueriesContext(connection) as queries:
            assert [p.brand.name for p in found] == [p.brand.name for p in expected]
            assert [p.category.name for p in found] == [p.category.name for p in expected]
        assert not queries, "related rows come with the row, as select_related reads them"
    assert built == [1]
    assert query is prepared("test: ids but a title", build)


def test_annotations_and_prefetches_arrive_as_the_orm_gives_them(products):
    def build(standins):
        return (
            get_adapter()
            .queryset()
            .filter(pk=standins.integer("product"))
            .annotate(label=Concat(F("title"), Value("!")))
            .prefetch_related("category__products")
        )

    (found,) = prepared("test: one product", build).objects(product=products[2].pk)
    assert found.label == f"{products[2].title}!"
    with CaptureQueriesContext(connection) as queries:
        assert len(found.category.products.all()) == len(products)
    assert not queries


def test_a_builder_that_leaves_out_a_standin_is_refused():
    def build(standins):
        standins.integer("product")
        return get_adapter().queryset().all()

    with pytest.raises(ValueError, match="product"):
        prepared("test: forgets its stand-in", build)


def test_another_setting_compiles_again(products):
    built = []

    def build(standins):
        built.append(1)
        return get_adapter().queryset().filter(pk=standins.integer("product"))

    prepared("test: settings", build)
    with override_settings(RECOMMENDATIONS_TEST_MARKER=True):
        prepared("test: settings", build)
    assert built == [1, 1]


def test_listed_rows_are_those_of_the_ids_that_exist_in_one_query(products):
    ids = [products[1].pk, products[5].pk, 10**9, products[1].pk]
    with CaptureQueriesContext(connection) as queries:
        found = products_listed(ids)
    assert sorted(found) == sorted({products[1].pk, products[5].pk})
    assert found[products[5].pk].title == products[5].title
    assert len(queries) == 1 and "= ANY(" in queries[0]["sql"]
    assert products_listed([]) == {}


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"exclude_ids": "first three"},
        {"shopper": "s:buyer", "exclude_purchased": True},
        {"filters": Filters(include_out_of_stock=True)},
        {"filters": Filters(category_ids=("outdoors",))},
    ],
    ids=["plain", "excluding", "without-purchases", "out-of-stock", "narrow"],
)
def test_similar_answers_as_its_built_query_for_every_shape(products, monkeypatch, kwargs):
    services.interaction_record(
        shopper="s:buyer", kind=Interaction.Kind.PURCHASE, product_id=products[1].pk
    )
    if kwargs.get("exclude_ids"):
        kwargs["exclude_ids"] = [p.pk for p in products[1:4]]
    if "filters" in kwargs and kwargs["filters"].category_ids:
        kwargs["filters"] = Filters(category_ids=(products[0].category_id,))

    def ranked():
        found = selectors.similar_products(products[0].pk, k=6, explained=False, **kwargs)
        return [(r.product.pk, r.score) for r in found]

    served = [ranked() for _ in range(3)]
    monkeypatch.setattr(candidates, "request_standins", lambda request, strategy: None)
    built = ranked()
    assert served == [built] * 3
    assert len(built) == 6


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"exclude_ids": "first three"},
        {"exclude_purchased": False},
        {"filters": Filters(include_out_of_stock=True)},
    ],
    ids=["plain", "excluding", "with-purchases", "out-of-stock"],
)
def test_every_signal_of_for_you_answers_as_its_built_query(products, monkeypatch, kwargs):
    """Each recommender's proposal and score, per product (`details`), prepared and built."""
    shoppers = [f"s:taste{n}" for n in range(6)]
    for n, shopper in enumerate(shoppers):
        for step in range(4):
            kind = Interaction.Kind.PURCHASE if step == 3 else Interaction.Kind.VIEW
            product = products[(n + step * 2) % len(TITLES)]
            services.interaction_record(shopper=shopper, kind=kind, product_id=product.pk)
    version_train()
    for shopper in shoppers:
        services.shopper_vector_update(shopper)
    if kwargs.get("exclude_ids"):
        kwargs["exclude_ids"] = [p.pk for p in products[1:4]]

    def served():
        found = selectors.for_you(shoppers[1], k=6, explained=False, **kwargs)
        return [(r.product.pk, r.score, r.details) for r in found]

    prepared_twice = [served(), served()]
    monkeypatch.setattr(candidates, "request_standins", lambda request, strategy: None)
    built = served()
    assert prepared_twice == [built, built]
    signals = {name for _, _, details in built for name, score in details.items() if score}
    assert signals >= {"content", "neighbours", "popularity", "sequential"}
