"""Shoppers own their data: export, deletion (the next model no longer knows them), opting out of
personalisation, retention of events, and the same for staff in the admin."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from recommendations import selectors, services
from recommendations.models import (
    Experiment,
    Interaction,
    Placement,
    Reason,
    RecommendationEvent,
    ShopperEmbedding,
    ShopperFactor,
    ShopperPreference,
    Variant,
)
from recommendations.placements import placement_serve
from recommendations.privacy import (
    events_purge,
    personalisation_enabled,
    personalisation_set,
    shopper_data_delete,
    shopper_data_export,
)
from recommendations.reasons.serve import _stored as stored_reasons
from recommendations.recommenders.versions import version_train
from recommendations.services.stats import product_stats_refresh
from recommendations.shoppers import user_key
from recommendations.tasks import purge_old_events
from tests.engine.factories import CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind
NOW = timezone.now()
ADA = "x:ada"


def record(shopper, product=None, *, kind=Kind.PURCHASE, text="", at=None):
    services.interaction_record(
        shopper=shopper,
        kind=kind,
        product_id=product.pk if product else None,
        text=text,
        created_at=at or NOW,
    )


@pytest.fixture
def shop():
    """Runners buy shoes with gels, campers tents with stoves; Ada is a runner who also searched.
    Everything is embedded and a model version is trained."""
    running, outdoor = CategoryFactory(name="Running"), CategoryFactory(name="Outdoor")
    p = {
        "shoe": ProductFactory(title="Trail shoe", category=running),
        "gel": ProductFactory(title="Energy gel", category=running),
        "tent": ProductFactory(title="Tent", category=outdoor),
        "stove": ProductFactory(title="Camp stove", category=outdoor),
        "bottle": ProductFactory(title="Water bottle", category=outdoor),
    }
    for n in range(6):
        for product in (p["shoe"], p["gel"]):
            record(f"x:runner{n}", product, at=NOW - timedelta(days=n))
        for product in (p["tent"], p["stove"], p["bottle"]):
            record(f"x:camper{n}", product, at=NOW - timedelta(days=n))
    record(ADA, p["shoe"], kind=Kind.VIEW)
    record(ADA, p["gel"])
    record(ADA, text="trail running", kind=Kind.SEARCH)
    services.products_embed([x.pk for x in p.values()])
    services.shopper_vector_update(ADA)
    product_stats_refresh()
    version_train()
    return p


def reason_for(product, *, history):
    evidence = {"product": {"id": product.pk, "name": product.title}, "signal": "neighbours"}
    evidence["history"] = history
    return Reason.objects.create(
        product=product,
        language="en",
        evidence_digest=f"digest-{Reason.objects.count()}",
        evidence=evidence,
        text=f"Because of {history[0]['name']}.",
        generator="template",
        verdict=Reason.Verdict.PASSED,
    )


def link(name, action, product=None):
    return {
        "name": name,
        "action": action,
        "when": "today",
        "product_id": product.pk if product else None,
        "shared": [],
    }


@pytest.fixture
def experiment(shop):
    home = Placement.objects.create(name="home", title="For you", default_strategy="for_you")
    test = Experiment.objects.create(name="Blend", placement=home, is_active=True)
    Variant.objects.create(experiment=test, name="control", strategy="for_you")
    return test


# Export


def test_export_holds_everything_about_the_shopper_and_nothing_of_others(shop, experiment):
    placement_serve("home", shopper=ADA, k=3)
    ours = reason_for(shop["stove"], history=[link("Energy gel", "bought", shop["gel"])])
    searched = reason_for(shop["shoe"], history=[link("trail running", "searched")])
    # Also names a product Ada never touched: said to another shopper.
    reason_for(
        shop["bottle"],
        history=[link("Energy gel", "bought", shop["gel"]), link("Tent", "bought", shop["tent"])],
    )

    data = shopper_data_export(ADA)

    assert data["shopper"] == ADA and data["personalised"] is True
    assert [(e["kind"], e["product"]) for e in data["events"]] == [
        ("view", shop["shoe"].pk),
        ("purchase", shop["gel"].pk),
    ]
    assert [s["text"] for s in data["searches"]] == ["trail running"]
    vector = data["shopper_vector"]
    assert vector["has_vector"] is True and vector["events_used"] == 3
    assert vector["model"] and vector["updated_at"]
    assert len(data["learned_factors"]) == 1
    assert data["experiment_assignments"] == [
        {
            "experiment": "Blend",
            "variant": "control",
            "first_seen": data["placement_events"][0]["created_at"],
        }
    ]
    assert {e["kind"] for e in data["placement_events"]} == {"impression"}
    assert {e["placement"] for e in data["placement_events"]} == {"home"}
    assert sorted(r["text"] for r in data["reasons"]) == sorted([ours.text, searched.text])
    text = json.dumps(data)
    assert "runner" not in text and "camper" not in text
    # How the vector was made, never its numbers.
    assert set(vector) == {"has_vector", "model", "events_used", "updated_at"}


def test_export_of_nobody_is_empty():
    data = shopper_data_export(None)
    assert data["shopper"] is None and data["events"] == [] and data["reasons"] == []
    assert shopper_data_export("s:unknown")["events"] == []


# Deletion


def test_delete_removes_what_was_learned_and_the_next_model_does_not_know_them(shop, experiment):
    placement_serve("home", shopper=ADA, k=3)
    reason_for(shop["stove"], history=[link("Energy gel", "bought", shop["gel"])])
    reason_for(shop["shoe"], history=[link("trail running", "searched")])
    theirs = reason_for(shop["gel"], history=[link("Tent", "bought", shop["tent"])])
    personalisation_set(ADA, enabled=False)
    assert ShopperFactor.objects.filter(shopper=ADA).exists()
    others = Interaction.objects.exclude(shopper=ADA).count()

    deleted = shopper_data_delete(ADA)

    assert deleted == {
        "reasons": 2,
        "events": 3,
        "shopper_vector": 1,
        "learned_factors": 1,
        "placement_events": 3,
    }
    assert not Interaction.objects.filter(shopper=ADA).exists()
    assert not ShopperEmbedding.objects.filter(shopper=ADA).exists()
    assert not ShopperFactor.objects.filter(shopper=ADA).exists()
    assert not RecommendationEvent.objects.filter(shopper=ADA).exists()
    assert list(Reason.objects.all()) == [theirs]
    assert Interaction.objects.count() == others
    # Their choice outlives their data: deleting it does not switch personalisation back on.
    assert personalisation_enabled(ADA) is False

    retrained = version_train()
    assert retrained.shoppers == 12
    assert not ShopperFactor.objects.filter(shopper=ADA).exists()
    assert ShopperFactor.objects.filter(model=retrained, shopper="x:runner0").exists()
    assert shopper_data_export(ADA)["events"] == []


def test_their_deleted_reasons_are_not_served_from_what_a_process_kept(shop):
    reason = reason_for(shop["stove"], history=[link("Energy gel", "bought", shop["gel"])])
    key = ("en", shop["stove"].pk, reason.evidence_digest)
    assert stored_reasons.get_many([key])[key] == (Reason.Verdict.PASSED, reason.text)

    shopper_data_delete(ADA)

    assert stored_reasons.get_many([key])[key] == ("", "")


# Opting out


def ids(results):
    return [r.product.pk for r in results]


def test_an_opted_out_shopper_gets_only_non_personal_strategies(shop):
    popular = ids(selectors.recommend("popular", k=4))
    assert ids(selectors.recommend("for_you", shopper=ADA, k=4)) != popular

    personalisation_set(ADA, enabled=False)

    for strategy in ("for_you", "collaborative", "content", "sequential", "recently_viewed"):
        results = selectors.recommend(strategy, shopper=ADA, k=4)
        assert ids(results) == popular, strategy
        assert {r.strategy for r in results} == {"popular"}
        # Nothing they did is quoted either: no history in the evidence of a reason.
        assert all(not r.evidence.history for r in results)
    # What the page or the basket asks for is not personal, and still answers.
    similar = selectors.recommend("similar", shopper=ADA, product_id=shop["shoe"].pk, k=2)
    assert similar and {r.strategy for r in similar} == {"similar"}
    # Their purchases are not even used to leave products out.
    assert shop["gel"].pk in popular and shop["gel"].pk in ids(
        selectors.recommend("for_you", shopper=ADA, k=4)
    )

    personalisation_set(ADA, enabled=True)
    assert ids(selectors.recommend("for_you", shopper=ADA, k=4)) != popular


def test_a_placement_serves_an_opted_out_shopper_as_nobody_but_counts_the_impression(
    shop, experiment
):
    personalisation_set(ADA, enabled=False)

    served = placement_serve("home", shopper=ADA, k=3)

    assert ids(served.results) == ids(selectors.recommend("popular", k=3))
    assert served.assignment.variant.name == "control"
    assert RecommendationEvent.objects.filter(shopper=ADA, kind="impression").count() == 3
    assert all(not r.evidence.history for r in served.results)


# Retention


def test_events_older_than_the_retention_period_are_purged_once(shop, experiment):
    placement_serve("home", shopper=ADA, k=2)
    old = NOW - timedelta(days=400)
    record("x:old-timer", shop["tent"], at=old)
    RecommendationEvent.objects.filter(shopper=ADA).update(created_at=old)
    services.shopper_vector_update("x:old-timer")
    ShopperEmbedding.objects.filter(shopper="x:old-timer").update(updated_at=old)
    kept = Interaction.objects.count() - 1

    assert events_purge() == 1 + 2
    assert Interaction.objects.count() == kept
    assert not RecommendationEvent.objects.exists()
    assert not ShopperEmbedding.objects.filter(shopper="x:old-timer").exists()
    assert ShopperEmbedding.objects.filter(shopper=ADA).exists()
    assert purge_old_events() == 0


def test_retention_is_a_setting_and_none_keeps_everything(shop):
    record("x:old-timer", shop["tent"], at=NOW - timedelta(days=40))
    with override_settings(RECOMMENDATIONS={"EVENT_RETENTION_DAYS": None}):
        assert events_purge() == 0
    with override_settings(RECOMMENDATIONS={"EVENT_RETENTION_DAYS": 30}):
        assert events_purge() == 1
    assert not Interaction.objects.filter(shopper="x:old-timer").exists()


# The API: the caller's own data only


@pytest.fixture
def visitor(shop):
    """An anonymous visitor with a session and a little history."""
    client = APIClient()
    session = client.session
    session.save()
    key = f"s:{session.session_key}"
    record(key, shop["tent"], kind=Kind.VIEW)
    client.shopper = key
    return client


def test_api_exports_the_callers_data(visitor):
    response = visitor.get(reverse("recommendations_api:my-data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = response.json()
    assert data["shopper"] == visitor.shopper
    assert [e["kind"] for e in data["events"]] == ["view"]


def test_api_without_a_visit_holds_nothing():
    client = APIClient()
    assert client.get(reverse("recommendations_api:my-data")).json()["events"] == []
    response = client.put(
        reverse("recommendations_api:personalisation"), {"personalised": False}, format="json"
    )
    assert response.status_code == 403
    assert not ShopperPreference.objects.exists()


def test_api_deletes_the_callers_data_only(visitor):
    response = visitor.delete(reverse("recommendations_api:my-data"))
    assert response.status_code == 200
    assert response.json()["events"] == 1
    assert not Interaction.objects.filter(shopper=visitor.shopper).exists()
    assert Interaction.objects.filter(shopper=ADA).exists()


def test_api_switches_personalisation(visitor):
    url = reverse("recommendations_api:personalisation")
    assert visitor.get(url).json() == {"personalised": True}
    response = visitor.put(url, {"personalised": False}, format="json")
    assert response.status_code == 200 and response.json() == {"personalised": False}
    assert personalisation_enabled(visitor.shopper) is False
    assert visitor.get(url).json() == {"personalised": False}


@pytest.mark.parametrize("body", [{}, {"personalised": "perhaps"}, {"personalised": None}])
def test_api_rejects_a_bad_choice(visitor, body):
    response = visitor.put(reverse("recommendations_api:personalisation"), body, format="json")
    assert response.status_code == 400
    assert "personalised" in response.json()
    assert personalisation_enabled(visitor.shopper) is True


def test_api_signed_in_caller_needs_the_csrf_token(shop):
    user = UserFactory()
    record(user_key(user.pk), shop["tent"])
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.delete(reverse("recommendations_api:my-data"))
    assert response.status_code == 403
    assert Interaction.objects.filter(shopper=user_key(user.pk)).exists()


# The admin, for a shopper on request


def test_admin_downloads_and_deletes_a_shoppers_data(admin_client, shop):
    url = reverse("admin:recommendations_interaction_changelist")
    rows = Interaction.objects.filter(shopper=ADA).values_list("pk", flat=True)

    response = admin_client.post(
        url, {"action": "shoppers_data_download", "_selected_action": list(rows)[:1]}
    )
    assert response.status_code == 200
    exported = json.loads(response.content)
    assert [e["shopper"] for e in exported] == [ADA]
    assert len(exported[0]["events"]) == 2

    response = admin_client.post(
        url, {"action": "shoppers_data_delete", "_selected_action": list(rows)[:1]}
    )
    assert response.status_code == 302
    assert not Interaction.objects.filter(shopper=ADA).exists()
    assert not ShopperEmbedding.objects.filter(shopper=ADA).exists()
    assert Interaction.objects.filter(shopper="x:runner0").exists()


def test_staff_who_may_only_look_cannot_delete(client, shop):
    from django.contrib.auth.models import Permission

    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_interaction"))
    client.force_login(staff)
    rows = list(Interaction.objects.filter(shopper=ADA).values_list("pk", flat=True))
    response = client.post(
        reverse("admin:recommendations_interaction_changelist"),
        {"action": "shoppers_data_delete", "_selected_action": rows},
    )
    assert response.status_code in (200, 302)
    assert Interaction.objects.filter(shopper=ADA).count() == 3
