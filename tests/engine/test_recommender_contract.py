"""The recommender contract: adding one is a module and a settings entry; bad settings are named."""

from io import StringIO

import numpy as np
import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings

from recommendations import selectors
from recommendations.evaluation.service import for_you_tune, recommendations_evaluate
from recommendations.recommenders import Allowed, Batch, Recommender, Shopper
from recommendations.recommenders.dataset import InteractionData
from recommendations.recommenders.versions import version_train
from tests.engine.test_evaluation import purchase_log_load
from tests.engine.testapp.models import Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def log():
    return purchase_log_load()


def newness(pk: int, newest: int) -> float:
    return 1.0 / (newest - pk + 1)


class NewestRecommender(Recommender):
    """The newest product first, then halving: a model nobody would ship, with a visible effect."""

    personal = False
    learned = False

    def fit(self, data: InteractionData) -> np.ndarray:
        return np.array([newness(pk, data.product_ids.max()) for pk in data.product_ids])

    def propose(self, shopper: Shopper, allowed: Allowed, *, n: int) -> dict[int, float]:
        rows = allowed.rows(
            ("newest", n), lambda products, slots: products.order_by("-pk").values_list("pk")[:n]
        )
        return self.score(shopper, [pk for (pk,) in rows])

    def score(self, shopper: Shopper, ids: list[int]) -> dict[int, float]:
        newest = Product.objects.order_by("-pk").values_list("pk", flat=True).first()
        return {pk: newness(pk, newest) for pk in ids}

    def score_batch(self, artifact: np.ndarray, batch: Batch) -> np.ndarray:
        return np.broadcast_to(artifact, (len(batch.rows), len(artifact))).copy()


NEWEST = {
    "RECOMMENDERS": {"newest": "tests.engine.test_recommender_contract.NewestRecommender"},
    "HYBRID_WEIGHTS": {"newest": 5.0},
}


def test_a_new_recommender_is_served_evaluated_and_exported_from_settings_alone(log, tmp_path):
    version_train()
    shopper = "x:s01"
    before = [r.product.pk for r in selectors.recommend("for_you", shopper=shopper, k=3)]
    with override_settings(RECOMMENDATIONS=NEWEST):
        served = selectors.recommend("for_you", shopper=shopper, k=3)
        assert "newest" in served[0].details
        assert [r.product.pk for r in served] != before
        newest = max(p.pk for triple in log["triples"] for p in triple)
        assert newest in [r.product.pk for r in served]
        table = recommendations_evaluate(k=10).table
        assert "for_you" in table
        output = tmp_path / "recs.csv"
        call_command(
            "recommendations_export", "--strategy", "for_you", "--k", "1", "--output", output,
            "--no-progress", stdout=StringIO(),
        )  # fmt: skip
        assert output.read_text().count("\n") == 61


def errors_of(ids):
    return [e for e in run_checks() if e.id in ids]


def test_unknown_recommenders_and_strategies_are_system_check_errors_naming_the_valid_ones():
    bad = {
        "RECOMMENDERS": {"bogus": "nowhere.Missing"},
        "STRATEGIES": {"odd": "recommendations.conf.DEFAULTS"},
        "HYBRID_WEIGHTS": {"unheard_of": 1.0},
    }
    with override_settings(RECOMMENDATIONS=bad):
        errors = errors_of({"recommendations.E007", "recommendations.E008", "recommendations.E009"})
    messages = {e.id: f"{e.msg} {e.hint}" for e in errors}
    assert "'bogus'" in messages["recommendations.E008"]
    assert "neighbours" in messages["recommendations.E008"]
    assert "'odd'" in messages["recommendations.E009"]
    assert "unheard_of" in messages["recommendations.E007"]
    assert "content, neighbours, factors, popularity" in messages["recommendations.E007"]


def test_a_strategy_missing_its_recommender_is_a_system_check_error():
    with override_settings(RECOMMENDATIONS={"RECOMMENDERS": {"factors": None}}):
        errors = errors_of({"recommendations.E010"})
    assert errors and "'collaborative'" in errors[0].msg and "factors" in errors[0].msg


def test_evaluation_names_the_strategies_that_cannot_score_in_batch(log):
    result = recommendations_evaluate(k=10)
    assert {"similar", "search", "fbt", "trending", "recently_viewed"} <= set(result.skipped)
    assert set(result.table) == {"collaborative", "content", "for_you", "popular", "sequential"}


def test_tuning_improves_the_validation_score_over_poor_settings(log):
    poor = {"HYBRID_WEIGHTS": {"content": 0, "neighbours": 0.01, "factors": 0, "popularity": 1}}
    with override_settings(RECOMMENDATIONS=poor):
        lines = []
        tuned = for_you_tune(k=10, report=lines.append)
    assert tuned.score > tuned.baseline
    assert len(lines) > 10 and all(line.startswith("NDCG@10 ") for line in lines)
