"""Admin of the engine: changelists, the preview page, the mixin for the host's product admin."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations import selectors
from recommendations.admin import EmbeddingStateFilter, RecommendationAdminMixin
from recommendations.models import (
    EmbeddingState,
    Interaction,
    ProductEmbedding,
    Reason,
    ShopperEmbedding,
)
from recommendations.services import products_embed, products_mark_stale
from shop.store.models import Product
from tests.factories import ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

PREVIEW = reverse("admin:recommendations_preview")


@pytest.fixture
def superuser():
    return UserFactory(username="root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def catalog():
    products = [
        ProductFactory(title="Alpine dome tent"),
        ProductFactory(title="Alpine tunnel tent"),
        ProductFactory(title="Espresso coffee grinder"),
    ]
    products_embed([p.pk for p in products])
    return products


@pytest.fixture
def states():
    """One product in each state, and the two ways of being missing and stale."""
    fresh, flagged, other_model, no_row, no_vector = (
        ProductFactory(title=f"Product {name}")
        for name in ("fresh", "flagged", "other model", "no row", "no vector")
    )
    products_embed([fresh.pk, flagged.pk, other_model.pk])
    products_mark_stale([flagged.pk])
    ProductEmbedding.objects.filter(pk=other_model.pk).update(model_name="retired-model")
    ProductEmbedding.objects.filter(pk=no_row.pk).delete()
    return {
        EmbeddingState.FRESH: {fresh.pk},
        EmbeddingState.STALE: {flagged.pk, other_model.pk},
        EmbeddingState.MISSING: {no_row.pk, no_vector.pk},
    }


def product_admin():
    return type("PA", (RecommendationAdminMixin, admin.ModelAdmin), {})(Product, admin.site)


def admin_request(rf, user, method="get", path="/admin/store/product/", data=None):
    request = getattr(rf, method)(path, data or {})
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    return request


@pytest.mark.parametrize(
    "name", ["productembedding", "interaction", "shopperembedding"], ids=lambda n: n
)
def test_changelists_and_change_pages_load_without_vectors(admin_client, catalog, name):
    user = UserFactory()
    Interaction.objects.create(shopper=f"u:{user.pk}", product=catalog[0], kind="view", weight=1)
    vector = ProductEmbedding.objects.get(pk=catalog[0].pk).vector
    ShopperEmbedding.objects.create(shopper=f"u:{user.pk}", vector=vector, model_name="fake-384")
    model = {"productembedding": ProductEmbedding, "interaction": Interaction}.get(
        name, ShopperEmbedding
    )
    row = model.objects.first()

    changelist = admin_client.get(reverse(f"admin:recommendations_{name}_changelist"))
    change = admin_client.get(reverse(f"admin:recommendations_{name}_change", args=[row.pk]))

    assert changelist.status_code == 200
    assert change.status_code == 200
    marker = repr(float(next(v for v in vector if abs(v) > 0.01)))[:7]
    assert marker not in changelist.content.decode()
    assert marker not in change.content.decode()
    assert 'name="vector"' not in change.content.decode()


def test_embedding_changelist_shows_states_and_links_to_the_preview(admin_client, states):
    html = admin_client.get(reverse("admin:recommendations_productembedding_changelist")).content
    html = html.decode()

    assert "Fresh" in html and "Stale" in html and "Missing" in html
    assert PREVIEW in html


def test_embedding_admin_action_queues_re_embedding(
    admin_client, catalog, django_capture_on_commit_callbacks
):
    url = reverse("admin:recommendations_productembedding_changelist")
    selected = [str(p.pk) for p in catalog]

    with django_capture_on_commit_callbacks() as callbacks:
        response = admin_client.post(
            url, {"action": "reembed", "_selected_action": selected}, follow=True
        )

    assert len(callbacks) == 1
    assert "3 products were queued for re-embedding." in response.content.decode()


def test_preview_without_a_choice_shows_the_counts(admin_client, states):
    response = admin_client.get(PREVIEW)

    assert response.status_code == 200
    assert response.context["counts"] == {"fresh": 1, "stale": 2, "missing": 2}
    assert "sections" not in response.context


def test_engine_rows_are_read_only(admin_client):
    for name in ("productembedding", "interaction", "shopperembedding"):
        assert admin_client.get(reverse(f"admin:recommendations_{name}_add")).status_code == 403


def test_interactions_search_by_shopper_key_or_username(admin_client):
    ada = UserFactory(username="ada")
    Interaction.objects.create(shopper=f"u:{ada.pk}", kind="search", text="tent", weight=2)
    Interaction.objects.create(shopper="s:abc", kind="search", text="stove", weight=2)
    url = reverse("admin:recommendations_interaction_changelist")

    by_name = admin_client.get(url, {"q": "ada"}).context["cl"].result_list
    by_key = admin_client.get(url, {"q": "s:abc"}).context["cl"].result_list

    assert [i.text for i in by_name] == ["tent"]
    assert [i.text for i in by_key] == ["stove"]


def test_preview_for_a_product_shows_similar_products_with_scores(admin_client, catalog):
    dome, tunnel, _grinder = catalog

    response = admin_client.get(PREVIEW, {"product": str(dome.pk), "k": 2})

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Similar products to “{dome.title}” (its embedding: fresh)" in html
    assert tunnel.title in html
    score = selectors.similar_products(dome.pk, k=1)[0].score
    assert f"{score:.4f}" in html
    assert "<td>similar</td>" in html
    counts = response.context["counts"]
    assert counts == {"fresh": 3, "stale": 0, "missing": 0}


def test_preview_by_title_lists_the_candidates(admin_client, catalog):
    response = admin_client.get(PREVIEW, {"product": "alpine", "k": 5})

    choices = response.context["product_choices"]
    assert [c["title"] for c in choices] == ["Alpine dome tent", "Alpine tunnel tent"]
    assert response.context["sections"] == []


def test_preview_by_unique_title_previews_it(admin_client, catalog):
    response = admin_client.get(PREVIEW, {"product": "espresso", "k": 5})

    assert response.context["sections"][0]["title"].startswith("Similar products to “Espresso")


@pytest.mark.parametrize("shopper", ["u:{pk}", "ada"])
def test_preview_for_a_shopper_without_history_shows_the_popular_fallback(
    admin_client, catalog, shopper
):
    ada = UserFactory(username="ada")
    key = f"u:{ada.pk}"

    response = admin_client.get(PREVIEW, {"shopper": shopper.format(pk=ada.pk), "k": 3})

    html = response.content.decode()
    assert f"Recommended for {key}" in html
    assert f"{key} has no vector yet" in html
    assert "<td>popular</td>" in html
    assert all(p.title in html for p in catalog)


def test_preview_for_a_shopper_with_a_vector_and_a_request(admin_client, catalog):
    vector = ProductEmbedding.objects.get(pk=catalog[2].pk).vector
    ShopperEmbedding.objects.create(shopper="s:xyz", vector=vector, model_name="fake-384")

    response = admin_client.get(PREVIEW, {"shopper": "s:xyz", "q": "tent under 30", "k": 3})

    sections = response.context["sections"]
    assert [s["title"] for s in sections] == [
        "Recommended for s:xyz",
        "Collaborative only for s:xyz",
        "Content only for s:xyz",
        "Recently viewed for s:xyz",
        "Request “tent under 30” (limits read from it: price at most 30)",
    ]
    assert sections[0]["rows"][0]["title"] == "Espresso coffee grinder"
    assert sections[2]["rows"][0]["title"] == "Espresso coffee grinder"
    assert {row["strategy"] for row in sections[-1]["rows"]} == {"search"}


def test_preview_tells_about_unknown_products_and_users(admin_client, catalog):
    response = admin_client.get(PREVIEW, {"product": "kayak", "shopper": "nobody"})

    html = response.content.decode()
    assert "No product matches “kayak”" in html
    assert "No user is named “nobody”" in html


def test_preview_is_for_staff_only(client):
    assert client.get(PREVIEW).status_code == 302
    client.force_login(UserFactory())

    response = client.get(PREVIEW)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_mixin_column_shows_state_with_the_model_name(rf, superuser, states):
    model_admin = product_admin()
    fresh = Product.objects.get(pk=next(iter(states[EmbeddingState.FRESH])))
    missing = Product.objects.get(pk=next(iter(states[EmbeddingState.MISSING])))

    assert "recommendation_embedding_state" in model_admin.get_list_display(
        admin_request(rf, superuser)
    )
    assert ">Fresh<" in model_admin.recommendation_embedding_state(fresh)
    assert 'title="Embedded by the current model, fake-384."' in (
        model_admin.recommendation_embedding_state(fresh)
    )
    assert ">Missing<" in model_admin.recommendation_embedding_state(missing)


def test_mixin_changelist_reads_all_states_of_a_page_in_one_query(rf, superuser, states):
    model_admin = product_admin()
    request = admin_request(rf, superuser)

    with CaptureQueriesContext(connection) as queries:
        response = model_admin.changelist_view(request)
        html = response.render().content.decode()

    embedding_queries = [q for q in queries if "recommendations_productembedding" in q["sql"]]
    assert len(embedding_queries) == 1
    assert html.count(">Fresh</span>") == 1
    assert html.count(">Stale</span>") == 2
    assert html.count(">Missing</span>") == 2


def test_mixin_action_queues_re_embedding_and_says_how_many(
    rf, superuser, catalog, django_capture_on_commit_callbacks
):
    model_admin = product_admin()
    request = admin_request(rf, superuser, method="post")
    assert "recommendations_reembed" in model_admin.get_actions(request)

    with django_capture_on_commit_callbacks() as callbacks:
        model_admin.recommendations_reembed(
            request, Product.objects.filter(pk__in=[catalog[0].pk, catalog[1].pk])
        )

    assert len(callbacks) == 1
    assert [str(m) for m in get_messages(request)] == ["2 products were queued for re-embedding."]


def test_mixin_action_needs_change_permission(rf, states):
    viewer = UserFactory(is_staff=True)

    assert "recommendations_reembed" not in product_admin().get_actions(admin_request(rf, viewer))


@pytest.mark.parametrize("state", list(EmbeddingState))
def test_state_filter_agrees_with_the_selector(rf, superuser, states, state):
    model_admin = product_admin()
    request = admin_request(rf, superuser)
    list_filter = EmbeddingStateFilter(request, {"embedding": [state.value]}, Product, model_admin)

    ids = set(list_filter.queryset(request, Product.objects.all()).values_list("pk", flat=True))

    assert ids == states[state]
    assert {pk for pk, s in selectors.embedding_states(ids).items() if s == state} == ids
    assert EmbeddingStateFilter in model_admin.get_list_filter(request)


def test_preview_shows_each_reason_and_its_evidence_in_words(admin_client, catalog):
    dome, tunnel, _grinder = catalog
    html = admin_client.get(PREVIEW, {"product": str(dome.pk), "k": 2}).content.decode()
    assert f"An alternative to the {dome.title}" in html or f"like the {dome.title}" in html
    assert f"<li>Similar to the {dome.title}" in html
    assert f"<li>Product: {tunnel.title}</li>" in html


def test_reasons_are_listed_with_their_evidence_and_staff_can_reject_one(admin_client, catalog):
    result = selectors.similar_products(catalog[0].pk, k=1)[0]
    evidence = result.evidence
    reason = Reason.objects.create(
        product_id=evidence.product.id, language="en", evidence_digest=evidence.digest(),
        evidence=evidence.as_dict(), text="A generated sentence", generator="local",
        verdict=Reason.Verdict.PASSED,
    )  # fmt: skip
    changelist = reverse("admin:recommendations_reason_changelist")
    assert "A generated sentence" in admin_client.get(changelist).content.decode()
    detail = admin_client.get(reverse("admin:recommendations_reason_change", args=[reason.pk]))
    assert f"Similar to the {catalog[0].title}" in detail.content.decode()
    admin_client.post(changelist, {"action": "reject", "_selected_action": [reason.pk]})
    reason.refresh_from_db()
    assert reason.verdict == Reason.Verdict.REJECTED
    cards = admin_client.get(PREVIEW, {"product": str(catalog[0].pk), "k": 1}).content.decode()
    assert "A generated sentence" not in cards
