"""Reasons: evidence from the ranking, the cache in the request path, generation in workers."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from recommendations import selectors, services
from recommendations.checks import check_reasons
from recommendations.models import Experiment, Placement, Reason, Variant
from recommendations.placements import placement_serve
from recommendations.presentation import recommendation_cards
from recommendations.reasons import serve
from recommendations.reasons.collect import evidence_attach
from recommendations.reasons.evidence import Evidence, when_bucket
from recommendations.reasons.generators.base import GenerationError, ReasonGenerator
from recommendations.reasons.prepare import reasons_prepare
from recommendations.reasons.serve import reasons_attach
from recommendations.reasons.service import reasons_generate, reasons_reject
from recommendations.reasons.words import template_sentences
from recommendations.recommenders.versions import version_train
from recommendations.shoppers import user_key
from tests.engine.factories import BrandFactory, CategoryFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

PURCHASE = "purchase"


def buy(shopper, product, days_ago):
    services.interaction_record(
        shopper=shopper, kind=PURCHASE, product_id=product.pk,
        created_at=timezone.now() - timedelta(days=days_ago),
    )  # fmt: skip


@pytest.fixture
def camp():
    """Five shoppers bought the tent and, days later, the mat; Alice bought the tent 8 days ago."""
    summit = BrandFactory(name="Summit")
    tents, mats = CategoryFactory(name="Tents"), CategoryFactory(name="Sleeping mats")
    tent = ProductFactory(
        title="Summit Dome Tent",
        brand=summit,
        category=tents,
        price=Decimal("249.00"),
        attributes={"season": "3-season"},
    )
    mat = ProductFactory(
        title="Summit Trail Mat",
        brand=summit,
        category=mats,
        price=Decimal("59.00"),
        attributes={"season": "3-season"},
    )
    others = [ProductFactory(title=f"Camp mug {i}") for i in range(4)]
    services.products_embed([p.pk for p in (tent, mat, *others)])
    for n in range(5):
        buy(f"x:camper{n}", tent, 20)
        buy(f"x:camper{n}", mat, 15)
    buy("x:camper9", others[0], 3)
    alice = user_key(UserFactory(username="alice").pk)
    buy(alice, tent, 8)
    version_train()
    return {"tent": tent, "mat": mat, "others": others, "alice": alice}


def first(results, product):
    return next(r for r in results if r.product.pk == product.pk)


# Evidence, produced where the ranking is


def test_for_you_evidence_names_the_shoppers_product_and_what_others_bought_next(camp):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    assert results[0].product == camp["mat"]
    evidence = results[0].evidence
    assert evidence.signal in ("neighbours", "sequential", "content", "factors")
    [link] = evidence.history
    assert (link.name, link.action, link.product_id) == (
        "Summit Dome Tent",
        "bought",
        camp["tent"].pk,
    )
    assert link.when == when_bucket(timezone.localdate() - timedelta(days=8), timezone.localdate())
    assert set(link.shared) == {"Summit", "3-season"}
    [together] = evidence.together
    assert (together.name, together.relation, together.shoppers) == (
        "Summit Dome Tent",
        "bought_next",
        5,
    )
    assert evidence.product.price == "59.00" and evidence.product.brand == "Summit"


def test_a_search_the_product_matches_is_evidence_too(camp):
    services.interaction_record(shopper=camp["alice"], kind="search", text="trail mat")
    services.interaction_record(shopper=camp["alice"], kind="search", text="kettle")
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    searched = [link for link in first(results, camp["mat"]).evidence.history
                if link.action == "searched"]  # fmt: skip
    assert [(link.name, link.when) for link in searched] == [("trail mat", "today")]
    reasons_attach(results, language="en")
    assert "Matches your search “trail mat”" in template_sentences(results[0].evidence, "en")


def test_similar_evidence_names_the_page_product_and_what_both_share(camp):
    results = selectors.recommend("similar", product_id=camp["tent"].pk, k=5)
    evidence = first(results, camp["mat"]).evidence
    assert evidence.signal == "similar"
    assert evidence.page_product == "Summit Dome Tent"
    assert evidence.shared_with_page == ("Summit", "3-season")


def test_search_evidence_holds_the_limits_the_product_meets(camp):
    results = selectors.search_products("summit trail mat under 100", k=3)
    evidence = first(results, camp["mat"]).evidence
    kinds = {(c.kind, c.value) for c in evidence.constraints}
    assert ("max_price", "100") in kinds
    assert ("word", "trail") in kinds
    assert all(c.met for c in evidence.constraints)


@pytest.mark.parametrize("k", [2, 6])
def test_evidence_takes_the_same_few_queries_for_any_list_length(camp, k):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = selectors.recommend("for_you", shopper=camp["alice"], k=k, explained=False)
    with CaptureQueriesContext(connection) as queries:
        evidence_attach(results, shopper=camp["alice"])
    assert len(queries) <= 5
    assert all(r.evidence is not None for r in results)


def test_evidence_without_brand_or_price_says_nothing_of_them(camp):
    plain = ProductFactory(title="Unbranded thing", brand=None)
    services.products_embed([plain.pk])
    results = selectors.recommend("similar", product_id=camp["tent"].pk, k=10)
    evidence = first(results, plain).evidence
    assert evidence.product.brand is None and evidence.product.rating is None
    reasons_attach([first(results, plain)], language="en")
    assert first(results, plain).reason and "None" not in first(results, plain).reason


# Serving: cached or template, never a model


def test_a_template_reason_is_specific_and_true(camp):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    reasons_attach(results, language="en")
    assert results[0].reason == "Bought next by 5 shoppers who bought the Summit Dome Tent"
    assert results[0].reason_source == "template"


def test_reasons_on_one_list_do_not_repeat(camp):
    results = selectors.recommend("similar", product_id=camp["tent"].pk, k=6)
    reasons_attach(results, language="en")
    texts = [r.reason for r in results]
    assert all(texts) and len(set(texts)) == len(texts)


def test_reasons_follow_the_language(camp):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    with translation.override("zh-hans"):
        reasons_attach(results)
    assert "Summit Dome Tent" in results[0].reason
    assert any("\u4e00" <= ch <= "\u9fff" for ch in results[0].reason)


def test_a_cards_template_sentences_are_written_once_per_evidence_and_language(camp, monkeypatch):
    monkeypatch.setattr(serve, "_templates", {})
    written = []
    monkeypatch.setattr(
        serve,
        "template_sentences",
        lambda evidence, language: (
            written.append(language) or template_sentences(evidence, language)
        ),
    )
    first = selectors.recommend("similar", product_id=camp["tent"].pk, k=4)
    reasons_attach(first, language="en")
    again = selectors.recommend("similar", product_id=camp["tent"].pk, k=4)
    reasons_attach(again, language="en")
    assert [r.reason for r in again] == [r.reason for r in first]
    assert all(r.reason_source == "template" for r in again)
    assert written == ["en"] * len(first)
    reasons_attach(again, language="zh-hans")
    assert written == ["en"] * len(first) + ["zh-hans"] * len(first)
    assert [r.reason for r in again] != [r.reason for r in first]


def stored(recommendation, text, verdict=Reason.Verdict.PASSED, language="en"):
    evidence = recommendation.evidence
    return Reason.objects.create(
        product_id=evidence.product.id, language=language, evidence_digest=evidence.digest(),
        evidence=evidence.as_dict(), text=text, generator="test", verdict=verdict,
    )  # fmt: skip


def test_a_passed_reason_is_served_and_a_rejected_or_failed_one_is_not(camp):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    reason = stored(results[0], "Five campers added this mat after the Summit Dome Tent")
    reasons_attach(results, language="en")
    assert (results[0].reason, results[0].reason_source) == (reason.text, "generated")
    reasons_reject(Reason.objects.filter(pk=reason.pk))
    reasons_attach(results, language="en")
    assert results[0].reason_source == "template"


def test_a_lists_reasons_are_read_once_until_one_is_stored(
    camp, scripted, django_assert_num_queries
):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=3)
    reasons_attach(results, language="en")
    assert {r.reason_source for r in results} == {"template"}
    with django_assert_num_queries(0):
        reasons_attach(results, language="en")
    # A worker stores them (in bulk, which sends no signal): the next page shows them.
    reasons_generate([r.evidence for r in results], language="en")
    reasons_attach(results, language="en")
    assert {r.reason_source for r in results} == {"generated"}


def test_a_change_to_the_product_retires_its_reason(camp):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    stored(results[0], "Five campers added this mat after the Summit Dome Tent")
    camp["mat"].price = Decimal("64.00")
    camp["mat"].save()
    again = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    reasons_attach(again, language="en")
    assert again[0].product == camp["mat"]
    assert again[0].reason_source == "template"


def test_what_is_missing_is_queued_once(camp):
    queued = []
    results = selectors.recommend("for_you", shopper=camp["alice"], k=5)
    reasons_attach(results, language="en", enqueue=lambda items, lang: queued.append(len(items)))
    reasons_attach(results, language="en", enqueue=lambda items, lang: queued.append(len(items)))
    assert queued == [len(results)]


# Generation in workers


class Scripted(ReasonGenerator):
    """Answers a false sentence first and a true one second, or fails when told to."""

    name = "scripted"
    fail = False

    def generate(self, items, *, language):
        if self.fail:
            raise GenerationError("connection refused")
        return [[f"A high-end choice from Acme for {e.product.price}",
                 f"{e.product.category} from {e.product.brand}"] for e in items]  # fmt: skip


SCRIPTED = {"REASONS": {"GENERATOR": "scripted", "GENERATORS": {
    "scripted": "tests.engine.test_reasons.Scripted",
    "template": "recommendations.reasons.generators.template.TemplateGenerator",
}}}  # fmt: skip


@pytest.fixture
def scripted(settings):
    settings.RECOMMENDATIONS = {**settings.RECOMMENDATIONS, **SCRIPTED}
    Scripted.fail = False
    yield Scripted
    Scripted.fail = False


def test_the_first_candidate_that_passes_the_verifier_is_kept(camp, scripted):
    results = selectors.recommend("for_you", shopper=camp["alice"], k=3)
    rows = reasons_generate([r.evidence for r in results], language="en")
    assert rows and all(row.verdict == Reason.Verdict.PASSED for row in rows)
    assert all(row.candidates_tried == 2 for row in rows)
    assert reasons_generate([r.evidence for r in results], language="en") == []
    reasons_attach(results, language="en")
    assert results[0].reason == "Sleeping mats from Summit"
    assert results[0].reason_source == "generated"


def test_a_generator_failure_leaves_the_template_reason_and_one_warning(camp, scripted, caplog):
    scripted.fail = True
    results = selectors.recommend("for_you", shopper=camp["alice"], k=3)
    with caplog.at_level(logging.WARNING):
        rows = reasons_generate([r.evidence for r in results], language="en")
    assert {row.verdict for row in rows} == {Reason.Verdict.ERROR}
    assert len([r for r in caplog.records if "connection refused" in r.getMessage()]) == 1
    reasons_attach(results, language="en")
    assert results[0].reason_source == "template" and results[0].reason


def test_an_unknown_generator_is_a_system_check_error_naming_the_valid_ones(settings):
    settings.RECOMMENDATIONS = {**settings.RECOMMENDATIONS, "REASONS": {"GENERATOR": "gpt9"}}
    [error] = check_reasons()
    assert error.id == "recommendations.E012"
    assert "'gpt9'" in error.msg and "endpoint, local, template" in error.msg


# Everywhere: API, widgets, placements and experiments


def test_the_api_returns_reason_source_and_evidence(camp, client):
    assert client.login(username="alice", password="correct-horse-battery")
    url = reverse("recommendations_api:for-you")
    item = client.get(url, {"k": 1}).json()["results"][0]
    assert item["reason"] == "Bought next by 5 shoppers who bought the Summit Dome Tent"
    assert item["reason_source"] == "template"
    assert item["evidence"]["history"][0]["name"] == "Summit Dome Tent"
    assert Evidence.from_dict(item["evidence"]).product.id == item["id"]
    chinese = client.get(url, {"k": 1}, HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"][0]
    assert chinese["reason"] != item["reason"]


def test_a_placement_or_one_variant_can_switch_reasons_off(camp):
    home = Placement.objects.create(name="home", title="For you", default_strategy="popular", k=3)
    assert all(card["reason"] for card in recommendation_cards(placement_serve("home").results))
    home.show_reasons = False
    home.save()
    served = placement_serve("home", shopper="x:someone")
    assert served.show_reasons is False
    experiment = Experiment.objects.create(name="Reasons", placement=home, is_active=True)
    Variant.objects.create(experiment=experiment, name="control", strategy="popular")
    Variant.objects.create(experiment=experiment, name="with", strategy="popular",
                           show_reasons=True)  # fmt: skip
    shown = {placement_serve("home", shopper=f"x:v{i}").show_reasons for i in range(20)}
    assert shown == {True, False}


def test_reasons_evaluate_prints_every_figure(camp, scripted, tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("reasons_evaluate", "--shoppers", "3", "--limit", "5", "--language", "en",
                 "--output", str(tmp_path / "r.json"), stdout=out)  # fmt: skip
    text = out.getvalue()
    for label in ("with a reason", "passed the verifier", "feature-matching",
                  "distinct sentences", "reasons per second"):  # fmt: skip
        assert label in text


@override_settings(LANGUAGE_CODE="en")
def test_the_widget_shows_the_reason_under_each_card(camp, rf):
    from django.contrib.sessions.backends.db import SessionStore
    from django.template import Context, Template

    request = rf.get("/")
    request.user = UserFactory(username="alice")
    request.session = SessionStore()
    html = Template("{% load recommendations %}{% recommended_for_you %}").render(
        Context({"request": request})
    )
    assert "Bought next by 5 shoppers who bought the Summit Dome Tent" in html


def test_prepare_explains_placements_and_active_shoppers_ahead_of_need(camp, scripted):
    Placement.objects.create(name="home", title="Popular", default_strategy="popular", k=2)
    generated = reasons_prepare()
    stored_products = set(Reason.objects.values_list("product_id", flat=True))
    assert generated == Reason.objects.count() > 0
    assert camp["mat"].pk in stored_products
    assert set(Reason.objects.values_list("language", flat=True)) == {"en", "zh-hans"}
    assert reasons_prepare() == 0


def test_a_true_but_empty_sentence_fails_as_vague(camp):
    from recommendations.reasons.verifier import verify
    from recommendations.reasons.vocabulary import catalog_vocabulary, vocabulary_clear

    vocabulary_clear()
    evidence = selectors.recommend("for_you", shopper=camp["alice"], k=1)[0].evidence
    vocabulary = catalog_vocabulary()
    assert verify("This is a great choice.", evidence, language="en",
                  vocabulary=vocabulary).cause == "vague"  # fmt: skip
    assert verify("Goes with the Summit Dome Tent you bought", evidence, language="en",
                  vocabulary=vocabulary).passed  # fmt: skip


def test_a_looping_sentence_fails_as_repetition(camp):
    from recommendations.reasons.verifier import verify
    from recommendations.reasons.vocabulary import catalog_vocabulary, vocabulary_clear

    vocabulary_clear()
    evidence = selectors.recommend("for_you", shopper=camp["alice"], k=1)[0].evidence
    for text in ("Goes with the the Summit Dome Tent you bought",
                 "Goes with the Summit Dome Tent you you bought"):  # fmt: skip
        assert verify(text, evidence, language="en", vocabulary=catalog_vocabulary()).cause == (
            "repetition"
        )
