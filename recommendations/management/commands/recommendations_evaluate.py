"""Leave-last-out evaluation of every strategy, and tuning of the hybrid's weights."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recommendations.collaborative.training import NoInteractions
from recommendations.evaluation.report import evaluation_table
from recommendations.evaluation.service import hybrid_weights_tune, recommendations_evaluate


class Command(BaseCommand):
    help = (
        "Hold out each shopper's last product, train on the rest, rank the whole catalog and "
        "print HR, NDCG, Recall, MRR, coverage and diversity for popular, content, "
        "collaborative and hybrid. --tune first picks the hybrid's weights on a validation split."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--tune", action="store_true")
        parser.add_argument("--output", type=Path, help="Also save the table (.json or .md).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, k, tune, output, no_progress, **options):
        if not 1 <= k <= 100:
            raise CommandError(f"--k must be between 1 and 100, got {k}.")
        weights = None
        try:
            if tune:
                with tqdm(
                    unit="shopper", desc="tuning", disable=no_progress, file=sys.stderr
                ) as bar:
                    weights, ndcg = hybrid_weights_tune(k=k, progress=bar.update)
                self.stdout.write(
                    f"Tuned weights (validation NDCG@{k} {ndcg:.4f}): {json.dumps(weights)}\n"
                    "Put them in RECOMMENDATIONS['HYBRID_WEIGHTS'] to serve them."
                )
            with tqdm(
                unit="shopper", desc="evaluating", disable=no_progress, file=sys.stderr
            ) as bar:
                result = recommendations_evaluate(k=k, weights=weights, progress=bar.update)
        except NoInteractions as exc:
            raise CommandError(f"{exc} Record or import interactions first.") from exc
        table = evaluation_table(result)
        self.stdout.write(table)
        if output:
            payload = json.dumps(result.__dict__, indent=2) if output.suffix == ".json" else table
            try:
                output.write_text(payload + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc}") from exc
            self.stdout.write(f"Saved to {output}.")
