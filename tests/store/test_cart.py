"""The session cart: adding, updating, removing, validation, and surviving login."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shop.store.cart import SESSION_KEY
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


def add(client, product, quantity="1"):
    return client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": quantity})


def session_cart(client) -> dict:
    return dict(client.session.get(SESSION_KEY, {}))


def test_anonymous_visitor_adds_to_cart(client):
    product = ProductFactory(title="Blue kettle", price=Decimal("12.50"))

    response = add(client, product, "2")

    assert response.status_code == 302
    assert response["Location"] == reverse("store:cart")
    assert session_cart(client) == {str(product.pk): 2}
    page = client.get(reverse("store:cart"))
    assert "Blue kettle" in page.content.decode()
    assert "€25.00" in page.content.decode()
    assert page.context["cart_count"] == 2


def test_adding_again_accumulates(client):
    product = ProductFactory()
    add(client, product, "2")
    add(client, product, "3")
    assert session_cart(client) == {str(product.pk): 5}


def test_logged_in_user_adds_to_cart(client):
    client.force_login(UserFactory())
    product = ProductFactory()
    add(client, product, "1")
    assert client.get(reverse("store:cart")).context["cart"].count == 1


def test_cart_is_kept_when_logging_in(client):
    user = UserFactory(username="keeper")
    product = ProductFactory(title="Kept lamp")
    add(client, product, "3")
    key_before = client.session.session_key

    response = client.post(
        reverse("store:login"), {"username": "keeper", "password": "correct-horse-battery"}
    )

    assert response.status_code == 302
    assert client.session.session_key != key_before  # login() cycles the key...
    assert session_cart(client) == {str(product.pk): 3}  # ...but keeps the cart
    page = client.get(reverse("store:cart"))
    assert page.context["user"] == user
    assert "Kept lamp" in page.content.decode()


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("abc", "Enter a whole number."),
        ("2.5", "Enter a whole number."),
        ("", "This field is required."),
        ("0", "greater than or equal to 1"),
        ("-3", "greater than or equal to 1"),
        ("100", "less than or equal to 99"),
        ("11", "Only 10 in stock."),
    ],
)
def test_invalid_quantity_is_a_form_error(client, quantity, message):
    product = ProductFactory(stock=10)

    response = add(client, product, quantity)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert session_cart(client) == {}


def test_quantity_already_in_cart_counts_against_stock(client):
    product = ProductFactory(stock=3)
    add(client, product, "2")

    response = add(client, product, "2")

    assert response.status_code == 400
    assert "Only 3 in stock (you already have 2 in your cart)." in response.content.decode()
    assert session_cart(client) == {str(product.pk): 2}


def test_out_of_stock_product_cannot_be_added(client):
    product = ProductFactory(stock=0)
    response = add(client, product, "1")
    assert response.status_code == 400
    assert "out of stock" in response.content.decode()


def test_update_quantity(client):
    product = ProductFactory(stock=10)
    add(client, product, "1")

    response = client.post(reverse("store:cart_update", args=[product.pk]), {"quantity": "4"})

    assert response.status_code == 302
    assert session_cart(client) == {str(product.pk): 4}


@pytest.mark.parametrize("quantity", ["zzz", "0", "100", "11"])
def test_invalid_update_shows_error_on_cart_page(client, quantity):
    product = ProductFactory(stock=10, title="Steady mug")
    add(client, product, "2")

    response = client.post(reverse("store:cart_update", args=[product.pk]), {"quantity": quantity})

    assert response.status_code == 400
    content = response.content.decode()
    assert "Your cart" in content and "Steady mug" in content
    assert 'class="errorlist' in content
    assert session_cart(client) == {str(product.pk): 2}


def test_remove_from_cart(client):
    kept, removed = ProductFactory(), ProductFactory()
    add(client, kept)
    add(client, removed)

    response = client.post(reverse("store:cart_remove", args=[removed.pk]))

    assert response.status_code == 302
    assert session_cart(client) == {str(kept.pk): 1}


def test_prices_come_from_the_database(client):
    product = ProductFactory(price=Decimal("10.00"))
    add(client, product, "2")
    product.price = Decimal("7.25")
    product.save()

    cart = client.get(reverse("store:cart")).context["cart"]

    assert cart.totals == {"EUR": Decimal("14.50")}


def test_deactivated_products_drop_out_of_the_cart(client):
    product, gone = ProductFactory(), ProductFactory()
    add(client, product)
    add(client, gone, "2")
    gone.is_active = False
    gone.save()

    cart = client.get(reverse("store:cart")).context["cart"]

    assert [line.product for line in cart.lines] == [product]
    assert session_cart(client) == {str(product.pk): 1}


def test_tampered_session_data_is_ignored(client):
    product = ProductFactory()
    session = client.session
    session[SESSION_KEY] = {"x": 1, str(product.pk): "3", "999999": 2, "7": "lots"}
    session.save()

    response = client.get(reverse("store:cart"))

    assert response.status_code == 200
    assert [(line.product, line.quantity) for line in response.context["cart"].lines] == [
        (product, 3)
    ]


def test_stock_shortfall_is_flagged_in_the_cart(client):
    product = ProductFactory(stock=5)
    add(client, product, "4")
    product.stock = 2
    product.save()

    response = client.get(reverse("store:cart"))

    assert "Only 2 left in stock" in response.content.decode()
    assert reverse("store:checkout") not in response.content.decode()


def test_unknown_or_inactive_product_cannot_be_added(client):
    inactive = ProductFactory(is_active=False)
    assert add(client, inactive).status_code == 404
    assert client.post(reverse("store:cart_add", args=[987654]), {"quantity": 1}).status_code == 404


def test_cart_changes_need_post(client):
    product = ProductFactory()
    assert client.get(reverse("store:cart_add", args=[product.pk])).status_code == 405
    assert client.get(reverse("store:cart_remove", args=[product.pk])).status_code == 405
