"""Sign-up, login and logout, and the header that reflects them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "an-unusual-passphrase-42"


def signup(client, next_url=""):
    data = {"username": "newbie", "email": "newbie@example.com"}
    data.update(password1=PASSWORD, password2=PASSWORD, next=next_url)
    return client.post(reverse("store:signup"), data)


def test_signup_creates_the_user_and_logs_in(client):
    response = signup(client)

    user = get_user_model().objects.get(username="newbie")
    assert user.email == "newbie@example.com"
    assert response.status_code == 302
    assert response["Location"] == reverse("store:home")
    assert client.get(reverse("store:home")).context["user"] == user


def test_signup_follows_a_safe_next_only(client):
    assert signup(client, reverse("store:checkout"))["Location"] == reverse("store:checkout")
    client.logout()
    get_user_model().objects.all().delete()
    assert signup(client, "https://evil.example.com/")["Location"] == reverse("store:home")


def test_signup_keeps_the_cart(client):
    product = ProductFactory()
    client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": "2"})

    signup(client)

    cart = client.get(reverse("store:cart")).context["cart"]
    assert [(line.product, line.quantity) for line in cart.lines] == [(product, 2)]


def test_invalid_signup_shows_errors(client):
    response = client.post(
        reverse("store:signup"),
        {"username": "x", "password1": PASSWORD, "password2": "different"},
    )
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_login_and_logout(client):
    UserFactory(username="ada")
    page = client.get(reverse("store:login"))
    assert page.status_code == 200
    assert 'for="id_username"' in page.content.decode()

    response = client.post(
        reverse("store:login"), {"username": "ada", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    header = client.get(reverse("store:home")).content.decode()
    assert "Log out" in header
    assert reverse("store:order_list") in header

    assert client.post(reverse("store:logout")).status_code == 302
    header = client.get(reverse("store:home")).content.decode()
    assert "Log in" in header and "Log out" not in header


def test_wrong_password_is_a_form_error(client):
    UserFactory(username="ada")
    response = client.post(reverse("store:login"), {"username": "ada", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_login_redirects_to_next(client):
    UserFactory(username="ada")
    response = client.post(
        reverse("store:login") + f"?next={reverse('store:checkout')}",
        {"username": "ada", "password": "correct-horse-battery", "next": "/checkout/"},
    )
    assert response["Location"] == reverse("store:checkout")
