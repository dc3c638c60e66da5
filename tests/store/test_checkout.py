"""Checkout and order history: one transaction, stock checked and decremented, owner-only orders."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.store.checkout import CheckoutError, order_place
from shop.store.events import Actor
from shop.store.models import Order, PendingConfirmation, Product
from tests.factories import OrderFactory, OrderLineFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

DETAILS = {"full_name": "Ada Lovelace", "email": "ada@example.com", "address": "1 Engine St"}


@pytest.fixture
def user(client):
    user = UserFactory()
    client.force_login(user)
    return user


def add(client, product, quantity):
    response = client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": quantity})
    assert response.status_code == 302


def test_checkout_requires_login(client):
    add(client, ProductFactory(), 1)

    response = client.get(reverse("store:checkout"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('store:login')}?next={reverse('store:checkout')}"


def test_checkout_with_empty_cart_goes_back_to_cart(client, user):
    response = client.get(reverse("store:checkout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("store:cart")


def test_checkout_form_is_prefilled_from_the_account(client):
    user = UserFactory(first_name="Grace", last_name="Hopper", email="grace@example.com")
    client.force_login(user)
    add(client, ProductFactory(), 1)

    form = client.get(reverse("store:checkout")).context["form"]

    assert form.initial == {"full_name": "Grace Hopper", "email": "grace@example.com"}


def test_checkout_creates_order_lines_and_decrements_stock(client, user):
    kettle = ProductFactory(title="Kettle", price=Decimal("30.00"), stock=5)
    mug = ProductFactory(title="Mug", price=Decimal("4.50"), stock=10)
    add(client, kettle, 2)
    add(client, mug, 3)

    response = client.post(reverse("store:checkout"), DETAILS)

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert (order.user, order.full_name, order.email, order.address) == (
        user,
        "Ada Lovelace",
        "ada@example.com",
        "1 Engine St",
    )
    assert order.total == Decimal("73.50")
    assert order.currency == "EUR"
    lines = {(ln.product, ln.title, ln.unit_price, ln.quantity) for ln in order.lines.all()}
    assert lines == {(kettle, "Kettle", Decimal("30.00"), 2), (mug, "Mug", Decimal("4.50"), 3)}
    kettle.refresh_from_db()
    mug.refresh_from_db()
    assert (kettle.stock, mug.stock) == (3, 7)
    assert client.get(reverse("store:cart")).context["cart"].lines == []


def test_checkout_rejects_more_than_the_stock(client, user):
    product = ProductFactory(title="Last lamp", stock=3)
    add(client, product, 3)
    Product.objects.filter(pk=product.pk).update(stock=2)  # someone else bought one meanwhile

    response = client.post(reverse("store:checkout"), DETAILS)

    assert response.status_code == 400
    assert "Not enough stock for “Last lamp”: only 2 left." in response.content.decode()
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock == 2
    assert client.session["cart"] == {str(product.pk): 3}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**DETAILS, "email": "not-an-email"}, "email"),
        ({**DETAILS, "full_name": "  "}, "full_name"),
        ({**DETAILS, "address": ""}, "address"),
    ],
)
def test_invalid_checkout_data_is_a_form_error(client, user, data, field):
    product = ProductFactory(stock=4)
    add(client, product, 1)

    response = client.post(reverse("store:checkout"), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not Order.objects.exists()
    product.refresh_from_db()
    assert product.stock == 4


def test_order_place_locks_the_products_rows():
    product = ProductFactory(stock=2)
    actor = Actor(user=UserFactory(), session_key=None)

    with CaptureQueriesContext(connection) as queries:
        order_place(actor=actor, quantities={product.pk: 1}, **DETAILS)

    assert any("FOR UPDATE" in query["sql"] for query in queries.captured_queries)


def test_the_same_checkout_token_places_one_order():
    product = ProductFactory(stock=5)
    actor = Actor(user=UserFactory(), session_key=None)
    token = uuid.uuid4()

    first = order_place(actor=actor, quantities={product.pk: 2}, token=token, **DETAILS)
    again = order_place(actor=actor, quantities={product.pk: 2}, token=token, **DETAILS)

    assert again == first and Order.objects.count() == 1
    assert PendingConfirmation.objects.get().order == first
    product.refresh_from_db()
    assert product.stock == 3


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_checkout_place_one_order():
    """A double click: both requests pass the first check, then wait on the same row locks."""
    product = ProductFactory(stock=1)
    actor = Actor(user=UserFactory(), session_key=None)
    token = uuid.uuid4()
    start = threading.Barrier(2)

    def submit() -> int:
        start.wait()
        try:
            return order_place(actor=actor, quantities={product.pk: 1}, token=token, **DETAILS).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(2) as pool:
        placed = list(pool.map(lambda _: submit(), range(2)))

    assert placed[0] == placed[1] == Order.objects.get().pk
    product.refresh_from_db()
    assert product.stock == 0


def test_resubmitting_a_placed_checkout_places_nothing_more(client, user):
    product = ProductFactory(stock=5)
    add(client, product, 1)
    first = client.post(reverse("store:checkout"), DETAILS)

    again = client.post(reverse("store:checkout"), DETAILS)

    assert again["Location"] == reverse("store:cart")  # the cart is empty: nothing to order
    assert Order.objects.get().get_absolute_url() == first["Location"]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: Product.objects.filter(pk=p.pk).update(is_active=False), "no longer available"),
        (lambda p: Product.objects.filter(pk=p.pk).update(stock=0), "it is out of stock"),
        (lambda p: ProductFactory(currency="USD"), "mixes currencies"),
    ],
)
def test_order_place_refuses_and_changes_nothing(setup, message):
    product = ProductFactory(stock=5)
    extra = setup(product)
    quantities = {product.pk: 1}
    if isinstance(extra, Product):
        quantities[extra.pk] = 1
    actor = Actor(user=UserFactory(), session_key=None)

    with pytest.raises(CheckoutError, match=message):
        order_place(actor=actor, quantities=quantities, **DETAILS)

    assert not Order.objects.exists()
    assert Product.objects.filter(stock=4).count() == 0


def test_order_history_lists_only_own_orders(client, user):
    mine = OrderLineFactory(order=OrderFactory(user=user, total=Decimal("9.99")), quantity=2).order
    theirs = OrderFactory()

    response = client.get(reverse("store:order_list"))

    assert list(response.context["page_obj"].object_list) == [mine]
    content = response.content.decode()
    assert mine.get_absolute_url() in content
    assert theirs.get_absolute_url() not in content


def test_order_detail_for_owner(client, user):
    line = OrderLineFactory(order=OrderFactory(user=user), title="Blue kettle", quantity=2)

    response = client.get(line.order.get_absolute_url())

    assert response.status_code == 200
    assert "Blue kettle" in response.content.decode()


def test_someone_elses_order_is_a_404(client, user):
    response = client.get(OrderFactory().get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_orders_require_login(client):
    order = OrderFactory()
    for url in (reverse("store:order_list"), order.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("store:login"))
