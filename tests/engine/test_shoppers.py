"""Interactions from the host's signals, shopper vectors, coalesced updates and the login merge."""

from datetime import timedelta
from unittest import mock

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.utils import timezone

from recommendations import services, signals
from recommendations.models import Interaction, ProductEmbedding, ShopperEmbedding
from recommendations.receivers import ANONYMOUS_KEY, logged_in
from recommendations.tasks import update_shopper_vector
from tests.engine.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind


def send(signal, **kwargs):
    kwargs.setdefault("timestamp", timezone.now())
    kwargs.setdefault("user", None)
    kwargs.setdefault("session_key", None)
    signal.send(sender=None, **kwargs)


def test_host_signals_become_interactions():
    user = UserFactory()
    product = ProductFactory()
    send(signals.product_viewed, product=product, session_key="anon1")
    send(signals.added_to_cart, product=product, quantity=2, user=user)
    send(signals.removed_from_cart, product=product, quantity=1, user=user)
    # The engine reads the lines; the order is the host's own object.
    send(signals.order_placed, order=None, lines=[(product, 1)], user=user)
    send(signals.review_written, product=product, rating=2, text="Too small", user=user)
    send(signals.search_performed, query="  trail shoes ", results_count=3, user=user)
    rows = list(Interaction.objects.order_by("pk").values_list("shopper", "kind", "text", "value"))
    u = f"u:{user.pk}"
    assert rows == [
        ("s:anon1", Kind.VIEW, "", None),
        (u, Kind.CART, "", None),
        (u, Kind.REMOVE, "", None),
        (u, Kind.PURCHASE, "", None),
        (u, Kind.REVIEW, "Too small", 2.0),
        (u, Kind.SEARCH, "trail shoes", None),
    ]
    weights = dict(Interaction.objects.values_list("kind", "weight"))
    assert weights[Kind.VIEW] < weights[Kind.CART] < weights[Kind.PURCHASE]


def test_a_visitor_without_session_or_account_is_not_recorded():
    send(signals.product_viewed, product=ProductFactory())
    assert not Interaction.objects.exists()


def test_rapid_duplicates_collapse():
    product = ProductFactory()
    now = timezone.now()
    first = services.interaction_record(shopper="s:x", kind=Kind.VIEW, product_id=product.pk)
    again = services.interaction_record(shopper="s:x", kind=Kind.VIEW, product_id=product.pk)
    later = services.interaction_record(
        shopper="s:x", kind=Kind.VIEW, product_id=product.pk, created_at=now + timedelta(minutes=5)
    )
    assert first is not None and again is None and later is not None


def test_a_burst_of_events_schedules_one_shopper_update(django_capture_on_commit_callbacks):
    products = ProductFactory.create_batch(5)
    with mock.patch.object(update_shopper_vector, "apply_async") as apply_async:
        with django_capture_on_commit_callbacks(execute=True):
            for product in products:
                services.interaction_record(
                    shopper="s:burst", kind=Kind.VIEW, product_id=product.pk
                )
        assert apply_async.call_count == 1
        assert apply_async.call_args.args[0] == ("s:burst",)
        assert ShopperEmbedding.objects.get(shopper="s:burst").update_pending

        services.shopper_vector_update("s:burst")
        with django_capture_on_commit_callbacks(execute=True):
            services.interaction_record(
                shopper="s:burst", kind=Kind.CART, product_id=products[0].pk
            )
        assert apply_async.call_count == 2


def _cosine(a, b) -> float:
    return float(np.dot(a, b))


def test_shopper_vector_leans_to_what_was_bought_and_said():
    tent = ProductFactory(title="Backpacking tent ultralight", description="tent camping")
    pan = ProductFactory(title="Frying pan cast iron", description="pan kitchen")
    services.products_embed([tent.pk, pan.pk])
    now = timezone.now()
    services.interaction_record(shopper="u:1", kind=Kind.VIEW, product_id=pan.pk, created_at=now)
    services.interaction_record(
        shopper="u:1", kind=Kind.PURCHASE, product_id=tent.pk, created_at=now
    )
    assert services.shopper_vector_update("u:1")
    vector = np.asarray(ShopperEmbedding.objects.get(shopper="u:1").vector)
    tent_v, pan_v = (
        np.asarray(ProductEmbedding.objects.get(product=p).vector) for p in (tent, pan)
    )
    assert _cosine(vector, tent_v) > _cosine(vector, pan_v)


def test_recency_and_bad_reviews_push_away():
    tent = ProductFactory(title="Backpacking tent ultralight", description="tent camping")
    pan = ProductFactory(title="Frying pan cast iron", description="pan kitchen")
    services.products_embed([tent.pk, pan.pk])
    now = timezone.now()
    services.interaction_record(
        shopper="u:2", kind=Kind.PURCHASE, product_id=tent.pk, created_at=now - timedelta(days=120)
    )
    services.interaction_record(shopper="u:2", kind=Kind.VIEW, product_id=pan.pk, created_at=now)
    services.interaction_record(
        shopper="u:2", kind=Kind.REVIEW, product_id=tent.pk, value=1.0, text="", created_at=now
    )
    vector, count = services.shopper_vector_compute("u:2")
    tent_v = np.asarray(ProductEmbedding.objects.get(product=tent).vector)
    pan_v = np.asarray(ProductEmbedding.objects.get(product=pan).vector)
    assert count == 3
    assert _cosine(vector, pan_v) > _cosine(vector, tent_v)


def test_searches_alone_give_a_vector():
    services.interaction_record(shopper="s:words", kind=Kind.SEARCH, text="waterproof jacket")
    vector, _ = services.shopper_vector_compute("s:words")
    assert vector is not None and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5


def test_login_moves_the_anonymous_history_to_the_account(django_capture_on_commit_callbacks):
    user = UserFactory()
    product = ProductFactory()
    services.interaction_record(shopper="s:before", kind=Kind.CART, product_id=product.pk)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request.session[ANONYMOUS_KEY] = "before"
    with (
        mock.patch.object(update_shopper_vector, "apply_async") as apply_async,
        django_capture_on_commit_callbacks(execute=True),
    ):
        logged_in(sender=None, request=request, user=user)
    assert list(Interaction.objects.values_list("shopper", flat=True)) == [f"u:{user.pk}"]
    assert not ShopperEmbedding.objects.filter(shopper="s:before").exists()
    apply_async.assert_called_once()
    assert ANONYMOUS_KEY not in request.session


def test_login_through_the_site_merges_the_session(client):
    user = UserFactory()
    product = ProductFactory()
    client.get("/")
    session_key = client.session.session_key
    if session_key is None:
        session = client.session
        session["touched"] = True
        session.save()
        session_key = session.session_key
    client.get("/")  # the middleware remembers the anonymous key inside the session
    services.interaction_record(shopper=f"s:{session_key}", kind=Kind.VIEW, product_id=product.pk)
    assert client.login(username=user.username, password="correct-horse-battery")
    # client.login does not go through middleware; the signal does the merge.
    assert Interaction.objects.filter(shopper=f"u:{user.pk}").count() == 1


def test_deleting_an_account_forgets_the_shopper():
    user = UserFactory()
    product = ProductFactory()
    services.interaction_record(shopper=f"u:{user.pk}", kind=Kind.VIEW, product_id=product.pk)
    user.delete()
    assert not Interaction.objects.exists()
