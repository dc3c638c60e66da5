"""The store's side of "signals that matter can't be forged": purchases come from its own server
side, the public endpoint takes a page's visitor, and rate limits live in a shared cache that
fails open."""

import logging
import re

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from recommendations.models import Interaction, Placement, RecommendationEvent
from shop.infra import embedded_redis
from shop.infra.cache import FailOpenRedisCache
from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

EVENTS = reverse("recommendations_api:events")


def test_a_page_visitor_reports_views_but_purchases_are_the_stores_own(client):
    product = ProductFactory()
    client.get(reverse("store:product", args=[product.slug]))

    view = client.post(EVENTS, {"product": product.pk, "event": "click"})
    purchase = client.post(EVENTS, {"product": product.pk, "event": "purchase"})

    assert view.status_code == 201
    assert purchase.status_code == 400
    rows = set(Interaction.objects.values_list("kind", "source"))
    assert rows == {("view", "signal"), ("click", "api")}


def test_a_first_visit_to_the_home_page_is_keyed_and_its_clicks_count_once(client):
    # The store's home placement (a data migration), on a strategy that needs no history.
    Placement.objects.filter(name="home").update(default_strategy="popular")
    # More than the page's own shelves show, which the placement leaves out.
    ProductFactory.create_batch(40, category=CategoryFactory())

    html = client.get(reverse("store:home")).content.decode()

    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    shown = RecommendationEvent.objects.filter(kind="impression")
    assert set(shown.values_list("shopper", flat=True)) == {f"s:{session_key}"}
    widget = html.split('data-rec-placement="home"', 1)[1]
    token = re.search(r'data-rec-impression="([^"]+)"', widget).group(1)
    product = int(re.search(r'data-product-id="(\d+)"', widget).group(1))
    click = reverse("recommendations_api:placement-click", args=["home"])
    codes = [
        client.post(click, {"product": product, "impression": token}).status_code for _ in range(2)
    ]
    assert codes == [201, 200]
    assert RecommendationEvent.objects.filter(kind="click").count() == 1


def test_settings_trust_no_proxy_by_default():
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


@pytest.fixture
def redis_dir(tmp_path_factory):
    """A Redis of the test's own, like the broker's: an embedded server on a unix socket."""
    data_dir = tmp_path_factory.mktemp("cache")
    socket = embedded_redis.ensure_server(data_dir)
    yield data_dir, f"unix://{socket}?db=0"
    embedded_redis.stop_server(data_dir)


def shared_cache(location):
    return {
        "default": {
            "BACKEND": "shop.infra.cache.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "test-cache",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.mark.slow
def test_rate_limits_are_shared_and_an_outage_fails_open(redis_dir, caplog):
    data_dir, location = redis_dir
    product = ProductFactory()
    framework = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"recommendation_events": "2/min"},
    }
    with override_settings(CACHES=shared_cache(location), REST_FRAMEWORK=framework):
        assert isinstance(caches["default"], FailOpenRedisCache)
        visitor = APIClient()
        session_key = visitor.session.session_key
        first = visitor.post(EVENTS, {"product": product.pk, "event": "view"})
        # Another web process, with a cache object of its own, sees the same count.
        elsewhere = FailOpenRedisCache(location, {"KEY_PREFIX": "test-cache"})
        assert len(elsewhere.get(f"throttle_recommendation_events_s:{session_key}")) == 1
        second = visitor.post(EVENTS, {"product": product.pk, "event": "click"})
        third = visitor.post(EVENTS, {"product": product.pk, "event": "view"})
        assert [first.status_code, second.status_code, third.status_code] == [201, 201, 429]

        # The broker's keys share the database: clearing the cache leaves them.
        broker = redis.Redis.from_url(location)
        broker.set("_kombu.binding.celery", "queue")
        cache.clear()
        assert broker.get("_kombu.binding.celery") == b"queue"
        assert not [key for key in broker.scan_iter("test-cache*")]

        embedded_redis.stop_server(data_dir)
        with caplog.at_level(logging.WARNING, logger="shop.infra.cache"):
            assert cache.get("anything", "miss") == "miss"
            cache.set("anything", 1)
            assert cache.add("anything", 1) is False
            with pytest.raises(ValueError):
                cache.incr("anything")
            during = visitor.post(EVENTS, {"product": ProductFactory().pk, "event": "view"})
        assert during.status_code == 201
        assert "Cache unavailable" in caplog.text
