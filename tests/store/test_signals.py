"""The store sends the recommendation engine's domain signals with the documented payloads."""

from datetime import datetime

import pytest
from django.urls import reverse

from recommendations import signals
from shop.store.models import Order, Product, Review
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGNAL_NAMES = [
    "product_viewed",
    "added_to_cart",
    "removed_from_cart",
    "order_placed",
    "review_written",
    "search_performed",
]


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, dict]] = []
        self.receivers = {}

    def of(self, name: str) -> list[dict]:
        return [kwargs for event, kwargs in self.events if event == name]

    def only(self, name: str) -> dict:
        (kwargs,) = self.of(name)
        return kwargs


@pytest.fixture
def recorded():
    recorder = Recorder()
    for name in SIGNAL_NAMES:

        def receiver(sender, name=name, **kwargs):
            kwargs.pop("signal")
            recorder.events.append((name, {"sender": sender, **kwargs}))

        recorder.receivers[name] = receiver
        getattr(signals, name).connect(receiver)
    yield recorder
    for name, receiver in recorder.receivers.items():
        getattr(signals, name).disconnect(receiver)


def assert_actor(kwargs, *, user=None, session_key=None):
    assert kwargs["user"] == user
    assert isinstance(kwargs["session_key"], str) and kwargs["session_key"]
    if session_key:
        assert kwargs["session_key"] == session_key
    assert isinstance(kwargs["timestamp"], datetime) and kwargs["timestamp"].tzinfo is not None


def test_product_viewed_for_anonymous_visitor(client, recorded):
    product = ProductFactory()

    client.get(product.get_absolute_url())

    event = recorded.only("product_viewed")
    assert event["sender"] is Product
    assert event["product"] == product
    assert_actor(event, user=None, session_key=client.session.session_key)


def test_product_viewed_for_user(client, recorded):
    user = UserFactory()
    client.force_login(user)
    product = ProductFactory()

    client.get(product.get_absolute_url())

    assert_actor(recorded.only("product_viewed"), user=user)


def test_failed_add_to_cart_does_not_count_as_a_view(client, recorded):
    product = ProductFactory(stock=1)
    client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": "5"})
    assert recorded.events == []


def test_cart_signals_carry_the_quantity_delta(client, recorded):
    product = ProductFactory(stock=20)
    client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": "2"})
    client.post(reverse("store:cart_update", args=[product.pk]), {"quantity": "5"})
    client.post(reverse("store:cart_update", args=[product.pk]), {"quantity": "5"})
    client.post(reverse("store:cart_update", args=[product.pk]), {"quantity": "1"})
    client.post(reverse("store:cart_remove", args=[product.pk]))
    client.post(reverse("store:cart_remove", args=[product.pk]))  # not in the cart any more

    deltas = [(name, kwargs["quantity"]) for name, kwargs in recorded.events]
    assert deltas == [
        ("added_to_cart", 2),
        ("added_to_cart", 3),
        ("removed_from_cart", 4),
        ("removed_from_cart", 1),
    ]
    for _, kwargs in recorded.events:
        assert kwargs["sender"] is Product
        assert kwargs["product"] == product
        assert_actor(kwargs, user=None, session_key=client.session.session_key)


def test_order_placed_is_sent_after_commit(client, recorded, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    kettle, mug = ProductFactory(stock=5), ProductFactory(stock=5)
    client.post(reverse("store:cart_add", args=[kettle.pk]), {"quantity": "2"})
    client.post(reverse("store:cart_add", args=[mug.pk]), {"quantity": "1"})
    details = {"full_name": "Ada", "email": "ada@example.com", "address": "1 Engine St"}

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("store:checkout"), details)
        assert recorded.of("order_placed") == []  # not before the transaction commits
    for callback in callbacks:
        callback()

    event = recorded.only("order_placed")
    assert event["sender"] is Order
    assert event["order"] == Order.objects.get()
    assert sorted(event["lines"], key=lambda line: line[0].pk) == [(kettle, 2), (mug, 1)]
    assert_actor(event, user=user)


def test_no_order_placed_when_checkout_fails(client, recorded, django_capture_on_commit_callbacks):
    client.force_login(UserFactory())
    product = ProductFactory(stock=2)
    client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": "2"})
    Product.objects.filter(pk=product.pk).update(stock=1)
    details = {"full_name": "Ada", "email": "ada@example.com", "address": "1 Engine St"}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("store:checkout"), details)

    assert recorded.of("order_placed") == []


def test_review_written(client, recorded, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)
    product = ProductFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("store:review_add", args=[product.slug]), {"rating": "3", "text": "Fine."}
        )

    event = recorded.only("review_written")
    assert event["sender"] is Review
    assert (event["product"], event["rating"], event["text"]) == (product, 3, "Fine.")
    assert_actor(event, user=user)


def test_search_performed_with_total_hits(client, recorded):
    ProductFactory.create_batch(30, title="Lantern")

    client.get(reverse("store:search"), {"q": "lantern"})

    event = recorded.only("search_performed")
    assert event["sender"] is Product
    assert (event["query"], event["results_count"]) == ("lantern", 30)
    assert_actor(event, user=None, session_key=client.session.session_key)


def test_no_search_performed_for_an_empty_query(client, recorded):
    client.get(reverse("store:search"), {"q": ""})
    assert recorded.of("search_performed") == []


def test_a_failing_receiver_does_not_break_the_page(client, recorded):
    def broken(**kwargs):
        raise RuntimeError("recommendation engine is down")

    signals.product_viewed.connect(broken)
    try:
        response = client.get(ProductFactory().get_absolute_url())
    finally:
        signals.product_viewed.disconnect(broken)

    assert response.status_code == 200
    assert len(recorded.of("product_viewed")) == 1
