"""Bought together, without co-purchases: complementary categories, never substitutes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from recommendations import selectors, services
from recommendations.models import Interaction
from recommendations.recommenders.bought_together import category_complements
from recommendations.recommenders.versions import version_train
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def buy(shopper: str, *products, days: int = 0) -> None:
    for product in products:
        services.interaction_record(
            shopper=shopper,
            kind=Interaction.Kind.PURCHASE,
            product_id=product.pk,
            created_at=NOW - timedelta(days=days),
        )


@pytest.fixture
def catalog():
    """Four categories of three products each, all embedded (so "similar" would have answers)."""
    found = {
        name: [ProductFactory(title=f"{name} {i}", category=category) for i in range(3)]
        for name, category in (
            (name, CategoryFactory(name=name)) for name in ("Tents", "Stoves", "Shoes", "Socks")
        )
    }
    services.products_embed([p.pk for group in found.values() for p in group])
    return found


def test_a_product_never_bought_gets_its_complementary_categories(catalog):
    """Campers buy a tent with a stove, runners shoes with socks; one runner also buys a tent,
    once: chance, not a pattern."""
    tents, stoves = catalog["Tents"], catalog["Stoves"]
    for n in range(4):
        buy(f"x:camper{n}", tents[n % 2], stoves[n % 2], days=n)
        buy(f"x:runner{n}", catalog["Shoes"][0], catalog["Socks"][n % 2], days=n)
    buy("x:runner0", tents[0], catalog["Socks"][2], days=10)
    version_train()

    results = selectors.recommend("fbt", product_id=tents[2].pk, k=4)

    assert results and {r.product for r in results} <= set(stoves)
    assert results[0].product in stoves[:2]  # the bought ones first
    cart = selectors.recommend("fbt", basket_ids=(tents[2].pk,), k=4)
    assert {r.product for r in cart} <= set(stoves)


def test_bought_together_pairs_come_before_complements(catalog):
    tents, stoves = catalog["Tents"], catalog["Stoves"]
    for n in range(4):
        buy(f"x:camper{n}", tents[0], stoves[0], days=n)
        buy(f"x:other{n}", tents[1], stoves[1], days=n)
    version_train()

    results = selectors.recommend("fbt", product_id=tents[0].pk, k=3)

    assert results[0].product == stoves[0]
    assert {r.product for r in results} <= set(stoves)


def test_with_no_basket_data_there_is_nothing_rather_than_substitutes(catalog):
    tents = catalog["Tents"]
    buy("x:single", tents[0])  # one purchase is no basket
    services.interaction_record(shopper="x:v", kind="view", product_id=tents[1].pk)
    services.interaction_record(shopper="x:v", kind="view", product_id=tents[2].pk)

    assert selectors.recommend("fbt", product_id=tents[2].pk, k=4) == []
    version_train()
    assert selectors.recommend("fbt", product_id=tents[2].pk, k=4) == []


def test_category_pairs_bought_together_by_chance_are_not_complements(catalog):
    """Every basket holds socks: socks go with everything, so with nothing in particular."""
    socks = catalog["Socks"]
    for n in range(6):
        other = [catalog["Tents"], catalog["Shoes"], catalog["Stoves"]][n % 3][0]
        buy(f"x:{n}", socks[n % 3], other, days=n)

    learned = category_complements(version=None)

    assert learned.categories == learned.departments == {}
    assert selectors.recommend("fbt", product_id=catalog["Tents"][0].pk, k=4) == []


def test_a_category_too_rare_to_tell_gets_its_departments_complements():
    """Nobody bought a hammock yet; camping baskets hold kitchen things, running ones don't."""
    camping, kitchen, running = (CategoryFactory(name=n) for n in ("Camping", "Kitchen", "Running"))
    leaf = {
        name: CategoryFactory(name=name, parent=parent)
        for name, parent in (
            ("Tents", camping), ("Hammocks", camping), ("Stoves", kitchen), ("Mugs", kitchen),
            ("Shoes", running), ("Socks", running),
        )
    }  # fmt: skip
    products = {name: ProductFactory(title=name, category=c) for name, c in leaf.items()}
    for n in range(3):
        buy(f"x:camper{n}", products["Tents"], products[("Stoves", "Mugs")[n % 2]], days=n)
        buy(f"x:runner{n}", products["Shoes"], products["Socks"], days=n)
    services.products_embed([p.pk for p in products.values()])
    version_train()

    results = selectors.recommend("fbt", product_id=products["Hammocks"].pk, k=4)

    assert {r.product for r in results} == {products["Stoves"], products["Mugs"]}
