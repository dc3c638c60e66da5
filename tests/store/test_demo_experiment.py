"""The demo on first start: a running A/B experiment with simulated traffic on the home page, a
dashboard that says what it shows, and a widget in every slot that repeats no other."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from recommendations.models import (
    Experiment,
    Interaction,
    Placement,
    RecommendationEvent,
    Variant,
)
from recommendations.placements import experiment_stats
from recommendations.recommenders.versions import version_train
from recommendations.services import products_embed
from recommendations.services.stats import product_stats_refresh
from shop.demo import demo_history_load
from shop.store.catalog import home_sections, new_arrivals
from shop.store.demo import demo_experiment_ensure, seed_demo
from shop.store.models import Order, Product

pytestmark = pytest.mark.django_db
SMALL = {"products": 120, "users": 20, "seed": 42}


@pytest.fixture
def demo():
    seed_demo(**SMALL)
    demo_history_load(**SMALL)
    return demo_experiment_ensure()


def dashboard(client, experiment) -> str:
    url = reverse("admin:recommendations_experiment_dashboard", args=[experiment.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_demo_runs_an_experiment_on_the_home_page_with_simulated_traffic(demo):
    experiment = demo

    assert experiment.placement.name == "home" and experiment.is_active
    assert experiment.started_at < timezone.now() and experiment.ended_at is None
    strategies = list(experiment.variants.values_list("strategy", flat=True))
    assert len(strategies) == 2 and len(set(strategies)) == 2
    rows = experiment_stats(experiment)
    assert all(row.impressions > 1000 and row.clicks > 10 for row in rows)
    assert sum(row.conversions for row in rows) > 0
    events = RecommendationEvent.objects.filter(experiment=experiment)
    assert not events.exclude(shopper__startswith="sim:").exists()
    days = {e.date() for e in events.values_list("created_at", flat=True)}
    assert len(days) >= 10  # a daily chart with a line, not a dot


def test_the_demo_experiment_is_made_once_and_the_admins_own_is_left_alone(demo):
    counts = (RecommendationEvent.objects.count(), Interaction.objects.count())

    assert demo_experiment_ensure() == demo
    assert (RecommendationEvent.objects.count(), Interaction.objects.count()) == counts
    demo.is_active = False
    demo.save()
    assert demo_experiment_ensure() == demo and not Experiment.objects.filter(is_active=True)


def test_no_home_placement_or_no_products_means_no_experiment():
    assert demo_experiment_ensure() is None  # no products
    Placement.objects.filter(name="home").delete()
    seed_demo(products=5, users=0)
    assert demo_experiment_ensure() is None


def test_the_dashboard_header_says_state_and_dates_and_marks_simulated_traffic(demo, admin_client):
    html = dashboard(admin_client, demo)

    assert re.search(r'class="rec-state rec-state--running">Running<', html)
    assert f'datetime="{demo.started_at.isoformat()}"' in html
    assert "no end date: runs until stopped" in html and "Active ." not in html
    assert "Simulated traffic" in html
    shoppers = RecommendationEvent.objects.filter(experiment=demo).values("shopper").distinct()
    assert f"{shoppers.count()} of the shoppers counted here are simulated" in html


def test_a_draft_and_a_stopped_experiment_say_so(demo, admin_client):
    draft = Experiment.objects.create(name="Next idea", placement=demo.placement)
    Variant.objects.create(experiment=draft, name="a", strategy="for_you")
    html = dashboard(admin_client, draft)
    assert "rec-state--draft" in html and "no start date" in html
    assert "Simulated traffic" not in html

    demo.is_active = False
    demo.ended_at = timezone.now() - timedelta(hours=1)
    demo.save()
    html = dashboard(admin_client, demo)
    assert "rec-state--stopped" in html and "ended" in html


def widgets(html: str, slot: str) -> list[list[int]]:
    """Product ids of each widget's cards in the page's recommendation slot."""
    found = re.split(r'<section class="rec-widget', html.split(f'data-slot="{slot}"', 1)[1])[1:]
    return [[int(pk) for pk in re.findall(r'data-product-id="(\d+)"', w)] for w in found]


def assert_no_repeats(html: str, ids: list[list[int]]) -> None:
    """Every widget has cards, none repeats a product, and each card says why."""
    shown = [pk for widget in ids for pk in widget]
    assert ids and all(ids) and len(shown) == len(set(shown))
    assert html.count('class="rec-card__reason"') >= len(shown)


def test_after_seeding_every_slot_shows_a_widget_and_none_repeats_another(client):
    """The demo's own size: a smaller shop has too few baskets to know every complement."""
    seed_demo()
    demo_history_load()
    demo_experiment_ensure()
    products_embed(list(Product.objects.values_list("pk", flat=True)))
    product_stats_refresh()
    version = version_train()
    # The simulated traffic is for the dashboard only: the models never learn from it.
    learnable = Interaction.objects.filter(product__isnull=False, weight__gt=0)
    assert version.interactions == learnable.exclude(shopper__startswith="sim:").count()
    assert Interaction.objects.filter(shopper__startswith="sim:").exists()

    home = client.get(reverse("store:home")).content.decode()
    ids = widgets(home, "home")
    assert_no_repeats(home, ids)
    shelves = {p.pk for p in new_arrivals()} | {
        p.pk for _, products in home_sections() for p in products
    }
    assert not shelves & {pk for widget in ids for pk in widget}

    bought = Interaction.objects.filter(kind="purchase").values_list("product_id", flat=True)
    never_bought = Product.objects.exclude(pk__in=bought).filter(stock__gt=0).order_by("pk")
    for product in (never_bought.first(), Product.objects.filter(pk__in=bought).first()):
        page = client.get(product.get_absolute_url()).content.decode()
        ids = widgets(page, "product")
        assert len(ids) == 2 and product.pk not in ids[0] + ids[1]
        assert_no_repeats(page, ids)

    client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": 1})
    cart = client.get(reverse("store:cart")).content.decode()
    ids = widgets(cart, "cart")
    assert len(ids) == 2 and product.pk not in ids[0] + ids[1]
    assert_no_repeats(cart, ids)

    shopper = get_user_model().objects.get(username="shopper0001")
    client.force_login(shopper)
    order = Order.objects.filter(user=shopper).order_by("pk").first()
    page = client.get(reverse("store:order", args=[order.pk])).content.decode()
    assert_no_repeats(page, widgets(page, "order"))
    home = client.get(reverse("store:home")).content.decode()
    assert_no_repeats(home, widgets(home, "home"))
