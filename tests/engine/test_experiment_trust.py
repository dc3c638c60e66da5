"""Experiments that can be trusted: the attacks of issue 12, replayed.

417 clicks on one impression count once; clicks without an impression of that list, for another
product, from another visitor, or after the token expired count not at all; first-time visitors
are spread over the variants; the dashboard answers degenerate counts.
"""

from datetime import timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recommendations.conf import app_settings
from recommendations.models import Experiment, Placement, RecommendationEvent, Variant
from recommendations.placements import experiment_stats
from recommendations.placements.stats import two_proportion_p_value, wilson_interval
from tests.engine.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

Kind = RecommendationEvent.Kind
PLACEMENT = reverse("recommendations_api:placement", args=["home"])
CLICK = reverse("recommendations_api:placement-click", args=["home"])


@pytest.fixture
def experiment():
    home = Placement.objects.create(name="home", title="For you", default_strategy="popular", k=3)
    experiment = Experiment.objects.create(name="Reasons", placement=home, is_active=True)
    Variant.objects.create(experiment=experiment, name="control", strategy="popular")
    Variant.objects.create(
        experiment=experiment, name="plain", strategy="popular", show_reasons=False
    )
    ProductFactory.create_batch(6)
    return experiment


def shown(client):
    data = client.get(PLACEMENT).json()
    return [r["id"] for r in data["results"]], data["impression"]


def clicks():
    return RecommendationEvent.objects.filter(kind=Kind.CLICK)


def test_417_clicks_on_one_impression_count_once(experiment):
    visitor = APIClient()
    ids, impression = shown(visitor)
    framework = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"recommendation_events": "1000/min"},
    }

    with override_settings(REST_FRAMEWORK=framework):
        codes = [
            visitor.post(CLICK, {"product": ids[0], "impression": impression}).status_code
            for _ in range(417)
        ]

    assert codes == [201] + [200] * 416
    (stats,) = [row for row in experiment_stats(experiment) if row.impressions]
    assert (stats.impressions, stats.clicks) == (3, 1)


def test_the_beacon_is_throttled_per_visitor(experiment):
    visitor = APIClient()
    ids, impression = shown(visitor)
    with override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"recommendation_events": "3/min"},
        }
    ):
        codes = [
            visitor.post(CLICK, {"product": ids[0], "impression": impression}).status_code
            for _ in range(5)
        ]
    assert codes == [201, 200, 200, 429, 429]


def test_clicks_outside_an_impression_of_that_list_are_refused(experiment):
    visitor, other = APIClient(), APIClient()
    ids, impression = shown(visitor)
    _, others_impression = shown(other)
    not_shown = ProductFactory()
    forged = impression[:-4] + ("AAAA" if not impression.endswith("AAAA") else "BBBB")

    answers = [
        visitor.post(CLICK, {"product": ids[0]}),
        visitor.post(CLICK, {"product": ids[0], "impression": forged}),
        visitor.post(CLICK, {"product": not_shown.pk, "impression": impression}),
        visitor.post(CLICK, {"product": ids[0], "impression": others_impression}),
        # No cookie: not the visitor the list was shown to (once credited to the control).
        APIClient().post(CLICK, {"product": ids[0], "impression": impression}),
    ]

    assert [a.status_code for a in answers] == [400] * 5
    assert all("impression" in a.json() for a in answers)
    assert "was not in the list" in answers[2].json()["impression"][0]
    assert "another visitor" in answers[3].json()["impression"][0]
    assert not clicks().exists()


def test_a_token_of_another_placement_is_refused(experiment):
    Placement.objects.create(name="cart", title="Cart", default_strategy="popular", k=3)
    visitor = APIClient()
    data = visitor.get(reverse("recommendations_api:placement", args=["cart"])).json()

    response = visitor.post(
        CLICK, {"product": data["results"][0]["id"], "impression": data["impression"]}
    )

    assert response.status_code == 400 and "'cart'" in response.json()["impression"][0]


def test_an_expired_token_is_refused(experiment):
    visitor = APIClient()
    ids, impression = shown(visitor)
    with app_settings.overridden(IMPRESSION_MAX_AGE=-1):
        response = visitor.post(CLICK, {"product": ids[0], "impression": impression})
    assert response.status_code == 400 and "too long ago" in response.json()["impression"][0]


def test_the_click_is_credited_to_the_arm_and_position_shown(experiment):
    user = UserFactory()
    client = APIClient()
    client.force_login(user)
    data = client.get(PLACEMENT).json()

    client.post(CLICK, {"product": data["results"][2]["id"], "impression": data["impression"]})

    click = clicks().get()
    assert (click.variant.name, click.position, click.shopper) == (
        data["variant"],
        3,
        f"u:{user.pk}",
    )


def test_first_time_visitors_get_a_key_and_are_spread_over_the_variants(experiment):
    """148 first visits without a cookie: each its own shopper, in both arms."""
    answers = [APIClient().get(PLACEMENT) for _ in range(148)]

    assert all(a.cookies.get(settings.SESSION_COOKIE_NAME) for a in answers)
    impressions = RecommendationEvent.objects.filter(kind=Kind.IMPRESSION)
    assert not impressions.filter(shopper="").exists()
    assert impressions.values("shopper").distinct().count() == 148
    by_arm = {row.variant.name: row.impressions for row in experiment_stats(experiment)}
    assert by_arm["control"] > 100 and by_arm["plain"] > 100


def test_the_widget_starts_a_session_before_assigning(experiment):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()

    html = Template(
        '{% load recommendation_placements %}{% recommendation_placement "home" %}'
    ).render(Context({"request": request}))

    assert request.session.session_key
    assert 'data-rec-impression="' in html
    shoppers = set(RecommendationEvent.objects.values_list("shopper", flat=True))
    assert shoppers == {f"s:{request.session.session_key}"}


def test_the_script_sends_the_token_back():
    script = Path(
        apps.get_app_config("recommendations").path, "static/recommendations/placements.js"
    )
    source = script.read_text()
    assert 'body.append("impression", widget.getAttribute("data-rec-impression")' in source


def events(experiment, variant, kind, count):
    product = ProductFactory()
    RecommendationEvent.objects.bulk_create(
        RecommendationEvent(
            placement=experiment.placement,
            experiment=experiment,
            variant=variant,
            shopper="u:1",
            product=product,
            position=1,
            kind=kind,
            created_at=timezone.now() - timedelta(hours=1),
        )
        for _ in range(count)
    )


def test_degenerate_counts_never_fail():
    assert two_proportion_p_value(417, 1, 0, 148) is None
    assert two_proportion_p_value(1, 0, 0, 0) is None
    assert two_proportion_p_value(0, 0, 0, 10) is None
    assert two_proportion_p_value(-1, 5, 0, 10) is None
    assert wilson_interval(417, 1) == pytest.approx(wilson_interval(1, 1))


@pytest.mark.parametrize(
    ("control", "other"),
    [((1, 417), (148, 0)), ((0, 0), (0, 0)), ((0, 5), (0, 0)), ((10, 10), (10, 10))],
)
def test_the_dashboard_answers_degenerate_counts(experiment, control, other):
    """Rows written before clicks were tied to impressions: clicks > impressions, or none."""
    staff = APIClient()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    arms = list(experiment.variants.all())
    for arm, (impressions, clicked) in zip(arms, (control, other), strict=True):
        events(experiment, arm, Kind.IMPRESSION, impressions)
        events(experiment, arm, Kind.CLICK, clicked)

    response = staff.get(
        reverse("admin:recommendations_experiment_dashboard", args=[experiment.pk])
    )

    assert response.status_code == 200
