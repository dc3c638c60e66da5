"""Behaviour: training and atomic activation, and the strategies that read the model."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from recommendations import selectors, services
from recommendations.models import CollaborativeModel, Interaction, ItemNeighbour
from recommendations.recommenders.versions import NoInteractions, version_train
from recommendations.services.stats import product_stats_refresh
from recommendations.tasks import train_model_version
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind
NOW = timezone.now()


def buy(shopper: str, *products, at=None, kind=Kind.PURCHASE):
    for product in products:
        services.interaction_record(
            shopper=shopper, kind=kind, product_id=product.pk, created_at=at or NOW
        )


@pytest.fixture
def shop():
    """Runners buy shoes with gels; campers buy tents with stoves; both buy the bestseller."""
    running, outdoor = CategoryFactory(name="Running"), CategoryFactory(name="Outdoor")
    p = {
        "shoe": ProductFactory(title="Trail shoe", category=running),
        "gel": ProductFactory(title="Energy gel", category=running),
        "watch": ProductFactory(title="GPS watch", category=running),
        "tent": ProductFactory(title="Tent", category=outdoor),
        "stove": ProductFactory(title="Camp stove", category=outdoor),
        "best": ProductFactory(title="Water bottle", category=outdoor),
    }
    for n in range(8):
        buy(f"x:runner{n}", p["shoe"], p["gel"], p["best"], at=NOW - timedelta(days=n))
        buy(f"x:camper{n}", p["tent"], p["stove"], p["best"], at=NOW - timedelta(days=n))
    for n in range(3):
        buy(f"x:runner{n}", p["watch"], at=NOW - timedelta(days=n, hours=30), kind=Kind.VIEW)
    services.products_embed([x.pk for x in p.values()])
    product_stats_refresh()
    return p


def test_training_learns_neighbours_and_activates_one_model(shop):
    first = version_train()
    assert first.is_active and first.interactions == 51 and first.products == 6
    top = (
        ItemNeighbour.objects.filter(model=first, kind="co", product=shop["shoe"])
        .order_by("-score")
        .first()
    )
    assert top.neighbour in (shop["gel"], shop["best"])
    bought = ItemNeighbour.objects.filter(model=first, kind="fbt", product=shop["tent"])
    assert shop["stove"].pk in set(bought.values_list("neighbour_id", flat=True))

    second = version_train()
    third = version_train()
    assert list(CollaborativeModel.objects.filter(is_active=True)) == [third]
    # The previous version is kept for a look back; older ones are deleted with their rows.
    assert set(CollaborativeModel.objects.values_list("pk", flat=True)) == {second.pk, third.pk}
    assert not ItemNeighbour.objects.filter(model_id=first.pk).exists()


def test_requests_read_only_the_active_version(shop):
    active = version_train()
    unfinished = CollaborativeModel.objects.create()  # a version still being written
    ItemNeighbour.objects.create(
        model=unfinished, kind="co", product=shop["shoe"], neighbour=shop["tent"], score=99.0
    )
    results = selectors.recommend("collaborative", shopper="s:new-runner", k=3)
    assert results == []  # no history yet
    buy("s:new-runner", shop["shoe"], kind=Kind.VIEW)
    results = selectors.recommend("collaborative", shopper="s:new-runner", k=3)
    assert shop["tent"] not in [r.product for r in results]
    assert results[0].product in (shop["gel"], shop["best"])
    assert CollaborativeModel.objects.get(is_active=True) == active


def test_training_with_no_interactions_says_so_and_content_keeps_serving():
    product = ProductFactory()
    services.products_embed([product.pk])
    with pytest.raises(NoInteractions):
        version_train()
    assert train_model_version() is None
    with pytest.raises(CommandError, match="Content-based recommendations keep serving"):
        call_command("train_recommendations", stdout=StringIO())
    assert selectors.recommend("for_you", shopper=None, k=1)[0].product == product


def test_frequently_bought_together_for_a_cart(shop):
    version_train()
    results = selectors.recommend("fbt", basket_ids=(shop["tent"].pk,), k=2)
    assert results[0].product == shop["stove"]
    assert shop["tent"] not in [r.product for r in results]


def test_fbt_never_falls_back_to_similar_products_without_a_model(shop):
    """Substitutes are "similar"'s answer; see test_bought_together_fallback for complements."""
    assert selectors.recommend("fbt", product_id=shop["shoe"].pk, k=3) == []


def test_a_new_visitor_sees_popular_then_their_first_click_counts_at_once(shop):
    version_train()
    before = selectors.recommend("for_you", shopper="s:fresh", k=3)
    assert before[0].strategy == "popular" and before[0].product == shop["best"]

    buy("s:fresh", shop["tent"], kind=Kind.CLICK)  # no retraining, no vector update yet
    after = selectors.recommend("for_you", shopper="s:fresh", k=3)
    assert after[0].strategy == "for_you"
    assert after[0].product == shop["stove"]
    assert after[0].details["neighbours"] > 0


def test_a_brand_new_product_is_recommended_through_its_content(shop):
    version_train()
    buy("u:1", shop["tent"], shop["stove"])
    services.shopper_vector_update("u:1")
    fresh = ProductFactory(title="Camp stove fuel canister", category=shop["stove"].category)
    services.products_embed([fresh.pk])
    results = selectors.recommend("for_you", shopper="u:1", k=4)
    assert fresh in [r.product for r in results]
    detail = next(r.details for r in results if r.product == fresh)
    assert detail["content"] > 0 and detail["neighbours"] == 0


def test_for_you_leaves_out_purchases_but_recently_viewed_does_not(shop):
    version_train()
    buy("u:2", shop["shoe"])
    buy("u:2", shop["watch"], kind=Kind.VIEW)
    buy("u:2", shop["watch"], kind=Kind.PURCHASE, at=NOW + timedelta(minutes=1))
    services.shopper_vector_update("u:2")
    for_you = [r.product for r in selectors.recommend("for_you", shopper="u:2", k=6)]
    assert shop["shoe"] not in for_you and shop["watch"] not in for_you
    viewed = [r.product for r in selectors.recommend("recently_viewed", shopper="u:2", k=5)]
    assert viewed == [shop["watch"]]


def test_trending_ranks_a_sudden_burst_over_a_steady_bestseller(shop):
    for n in range(6):
        buy(f"x:fan{n}", shop["watch"], at=NOW - timedelta(hours=n))
    product_stats_refresh()
    trending = selectors.recommend("trending", k=2)
    assert trending[0].product == shop["watch"]
    version_train()
    popular = selectors.recommend("popular", k=1)
    assert popular[0].product == shop["best"]
