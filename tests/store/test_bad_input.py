"""Bodies built to break the API's parser are a 400 in JSON, never a 500; nothing is recorded."""

import pytest
from django.urls import reverse

from recommendations.models import Interaction
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

DEEP = 5000


@pytest.fixture
def shopper_client(client):
    client.force_login(UserFactory())
    return client


@pytest.mark.parametrize(
    "body",
    [
        "[" * DEEP,
        "[" * DEEP + "]" * DEEP,
        '{"product": ' + "[" * DEEP + "]" * DEEP + ', "event": "view"}',
    ],
    ids=["unclosed", "closed", "inside-an-object"],
)
def test_events_body_nested_thousands_deep_is_a_400(shopper_client, body):
    ProductFactory()

    response = shopper_client.post(
        reverse("recommendations_api:events"), body, content_type="application/json"
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert "JSON parse error" in response.json()["detail"]
    assert not Interaction.objects.exists()


def test_click_body_nested_thousands_deep_is_a_400(shopper_client):
    response = shopper_client.post(
        reverse("recommendations_api:placement-click", args=["home"]),
        "[" * DEEP,
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_a_plain_event_still_records(shopper_client):
    product = ProductFactory()

    response = shopper_client.post(
        reverse("recommendations_api:events"),
        {"product": product.pk, "event": "view"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert Interaction.objects.get().product_id == product.pk


def test_a_body_of_another_kind_is_a_documented_415(shopper_client):
    response = shopper_client.post(
        reverse("recommendations_api:events"), "product=1", content_type="text/plain"
    )
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]
    assert not Interaction.objects.exists()
    schema = shopper_client.get(reverse("recommendations_api:schema"), {"format": "json"}).json()
    assert "415" in schema["paths"]["/api/events/"]["post"]["responses"]
