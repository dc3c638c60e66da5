"""Forged behaviour can't move what everyone sees: the attack of issue 12, replayed.

200 requests claiming purchases and views of one product, each with another X-Forwarded-For and
no session, then a handful of real clicks by one visitor: the product must not move in trending,
in popular, or on the home placement.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recommendations import selectors, services
from recommendations.models import Interaction, Placement
from recommendations.reasons.collect import evidence_attach
from recommendations.recommenders.versions import version_train
from recommendations.services.stats import product_stats_refresh
from tests.engine.factories import ProductFactory

pytestmark = pytest.mark.django_db

EVENTS = reverse("recommendations_api:events")
Kind = Interaction.Kind


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the default cache."""
    cache.clear()
    yield
    cache.clear()


def rates(**scopes):
    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": scopes}
    )


def visitor():
    """An anonymous visitor with the session a shop page started."""
    client = APIClient()
    assert client.session.session_key
    return client


@pytest.fixture
def store():
    """Six products that real shoppers bought lately (6, 5, 4, 3, 2 and 2 of them), each also
    bought now and then the week before; the target and a bystander nobody touched."""
    now = timezone.now()
    sellers = ProductFactory.create_batch(6)
    for rank, (product, buyers) in enumerate(zip(sellers, (6, 5, 4, 3, 2, 2), strict=True)):
        for n in range(buyers):
            for shopper, at in (
                (f"u:{rank}-{n}", now - timedelta(hours=2 + n)),
                (f"u:old{rank}", now - timedelta(days=3, hours=n)),
            ):
                services.interaction_record(
                    shopper=shopper, kind=Kind.PURCHASE, product_id=product.pk, created_at=at
                )
    target, bystander = ProductFactory(title="Target"), ProductFactory(title="Bystander")
    Placement.objects.create(name="home", title="For you", default_strategy="for_you", k=5)
    return target, bystander


def rankings():
    """Trending, popular, and the home placement of a first-time visitor, as product ids."""
    product_stats_refresh()
    version_train()
    home = visitor().get(reverse("recommendations_api:placement", args=["home"])).json()
    return {
        "trending": [r.product.pk for r in selectors.recommend("trending", k=5)],
        "popular": [r.product.pk for r in selectors.recommend("popular", k=5)],
        "home": [r["id"] for r in home["results"]],
    }


def forge(client, product):
    """200 claimed purchases and views, each from another X-Forwarded-For address."""
    return [
        client.post(
            EVENTS,
            {"product": product.pk, "event": ("purchase", "view")[n % 2]},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n % 250}",
        ).status_code
        for n in range(200)
    ]


def test_forged_purchases_and_views_from_rotating_addresses_move_nothing(store):
    target, bystander = store
    before = rankings()
    assert target.pk not in before["trending"] + before["popular"] + before["home"]

    without_session = forge(APIClient(), target)
    # The same from a script that loaded a page first, so it has a session.
    scripted = visitor()
    with_session = forge(scripted, target)
    # A handful of real clicks by one visitor, over an hour, on the target and another product.
    clicker = visitor()
    for product in (target, bystander):
        assert clicker.post(EVENTS, {"product": product.pk, "event": "click"}).status_code == 201
    shopper = Interaction.objects.get(product=target, kind=Kind.CLICK).shopper
    for minutes in range(10, 70, 10):
        for product in (target, bystander):
            services.interaction_record(
                shopper=shopper,
                kind=Kind.CLICK,
                product_id=product.pk,
                source=Interaction.Source.API,
                created_at=timezone.now() - timedelta(minutes=minutes),
            )

    # Purchases are refused as such; views need a visit; past the rate, throttled.
    assert set(without_session[0::2]) <= {400, 429} and set(without_session[1::2]) <= {403, 429}
    assert 400 in without_session and 403 in without_session and 429 in without_session
    assert set(with_session[0::2]) <= {400, 429} and 429 in with_session
    # The scripted session's views are its own: recorded, or collapsed as duplicates.
    assert with_session[1] == 201 and set(with_session[1::2]) <= {200, 201, 429}
    assert not Interaction.objects.filter(kind=Kind.PURCHASE, product=target).exists()
    assert Interaction.objects.filter(product=target).values("shopper").distinct().count() == 2
    after = rankings()
    assert after == before


def test_one_visitors_clicks_count_once_in_trending(store):
    target, _ = store
    clicker = visitor()
    clicker.post(EVENTS, {"product": target.pk, "event": "click"})
    shopper = Interaction.objects.get(product=target).shopper
    for minutes in range(1, 60):
        services.interaction_record(
            shopper=shopper,
            kind=Kind.CLICK,
            product_id=target.pk,
            created_at=timezone.now() - timedelta(minutes=minutes),
        )
    product_stats_refresh()
    assert target.recommendation_stats.trending == 0

    # A second shopper makes it a trend of two shoppers, not of sixty clicks.
    services.interaction_record(shopper="u:second", kind=Kind.CLICK, product_id=target.pk)
    product_stats_refresh()
    target.recommendation_stats.refresh_from_db()
    assert target.recommendation_stats.trending == pytest.approx(1.5 + 1.5)
    # The reason's claim counts the same way: twice its usual interest (two shoppers against
    # none before), never sixty-one times.
    trending = selectors.recommend("trending", k=10)
    evidence_attach(trending, shopper=None)
    assert {r.product: r.evidence.trend for r in trending}[target] == 2


@pytest.mark.parametrize("proxies", [0, None])
def test_the_throttle_ignores_x_forwarded_for(proxies):
    """None is DRF's default, which would believe the header: the engine's throttle doesn't."""
    product = ProductFactory()
    attacker = APIClient()
    framework = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": proxies,
        "DEFAULT_THROTTLE_RATES": {"recommendation_events": "5/min"},
    }
    with override_settings(REST_FRAMEWORK=framework):
        codes = [
            attacker.post(
                EVENTS, {"product": product.pk, "event": "view"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
            ).status_code
            for n in range(10)
        ]
    assert codes == [403] * 5 + [429] * 5


def test_the_throttle_counts_per_session_whatever_the_address():
    product, other = ProductFactory(), ProductFactory()
    first, second = visitor(), visitor()
    with rates(recommendation_events="3/min"):
        codes = [
            first.post(
                EVENTS,
                {"product": (product, other)[n % 2].pk, "event": "view"},
                HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
                REMOTE_ADDR=f"192.0.2.{n}",
            ).status_code
            for n in range(5)
        ]
        fresh = second.post(EVENTS, {"product": product.pk, "event": "view"}).status_code
    # The third repeats the first within the duplicate window: answered, not stored again.
    assert codes == [201, 201, 200, 429, 429]
    assert fresh == 201


def test_a_configured_proxy_count_is_trusted():
    """Behind one proxy the client is the last X-Forwarded-For address: each is counted alone."""
    product = ProductFactory()
    attacker = APIClient()
    framework = {
        **settings.REST_FRAMEWORK,
        "NUM_PROXIES": 1,
        "DEFAULT_THROTTLE_RATES": {"recommendation_events": "1/min"},
    }
    with override_settings(REST_FRAMEWORK=framework):
        codes = [
            attacker.post(
                EVENTS, {"product": product.pk, "event": "view"}, HTTP_X_FORWARDED_FOR=address
            ).status_code
            for address in ("10.0.0.1", "10.0.0.2", "10.0.0.2")
        ]
    assert codes == [403, 403, 429]
