"""After a purchase, the order page shows what shoppers went on to buy next (the sequence model)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recommendations import services
from recommendations.models import Interaction
from recommendations.recommenders.versions import version_train
from tests.factories import CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
DETAILS = {"full_name": "Ada Lovelace", "email": "ada@example.com", "address": "1 Engine St"}
LEARN = {"SEQUENTIAL": {"epochs": 150, "dimensions": 32, "dropout": 0.1, "device": "cpu"}}
TITLES = [
    ["Trail tent", "Sleeping mat", "Camp stove", "Head lamp"],
    ["Road bike", "Bike helmet", "Bike light", "Saddle bag"],
    ["Yoga mat", "Yoga block", "Yoga strap", "Foam roller"],
]


def test_the_order_page_shows_what_comes_next_after_the_purchase(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RECOMMENDATIONS = {**settings.RECOMMENDATIONS, **LEARN}
    chains = []
    for g, titles in enumerate(TITLES):
        category = CategoryFactory(name=f"Aisle {g}")
        chains.append([ProductFactory(title=t, category=category, stock=50) for t in titles])
    start = timezone.now() - timedelta(days=30)
    for g, chain in enumerate(chains):
        for n in range(15):
            for step, product in enumerate(chain):
                services.interaction_record(
                    shopper=f"x:buyer{g}-{n}", kind=Interaction.Kind.PURCHASE,
                    product_id=product.pk,
                    created_at=start + timedelta(days=g * 3 + step / 4, minutes=n),
                )  # fmt: skip
    version_train()
    client.force_login(UserFactory())
    tent, mat = chains[0][:2]
    for product in (tent, mat):
        client.post(reverse("store:cart_add", args=[product.pk]), {"quantity": 1})
        # Purchases are recorded once the order's transaction commits.
        with django_capture_on_commit_callbacks(execute=True):
            placed = client.post(reverse("store:checkout"), DETAILS)

    response = client.get(placed["Location"])

    shown = [card["title"] for card in response.context["cards"]]
    assert "What’s next" in response.content.decode()
    assert shown[0] == "Camp stove"
    assert "Sleeping mat" not in shown and "Trail tent" not in shown
