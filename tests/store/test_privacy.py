"""The store's "Your data" page: a shopper (signed in, or a visitor by session) sees, downloads
and deletes what the recommendations hold about them, and switches personalisation off."""

import json

import pytest
from django.urls import reverse

from recommendations import selectors
from recommendations.models import Interaction, ShopperPreference
from recommendations.privacy import personalisation_enabled
from recommendations.shoppers import user_key
from shop.store.models import Order
from tests.factories import OrderFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    return [ProductFactory(title=f"Trail shoe {n}") for n in range(3)]


@pytest.fixture
def shopper(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    return user


def browse(client, products):
    client.get(products[0].get_absolute_url())
    client.get(reverse("store:search"), {"q": "trail shoe"})


def download(client) -> dict:
    response = client.get(reverse("store:your_data_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == ('attachment; filename="my-recommendation-data.json"')
    return json.loads(response.content)


def test_the_header_links_to_the_page_for_everyone(client, shopper):
    response = client.get(reverse("store:home"))
    assert reverse("store:your_data") in response.content.decode()
    client.logout()
    assert reverse("store:your_data") in client.get(reverse("store:home")).content.decode()


def test_a_signed_in_shopper_sees_and_downloads_their_data(client, shopper, products):
    browse(client, products)

    page = client.get(reverse("store:your_data"))
    assert page.status_code == 200
    assert page.context["counts"]["events"] == 1
    assert page.context["counts"]["searches"] == 1

    data = download(client)
    assert data["shopper"] == user_key(shopper.pk)
    assert [(e["kind"], e["product"]) for e in data["events"]] == [("view", products[0].pk)]
    assert [s["text"] for s in data["searches"]] == ["trail shoe"]


def test_deleting_removes_the_history_and_keeps_the_orders(client, shopper, products):
    browse(client, products)
    OrderFactory(user=shopper)
    other = "u:999999"
    Interaction.objects.create(shopper=other, kind="view", product=products[1], weight=1.0)

    response = client.post(reverse("store:your_data_delete"))

    assert response.status_code == 302 and response["Location"] == reverse("store:your_data")
    assert not Interaction.objects.filter(shopper=user_key(shopper.pk)).exists()
    assert Interaction.objects.filter(shopper=other).exists()
    assert Order.objects.filter(user=shopper).count() == 1
    assert download(client)["events"] == []
    page = client.get(reverse("store:your_data"))
    assert "Everything the recommendations knew about you is deleted." in page.content.decode()


def test_deleting_needs_a_post(client, shopper, products):
    browse(client, products)
    assert client.get(reverse("store:your_data_delete")).status_code == 405
    assert Interaction.objects.filter(shopper=user_key(shopper.pk)).exists()


def test_switching_personalisation_off_serves_what_is_popular(client, shopper, products):
    browse(client, products)
    key = user_key(shopper.pk)

    response = client.post(reverse("store:your_data_personalisation"), {"personalised": "off"})

    assert response.status_code == 302
    assert personalisation_enabled(key) is False
    assert client.get(reverse("store:your_data")).context["personalised"] is False
    served = selectors.recommend("recently_viewed", shopper=key, k=3)
    assert {r.strategy for r in served} <= {"popular"}
    assert download(client)["personalised"] is False

    client.post(reverse("store:your_data_personalisation"), {"personalised": "on"})
    assert personalisation_enabled(key) is True


@pytest.mark.parametrize("body", [{}, {"personalised": "maybe"}])
def test_a_missing_or_unknown_choice_changes_nothing(client, shopper, body):
    response = client.post(reverse("store:your_data_personalisation"), body, follow=True)
    assert response.status_code == 200
    assert "Choose whether recommendations may be personal." in response.content.decode()
    assert not ShopperPreference.objects.exists()


def test_a_visitor_gets_the_same_through_their_session(client, products):
    browse(client, products)
    key = f"s:{client.session.session_key}"
    assert Interaction.objects.filter(shopper=key).count() == 2

    assert download(client)["shopper"] == key
    client.post(reverse("store:your_data_personalisation"), {"personalised": "off"})
    assert personalisation_enabled(key) is False
    client.post(reverse("store:your_data_delete"))
    assert not Interaction.objects.filter(shopper=key).exists()


def test_a_first_time_visitor_holds_nothing_and_may_still_opt_out(client):
    page = client.get(reverse("store:your_data"))
    assert page.status_code == 200 and page.context["holds_anything"] is False
    assert download(client)["events"] == []
    assert client.post(reverse("store:your_data_delete")).status_code == 302

    client.post(reverse("store:your_data_personalisation"), {"personalised": "off"})
    assert personalisation_enabled(f"s:{client.session.session_key}") is False


def test_a_visitor_who_switched_off_stays_off_after_logging_in(client, products):
    UserFactory(username="grace")
    browse(client, products)
    client.post(reverse("store:your_data_personalisation"), {"personalised": "off"})

    client.post(reverse("store:login"), {"username": "grace", "password": "correct-horse-battery"})

    account = client.get(reverse("store:your_data")).context
    assert account["personalised"] is False
