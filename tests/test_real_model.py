"""The real all-MiniLM-L6-v2 on the demo catalog: what a shopper would actually see."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from recommendations import selectors, services
from recommendations.evaluation.service import recommendations_evaluate
from recommendations.models import Interaction
from shop.demo import demo_history_load
from shop.store.demo.service import seed_demo
from shop.store.models import Product
from tests.settings import REAL_ENCODER

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@pytest.fixture(scope="module", autouse=True)
def demo_catalog(django_db_setup, django_db_blocker):
    """Seed and embed once for the module, inside a transaction rolled back at the end."""
    real = override_settings(RECOMMENDATIONS=REAL_ENCODER)
    real.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            seed_demo()
            demo_history_load()
            ids = list(Product.objects.values_list("pk", flat=True))
            report = services.products_embed(ids)
            assert report.encoded == len(ids) >= 1000
            yield
            transaction.set_rollback(True)
    finally:
        real.disable()


def top_level(product: Product) -> str:
    return product.category.ancestors_and_self()[0].name


def test_neighbours_of_a_trail_running_shoe_are_running_gear():
    shoe = Product.objects.filter(
        category__name="Trail running shoes", is_active=True, stock__gt=0
    ).first()
    results = selectors.similar_products(shoe.pk, k=10)
    departments = [top_level(r.product) for r in results]
    assert len(results) == 10
    assert "Kitchen" not in departments and "Home" not in departments
    assert departments.count("Running") >= 8, departments


@pytest.mark.parametrize(
    ("request_text", "low", "high"),
    [
        ("waterproof hiking jacket under 100", None, "100"),
        ("a gift for a runner under 50 EUR", None, "50"),
        ("tent between 150 and 400 euros", "150", "400"),
        ("送给跑步爱好者的礼物 200元以下", None, "200"),
        ("防水帐篷 300元以上", "300", None),
        ("cast iron pan in stock", None, None),
    ],
)
def test_natural_language_results_honour_every_constraint(request_text, low, high):
    results = selectors.search_products(request_text, k=20)
    assert results, request_text
    for result in results:
        product = result.product
        assert product.is_active and product.stock > 0
        if low:
            assert product.price >= Decimal(low)
        if high:
            assert product.price <= Decimal(high)


def test_natural_language_results_are_about_the_request():
    runner = selectors.search_products("a gift for a runner under 50 EUR", k=10)
    assert sum(top_level(r.product) == "Running" for r in runner) >= 6
    chinese = selectors.search_products("送给跑步爱好者的礼物 200元以下", k=10)
    assert sum(top_level(r.product) == "Running" for r in chinese) >= 6
    tents = selectors.search_products("tent between 150 and 400 euros", k=10)
    assert all(r.product.category.name == "Tents" for r in tents)


def test_a_shopper_who_bought_tents_gets_outdoor_products_first():
    tents = Product.objects.filter(category__name="Tents")[:2]
    for tent in tents:
        services.interaction_record(
            shopper="s:camper", kind=Interaction.Kind.PURCHASE, product_id=tent.pk,
            created_at=timezone.now(),
        )  # fmt: skip
    assert services.shopper_vector_update("s:camper")
    results = selectors.for_you("s:camper", k=10)
    departments = [top_level(r.product) for r in results]
    assert results[0].strategy == "for_you"
    assert departments[0] == "Outdoor"
    assert departments.count("Outdoor") >= 8, departments
    assert not {t.pk for t in tents} & {r.product.pk for r in results}


def test_on_the_demo_data_the_hybrid_beats_every_single_strategy():
    table = recommendations_evaluate(k=10).table
    ndcg = {name: row["NDCG@10"] for name, row in table.items()}
    assert ndcg["for_you"] > max(ndcg["popular"], ndcg["content"], ndcg["collaborative"]), ndcg
    assert ndcg["collaborative"] > ndcg["content"] > ndcg["popular"], ndcg
