"""Offline evaluation and batch export on a small, patterned purchase log."""

import csv
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from recommendations import services
from recommendations.evaluation.split import leave_last_out
from recommendations.models import Interaction
from recommendations.privacy import personalisation_set
from recommendations.recommenders.dataset import Event
from recommendations.recommenders.versions import version_train
from tests.engine.factories import ProductFactory

pytestmark = pytest.mark.django_db
NOW = timezone.now()


@pytest.fixture
def log():
    return purchase_log_load()


def purchase_log_load() -> dict:
    """Triples (a_i, b_i, c_i) bought in that order; a third of the shoppers then buy z."""
    z = ProductFactory(title="Gift card", external_id="Z")
    triples = [
        tuple(ProductFactory(external_id=f"{letter}{i}") for letter in "ABC") for i in range(5)
    ]
    rows = []
    for n in range(60):
        products = [*triples[n % 5], z] if n % 3 == 0 else list(triples[n % 5])
        for offset, product in enumerate(products):
            rows.append(
                services.InteractionRow(
                    shopper=f"x:s{n:02d}", kind="purchase", product_id=product.pk,
                    created_at=NOW - timedelta(days=10 - offset, minutes=n),
                )
            )  # fmt: skip
    services.interactions_load(rows)
    return {"z": z, "triples": triples}


def test_leave_last_out_holds_out_every_event_of_the_last_product():
    t = NOW
    events = [
        Event("a", 1, 1.0, t), Event("a", 2, 1.0, t), Event("a", 2, 1.0, t), Event("b", 3, 1.0, t),
    ]  # fmt: skip
    split = leave_last_out(events)
    assert split.held_out == {"a": 2}
    assert [(e.shopper, e.product_id) for e in split.train] == [("a", 1), ("b", 3)]


def test_evaluate_prints_every_strategy_and_behaviour_wins(log, tmp_path):
    out = StringIO()
    call_command(
        "recommendations_evaluate", "--no-progress", "--output", tmp_path / "t.md", stdout=out
    )
    text = out.getvalue()
    rows = {
        line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
        for line in text.splitlines()
        if line.startswith("| ") and not line.startswith("| strategy")
    }
    assert set(rows) == {"popular", "content", "collaborative", "for_you", "sequential"}
    ndcg = {name: float(cells[1]) for name, cells in rows.items()}
    # c_i always comes with a_i and b_i: found first. Every z is someone's last purchase, so
    # training never sees it and nothing may invent it.
    assert ndcg["collaborative"] == pytest.approx(40 / 60, abs=1e-4)
    assert ndcg["popular"] < ndcg["collaborative"]
    assert "Leave-last-out over 60 shoppers" in text
    assert (tmp_path / "t.md").read_text().startswith("Leave-last-out")


def test_tuning_prints_the_settings_it_chose(log):
    out = StringIO()
    call_command("recommendations_evaluate", "--tune", "--no-progress", stdout=out)
    assert "Tuned on the validation split: NDCG@10" in out.getvalue()
    assert '"HYBRID_WEIGHTS"' in out.getvalue() and '"CF_HISTORY_DECAY"' in out.getvalue()


def test_evaluate_without_interactions_is_a_clear_error():
    with pytest.raises(CommandError, match="Record or import interactions first"):
        call_command("recommendations_evaluate", "--no-progress", stdout=StringIO())


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_export_writes_k_rows_per_shopper_without_what_they_had(log, tmp_path):
    version_train()
    output = tmp_path / "recs.csv"
    call_command(
        "recommendations_export", "--strategy", "for_you", "--k", "3", "--output", output,
        "--no-progress", stdout=StringIO(),
    )  # fmt: skip
    rows = read(output)
    assert list(rows[0]) == ["user", "rank", "item", "score"]
    by_user: dict[str, list[str]] = {}
    for row in rows:
        by_user.setdefault(row["user"], []).append(row["item"])
    assert len(by_user) == 60 and all(len(items) == 3 for items in by_user.values())
    had = {}
    for shopper, external in Interaction.objects.values_list("shopper", "product__external_id"):
        had.setdefault(shopper[2:], set()).add(external)
    assert all(not (set(items) & had[user]) for user, items in by_user.items())
    assert [row["rank"] for row in rows[:3]] == ["1", "2", "3"]


def export_listed(tmp_path, *users: str) -> list[dict]:
    """The collaborative list, two products each, for the users named."""
    listed = tmp_path / "users.txt"
    listed.write_text("\n".join(["user", *users]) + "\n")
    output = tmp_path / "recs.csv"
    call_command(
        "recommendations_export", "--strategy", "collaborative", "--k", "2", "--users", listed,
        "--output", output, "--no-progress", stdout=StringIO(),
    )  # fmt: skip
    return read(output)


def test_export_for_listed_users_gives_newcomers_the_popular_list(log, tmp_path):
    version_train()
    rows = export_listed(tmp_path, "s00", "newcomer")
    assert [r["user"] for r in rows] == ["s00", "s00", "newcomer", "newcomer"]
    assert {rows[0]["item"], rows[1]["item"]}.isdisjoint({"Z", "A0", "B0", "C0"})
    assert rows[2]["item"] == "Z"


def test_export_gives_a_shopper_who_switched_personalisation_off_the_popular_list(log, tmp_path):
    version_train()
    personalisation_set("x:s00", enabled=False)
    rows = export_listed(tmp_path, "s00", "newcomer")
    assert [r["item"] for r in rows[:2]] == [r["item"] for r in rows[2:]]
    assert rows[0]["item"] == "Z"


def test_export_rejects_an_unknown_strategy(tmp_path):
    with pytest.raises(CommandError, match="valid: collaborative, content, for_you, popular"):
        call_command(
            "recommendations_export", "--strategy", "bogus", "--output", tmp_path / "x.csv"
        )


def test_export_needs_an_active_version_or_refit(log, tmp_path):
    output = tmp_path / "recs.csv"
    args = ["recommendations_export", "--strategy", "for_you", "--k", "2", "--output", output]
    with pytest.raises(CommandError, match="No trained model version is active yet"):
        call_command(*args, "--no-progress", stdout=StringIO())
    call_command(*args, "--refit", "--no-progress", stdout=StringIO())
    assert len(read(output)) == 60 * 2


def test_export_refuses_a_strategy_that_cannot_score_in_batch(tmp_path):
    output = tmp_path / "x.csv"
    output.write_text("kept\n")
    with pytest.raises(CommandError, match="'similar' cannot be exported; valid: collaborative"):
        call_command("recommendations_export", "--strategy", "similar", "--output", output)
    assert output.read_text() == "kept\n"
