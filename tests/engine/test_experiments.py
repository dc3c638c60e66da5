"""Experiments: stable assignment, one active per placement, statistics and the dashboard."""

import hashlib
from collections import Counter
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recommendations.models import Experiment, Interaction, Placement, RecommendationEvent, Variant
from recommendations.placements import (
    assignment_for,
    click_record,
    experiment_daily,
    experiment_stats,
    placement_events_merge,
    placement_serve,
    variant_pick,
    wilson_interval,
)
from recommendations.placements.stats import two_proportion_p_value
from recommendations.services import products_embed
from tests.engine.factories import ProductFactory, UserFactory

Kind = RecommendationEvent.Kind


# Assignment (no database)


def variants(*weights):
    return [
        Variant(pk=i, name=chr(ord("A") + i), strategy="popular", weight=w)
        for i, w in enumerate(weights)
    ]


def test_the_same_shopper_gets_the_same_variant_every_time():
    arms = variants(1, 1, 1)
    picks = {variant_pick(7, arms, "s:abc").name for _ in range(20)}
    assert len(picks) == 1


def test_assignment_is_the_sha256_of_experiment_and_shopper():
    """No per-process salt (unlike Python's hash()): every worker agrees."""
    arms = variants(1, 1, 1, 1, 1)
    for shopper in ("u:1", "u:2", "s:xyz", "x:ext-9"):
        digest = hashlib.sha256(f"42:{shopper}".encode()).digest()
        expected = int.from_bytes(digest[:8], "big") % 5
        assert variant_pick(42, arms, shopper) is arms[expected]


def test_assignment_differs_between_experiments():
    arms = variants(1, 1)
    shoppers = [f"u:{i}" for i in range(200)]
    first = [variant_pick(1, arms, s).name for s in shoppers]
    second = [variant_pick(2, arms, s).name for s in shoppers]
    assert first != second


def test_distribution_over_10k_shoppers_matches_the_weights():
    arms = variants(1, 3, 6)
    counts = Counter(variant_pick(3, arms, f"s:{i}").name for i in range(10_000))
    for arm, share in zip(arms, (0.1, 0.3, 0.6), strict=True):
        assert abs(counts[arm.name] / 10_000 - share) < 0.02


# Statistics (no database)


def test_wilson_interval_of_a_known_case():
    low, high = wilson_interval(10, 100)
    assert low == pytest.approx(0.0552, abs=5e-4)
    assert high == pytest.approx(0.1744, abs=5e-4)


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(0, 50)
    assert low == 0.0 and 0 < high < 0.08
    low, high = wilson_interval(50, 50)
    assert 0.92 < low < 1 and high == pytest.approx(1.0)


def test_two_proportion_p_value():
    # 5% of 1000 against 3% of 1000: z = 2.282.
    assert two_proportion_p_value(50, 1000, 30, 1000) == pytest.approx(0.0225, abs=5e-4)
    assert two_proportion_p_value(30, 1000, 30, 1000) == pytest.approx(1.0)
    assert two_proportion_p_value(1, 0, 1, 10) is None
    assert two_proportion_p_value(0, 10, 0, 10) is None


# With the database


@pytest.fixture
def home(db):
    return Placement.objects.create(name="home", title="For you", default_strategy="popular", k=3)


@pytest.fixture
def experiment(home):
    experiment = Experiment.objects.create(name="Trending test", placement=home, is_active=True)
    Variant.objects.create(experiment=experiment, name="control", strategy="popular", weight=1)
    Variant.objects.create(experiment=experiment, name="similar", strategy="similar", weight=1)
    return experiment


def test_one_active_experiment_per_placement(home, experiment):
    second = Experiment(name="Second", placement=home, is_active=True)
    with pytest.raises(ValidationError, match="already has an active experiment"):
        second.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    Experiment.objects.create(name="Draft", placement=home, is_active=False)


def test_only_a_running_experiment_assigns(home, experiment):
    assert assignment_for(home, "u:1").experiment == experiment

    experiment.started_at = timezone.now() + timedelta(days=1)
    experiment.save()
    assert assignment_for(home, "u:1").experiment is None
    assert assignment_for(home, "u:1").strategy == "popular"

    experiment.started_at, experiment.ended_at = None, timezone.now()
    experiment.save()
    assert assignment_for(home, "u:1").experiment is None


def test_api_serves_the_callers_variant_and_records_it(home, experiment):
    products = ProductFactory.create_batch(5)
    products_embed([p.pk for p in products])
    client = APIClient()
    url = reverse("recommendations_api:placement", args=["home"])
    arms = list(experiment.variants.all())
    for user in UserFactory.create_batch(6):
        client.force_login(user)
        expected = variant_pick(experiment.pk, arms, f"u:{user.pk}")

        data = client.get(url, {"product": products[0].pk}).json()
        again = client.get(url, {"product": products[0].pk}).json()

        assert data["experiment"] == "Trending test"
        assert data["variant"] == again["variant"] == expected.name
        assert data["strategy"] == expected.strategy
        assert {r["strategy"] for r in data["results"]} == {expected.strategy}
        shown = RecommendationEvent.objects.filter(shopper=f"u:{user.pk}")
        assert shown.count() == 2 * len(data["results"]) == 6
        assert set(shown.values_list("variant", flat=True)) == {expected.pk}


@pytest.mark.parametrize("shopper", [None, ""])
def test_shoppers_without_a_key_see_the_control_unenrolled(home, experiment, shopper):
    """One keyless visitor can't be told from another: enrolling them would pile every one of
    them into the control."""
    assignment = assignment_for(home, shopper)
    assert assignment.strategy == experiment.variants.first().strategy
    assert (assignment.experiment, assignment.variant) == (None, None)


def test_a_click_is_credited_to_the_variant_that_showed_the_list(home, experiment):
    products = ProductFactory.create_batch(4)
    products_embed([p.pk for p in products])
    served = placement_serve("home", shopper="u:9", product_id=products[0].pk)
    expected = variant_pick(experiment.pk, list(experiment.variants.all()), "u:9")
    assert served.results, "either variant shows something on a product page"

    click = click_record(
        placement=home,
        shopper="u:9",
        product_id=served.results[0].product.pk,
        impression=served.impression,
    )

    assert (click.experiment, click.variant) == (experiment, expected)


def events(experiment, variant, kind, count, *, product, shopper="u:1", at=None):
    RecommendationEvent.objects.bulk_create(
        RecommendationEvent(
            placement=experiment.placement,
            experiment=experiment,
            variant=variant,
            shopper=shopper,
            product=product,
            position=1,
            kind=kind,
            created_at=at or timezone.now(),
        )
        for _ in range(count)
    )


def purchase(shopper, product, at):
    Interaction.objects.create(
        shopper=shopper, product=product, kind="purchase", weight=5, created_at=at
    )


def test_experiment_stats_counts_and_conversions(experiment):
    control, other = experiment.variants.all()
    bought, other_product = ProductFactory(), ProductFactory()
    clicked_at = timezone.now() - timedelta(days=2)
    events(experiment, control, Kind.IMPRESSION, 100, product=bought)
    events(experiment, control, Kind.CLICK, 10, product=bought, shopper="u:1", at=clicked_at)
    events(experiment, other, Kind.IMPRESSION, 100, product=bought)
    events(experiment, other, Kind.CLICK, 1, product=bought, shopper="u:2", at=clicked_at)
    events(experiment, other, Kind.CLICK, 1, product=other_product, shopper="u:3", at=clicked_at)
    events(experiment, other, Kind.CLICK, 1, product=bought, shopper="u:4", at=clicked_at)
    # u:1 bought within 24 h of ten clicks: one conversion. u:2 bought 25 h later: none.
    purchase("u:1", bought, clicked_at + timedelta(hours=3))
    purchase("u:2", bought, clicked_at + timedelta(hours=25))
    # u:3 bought something else; u:4 bought it before clicking: neither converts.
    purchase("u:3", bought, clicked_at + timedelta(hours=1))
    purchase("u:4", bought, clicked_at - timedelta(hours=1))

    first, second = experiment_stats(experiment)

    assert (first.variant, first.impressions, first.clicks, first.conversions) == (
        control,
        100,
        10,
        1,
    )
    assert (second.impressions, second.clicks, second.conversions) == (100, 3, 0)
    assert first.ctr.value == 0.1
    assert first.ctr.interval == pytest.approx((0.0552, 0.1744), abs=5e-4)
    assert first.conversion_per_click.value == 0.1
    assert first.conversion_per_impression.value == 0.01
    assert first.ctr_p_value is None
    assert second.ctr_p_value == pytest.approx(two_proportion_p_value(3, 100, 10, 100))


def test_daily_series(experiment):
    control, _ = experiment.variants.all()
    product = ProductFactory()
    today = timezone.localtime().replace(hour=12)
    events(experiment, control, Kind.IMPRESSION, 10, product=product, at=today - timedelta(days=1))
    events(experiment, control, Kind.CLICK, 2, product=product, at=today - timedelta(days=1))
    events(experiment, control, Kind.IMPRESSION, 20, product=product, at=today)
    events(experiment, control, Kind.CLICK, 1, product=product, at=today)

    [(variant_id, points)] = experiment_daily(experiment).items()

    assert variant_id == control.pk
    assert [(p.day, p.impressions, p.clicks) for p in points] == [
        ((today - timedelta(days=1)).date(), 10, 2),
        (today.date(), 20, 1),
    ]
    assert [p.ctr for p in points] == [0.2, 0.05]


def test_clicks_follow_the_shopper_to_their_account(experiment):
    control, _ = experiment.variants.all()
    product = ProductFactory()
    clicked_at = timezone.now() - timedelta(hours=2)
    events(experiment, control, Kind.CLICK, 1, product=product, shopper="s:anon", at=clicked_at)
    purchase("u:5", product, clicked_at + timedelta(hours=1))
    assert experiment_stats(experiment)[0].conversions == 0

    assert placement_events_merge(source="s:anon", target="u:5") == 1

    assert experiment_stats(experiment)[0].conversions == 1


# Dashboard


@pytest.fixture
def staff_client(db, client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def dashboard_url(experiment):
    return reverse("admin:recommendations_experiment_dashboard", args=[experiment.pk])


def test_dashboard_shows_ctr_with_interval_and_a_chart(staff_client, experiment):
    control, other = experiment.variants.all()
    product = ProductFactory()
    yesterday = timezone.now() - timedelta(days=1)
    events(experiment, control, Kind.IMPRESSION, 100, product=product, at=yesterday)
    events(experiment, control, Kind.CLICK, 10, product=product, at=yesterday)
    events(experiment, other, Kind.IMPRESSION, 200, product=product)
    events(experiment, other, Kind.CLICK, 40, product=product)

    response = staff_client.get(dashboard_url(experiment))

    assert response.status_code == 200
    html = response.content.decode()
    assert "10.00% (5.52% – 17.44%)" in html
    assert "20.00%" in html
    p_value = two_proportion_p_value(40, 200, 10, 100)
    assert f"p = {p_value:.3f} (significant at 5%)" in html
    assert "<svg" in html and html.count("<polyline") == 2
    assert "control, " in html and "(10/100)" in html


def test_dashboard_without_events_says_so(staff_client, experiment):
    response = staff_client.get(dashboard_url(experiment))

    assert response.status_code == 200
    assert "No impressions yet." in response.content.decode()
    assert "—" in response.content.decode()


def test_dashboard_is_for_staff_only(client, experiment):
    url = dashboard_url(experiment)
    assert client.get(url).status_code == 302
    client.force_login(UserFactory(is_staff=False))
    assert client.get(url).status_code == 302


def test_dashboard_of_a_missing_experiment_is_404(staff_client, experiment):
    url = reverse("admin:recommendations_experiment_dashboard", args=[experiment.pk + 1000])
    assert staff_client.get(url).status_code == 404


def test_experiment_pages_link_to_the_dashboard(staff_client, experiment):
    changelist = staff_client.get(reverse("admin:recommendations_experiment_changelist"))
    change = staff_client.get(
        reverse("admin:recommendations_experiment_change", args=[experiment.pk])
    )
    placements = staff_client.get(reverse("admin:recommendations_placement_changelist"))

    for response in (changelist, change, placements):
        assert response.status_code == 200
        assert dashboard_url(experiment) in response.content.decode()


def test_experiment_admin_requires_two_variants(staff_client, home):
    response = staff_client.post(
        reverse("admin:recommendations_experiment_add"),
        {
            "name": "Empty",
            "placement": home.pk,
            "variants-TOTAL_FORMS": 1,
            "variants-INITIAL_FORMS": 0,
            "variants-0-name": "control",
            "variants-0-strategy": "popular",
            "variants-0-weight": 1,
            "variants-0-options": "{}",
        },
    )

    assert response.status_code == 200
    assert not Experiment.objects.exists()
    assert "Please submit at least 2 forms" in response.content.decode()
