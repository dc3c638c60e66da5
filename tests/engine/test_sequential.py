"""The sequence model: it learns the order of behaviour, recommends new products through their
text, serves live from the latest click, and never breaks a page when it cannot."""

import logging
import threading
import time
from datetime import timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone

from recommendations import selectors, services, warmup
from recommendations.models import Interaction, ItemNeighbour, SequentialModel
from recommendations.recommenders import get_recommender
from recommendations.recommenders.dataset import events_from_db
from recommendations.recommenders.sequential import recommender as recommender_code
from recommendations.recommenders.versions import dataset_build, version_train
from tests.engine.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db
Kind = Interaction.Kind
GROUPS = 6
WORDS = [
    "trail tent", "sleeping mat", "camp stove", "head lamp", "rain jacket", "wool socks",
    "gel pack", "water filter", "trek poles", "dry bag", "sun hat", "map case",
    "run shoe", "sport watch", "knee strap", "foam roller", "tee shirt", "cap visor",
    "bike light", "tyre lever", "chain oil", "saddle bag", "lock cable", "pump mini",
]  # fmt: skip
LEARN = {"SEQUENTIAL": {"epochs": 150, "dimensions": 32, "dropout": 0.1, "device": "cpu"}}


@pytest.fixture
def chains(settings):
    """Six groups of four products; in each, twenty shoppers view A, then B, then C, then D,
    always in that order. Co-occurrence sees B, C and D together equally often; only the
    order says that D, not B, comes after C."""
    settings.RECOMMENDATIONS = {**settings.RECOMMENDATIONS, **LEARN}
    groups = []
    for g in range(GROUPS):
        category = CategoryFactory(name=f"Aisle {g}")
        groups.append([ProductFactory(title=WORDS[g * 4 + i], category=category) for i in range(4)])
    services.products_embed([p.pk for group in groups for p in group])
    start = timezone.now() - timedelta(days=10)
    for g, group in enumerate(groups):
        for n in range(20):
            for step, product in enumerate(group):
                at = start + timedelta(hours=g * 30 + n, minutes=step * 5)
                view(f"x:g{g}n{n}", product, at)
    return groups


def view(shopper, product, at=None):
    services.interaction_record(
        shopper=shopper, kind=Kind.VIEW, product_id=product.pk, created_at=at or timezone.now()
    )


def ranked(strategy, shopper, k=10):
    return [r.product.pk for r in selectors.recommend(strategy, shopper=shopper, k=k)]


def test_it_learns_what_comes_next_which_co_occurrence_cannot(chains):
    version_train()
    for g, (a, b, c, d) in enumerate(chains):
        after_c = f"s:after-c-{g}"
        for product in (a, b, c):
            view(after_c, product)
        after_a = f"s:after-a-{g}"
        view(after_a, a)
        assert ranked("sequential", after_c)[0] == d.pk
        assert ranked("sequential", after_a)[0] == b.pk
        order = ranked("sequential", after_c)
        assert order.index(d.pk) < order.index(b.pk)
    # Co-occurrence is symmetric: from C, the neighbours B and D are exactly as close.
    a, b, c, d = chains[0]
    related = dict(
        ItemNeighbour.objects.filter(product=c, kind=ItemNeighbour.Kind.COOCCURRENCE).values_list(
            "neighbour_id", "score"
        )
    )
    assert related[b.pk] == pytest.approx(related[d.pk])


def test_a_product_nobody_touched_is_recommended_next_through_its_text(chains):
    fresh = []
    for group in chains:
        twin = ProductFactory(title=group[3].title, category=group[3].category)
        fresh.append(twin)
    stranger = ProductFactory(title="velvet curtain", category=CategoryFactory(name="Home"))
    services.products_embed([p.pk for p in [*fresh, stranger]])
    version_train()
    for g, group in enumerate(chains):
        shopper = f"s:cold-{g}"
        for product in group[:3]:
            view(shopper, product)
        order = ranked("sequential", shopper, k=50)
        assert fresh[g].pk in order[:3]
        untouched = [pk for pk in order if pk in {p.pk for p in [*fresh, stranger]}]
        assert untouched[0] == fresh[g].pk


def test_the_latest_click_changes_the_next_page_and_for_you_blends_it(chains):
    version_train()
    a, b, c, _ = chains[2]
    shopper = "s:live"
    view(shopper, a)
    assert ranked("sequential", shopper)[0] == b.pk
    view(shopper, b)
    assert ranked("sequential", shopper)[0] == c.pk
    results = selectors.recommend("for_you", shopper=shopper, k=10)
    assert all("sequential" in r.details for r in results)
    assert any(r.details["sequential"] > 0 for r in results)


def test_evaluate_and_export_cover_it_through_the_same_commands(chains, tmp_path):
    out = StringIO()
    call_command("recommendations_evaluate", "--no-progress", stdout=out)
    row = next(line for line in out.getvalue().splitlines() if line.startswith("| sequential"))
    # Held out: each shopper's D, which always follows the A, B, C they kept.
    hit_rate = float(row.split("|")[2])
    assert hit_rate == pytest.approx(1.0)
    version_train()
    output = tmp_path / "next.csv"
    call_command(
        "recommendations_export", "--strategy", "sequential", "--k", "1", "--output", output,
        "--no-progress", stdout=StringIO(),
    )  # fmt: skip
    lines = output.read_text().splitlines()
    # Everyone has seen their whole chain: the next thing is in another aisle, but it exists.
    assert lines[0] == "user,rank,item,score" and len(lines) == 1 + GROUPS * 20


def test_training_is_repeatable_for_a_seed(chains):
    data = dataset_build(list(events_from_db()))
    recommender = get_recommender("sequential")
    first, second = recommender.fit(data), recommender.fit(data)
    assert np.array_equal(first.vectors, second.vectors)
    with override_settings(
        RECOMMENDATIONS={**LEARN, "SEQUENTIAL": {**LEARN["SEQUENTIAL"], "seed": 1}}
    ):
        other = get_recommender("sequential").fit(data)
    assert not np.array_equal(first.vectors, other.vectors)


def test_the_served_model_follows_the_active_version(chains):
    first = version_train()
    recommender = get_recommender("sequential")
    assert recommender.served(first.pk) is recommender.served(first.pk)
    second = version_train()
    assert recommender.served(second.pk) is not None
    assert recommender.served(second.pk) is not recommender.served(first.pk)


def test_a_web_process_loads_the_sequence_model_before_its_first_request(
    chains, caplog, monkeypatch
):
    version = version_train()
    get_recommender("sequential")._loaded = None
    warmup.models_warm_forget(setting="RECOMMENDATIONS")
    fetched = []
    fetch = recommender_code.archive_fetch
    monkeypatch.setattr(
        recommender_code, "archive_fetch", lambda pk: fetched.append(pk) or fetch(pk)
    )
    with caplog.at_level(logging.INFO, logger="recommendations.warmup"):
        warmup.models_warm_up()
    assert fetched == [version.pk]
    assert warmup.models_warm_state()["model_version"] == version.pk
    assert f"model version {version.pk} warm in" in caplog.text
    shopper = "s:first-request"
    for product in chains[0][:2]:
        view(shopper, product)
    results = selectors.recommend("sequential", shopper=shopper, k=3)
    assert results[0].strategy == "sequential"
    assert fetched == [version.pk], "the first request read no archive"


def test_a_database_down_at_warm_up_leaves_the_model_to_the_first_request(
    chains, caplog, monkeypatch
):
    version = version_train()
    get_recommender("sequential")._loaded = None
    warmup.models_warm_forget(setting="RECOMMENDATIONS")

    def down() -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(warmup, "active_version_id", down)
    with caplog.at_level(logging.ERROR, logger="recommendations.warmup"):
        warmup.models_warm_up()
    assert warmup.models_warm_state()["model_version"] is None
    assert "the first request will load it" in caplog.text
    shopper = "s:after-outage"
    for product in chains[0][:2]:
        view(shopper, product)
    assert selectors.recommend("sequential", shopper=shopper, k=3)[0].strategy == "sequential"
    assert get_recommender("sequential").served(version.pk) is not None


@pytest.mark.django_db(transaction=True)
def test_a_warm_process_reads_a_new_version_in_the_background_serving_the_one_before(
    chains, caplog, monkeypatch
):
    """Committed, as in production: the reading thread has a connection of its own."""
    first = version_train()
    recommender = get_recommender("sequential")
    recommender.warm_up(first.pk)
    shopper = "s:while-reading"
    for product in chains[0][:2]:
        view(shopper, product)
    before = ranked("sequential", shopper)
    # The second version learns from shoppers who went the other way: it ranks otherwise.
    start = timezone.now() - timedelta(days=2)
    for n in range(20):
        for step, product in enumerate(reversed(chains[0])):
            view(f"x:back{n}", product, start + timedelta(hours=n, minutes=step * 5))
    second = version_train()
    opened = threading.Event()
    readers = []
    fetch = recommender_code.archive_fetch

    def slow_fetch(pk):
        readers.append(threading.current_thread())
        opened.wait(30)
        return fetch(pk)

    monkeypatch.setattr(recommender_code, "archive_fetch", slow_fetch)
    with caplog.at_level(logging.INFO, logger="recommendations"):
        during = selectors.recommend("sequential", shopper=shopper, k=10)
        assert [r.product.pk for r in during] == before
        assert {r.strategy for r in during} == {"sequential"}
        assert ranked("sequential", shopper) == before, "one thread reads, requests go on"
        opened.set()
        for _ in range(300):
            if recommender._reading is None:
                break
            time.sleep(0.1)
    assert len(readers) == 1 and readers[0] is not threading.current_thread()
    assert f"model version {second.pk} read in" in caplog.text
    after = ranked("sequential", shopper)
    assert after != before
    assert len(readers) == 1


def test_too_few_interactions_train_the_others_and_sequential_answers_as_for_you(caplog):
    product, other = ProductFactory(), ProductFactory()
    services.products_embed([product.pk, other.pk])
    view("x:only", product)
    out = StringIO()
    with caplog.at_level(logging.WARNING):
        call_command("train_recommendations", stdout=out)
    assert "no shopper has acted on two products" in caplog.text
    assert "Not trained, too few interactions: sequential" in out.getvalue()
    assert not SequentialModel.objects.exists()
    assert ranked("sequential", "x:only") == ranked("for_you", "x:only")


def test_an_archive_that_cannot_be_read_leaves_for_you_serving(chains, client, caplog):
    version = version_train()
    SequentialModel.objects.filter(model=version).update(archive=b"not a model")
    get_recommender("sequential")._loaded = None
    shopper = "s:broken"
    for product in chains[0][:2]:
        view(shopper, product)
    with caplog.at_level(logging.WARNING):
        served = ranked("sequential", shopper)
        served_again = ranked("sequential", shopper)
    assert served and served == served_again == ranked("for_you", shopper)
    assert caplog.text.count("cannot be loaded") == 1


@pytest.mark.parametrize(
    "values, message",
    [
        ({"blocks": 0}, "blocks is 0"),
        ({"dropout": -0.1}, "dropout is -0.1"),
        ({"dimensions": 512}, "at most 256"),
        ({"members": 0}, "members is 0"),
        ({"members": 3, "dimensions": 128}, "members × dimensions is 384"),
        ({"dimensions": 30, "heads": 4}, "multiple of heads"),
        ({"device": "tpu"}, "device is 'tpu'"),
        ({"loss_precision": "half"}, "loss_precision is 'half'"),
        ({"epochs": "many"}, "epochs must be an integer"),
        ({"unknown": 1}, "unknown key 'unknown'"),
    ],
)
def test_settings_out_of_range_are_system_check_errors(values, message):
    with override_settings(RECOMMENDATIONS={"SEQUENTIAL": values}):
        errors = [e for e in run_checks() if e.id == "recommendations.E011"]
    assert any(message in e.msg for e in errors), [e.msg for e in errors]
