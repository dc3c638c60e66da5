"""Leave-last-out evaluation of every strategy, and tuning of the hybrid's weights."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recommendations.conf import app_settings
from recommendations.evaluation.report import evaluation_table
from recommendations.evaluation.service import for_you_tune, recommendations_evaluate
from recommendations.recommenders.versions import NoInteractions


class Command(BaseCommand):
    help = (
        "Hold out each shopper's last product, train on the rest, rank the whole catalog and "
        "print HR, NDCG, Recall, MRR, coverage and diversity for every configured strategy that "
        "can score in batch. --tune first picks the for-you weights, history decay and "
        "neighbours per product on a validation split."
    )

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--tune", action="store_true")
        parser.add_argument("--output", type=Path, help="Also save the table (.json or .md).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, k, tune, output, no_progress, **options):
        if not 1 <= k <= 100:
            raise CommandError(f"--k must be between 1 and 100, got {k}.")
        tuned = {}
        try:
            if tune:
                report = None if no_progress else self._progress_line
                found = for_you_tune(k=k, report=report)
                tuned = found.settings
                self.stdout.write(
                    f"Tuned on the validation split: NDCG@{k} {found.score:.4f} "
                    f"(current settings {found.baseline:.4f}). To serve them, set in "
                    f"RECOMMENDATIONS: {json.dumps(tuned)}"
                )
            with (
                app_settings.overridden(**tuned),
                tqdm(
                    unit="shopper", desc="evaluating", disable=no_progress, file=sys.stderr,
                    mininterval=5,
                ) as bar,
            ):  # fmt: skip
                result = recommendations_evaluate(k=k, progress=bar.update)
        except NoInteractions as exc:
            raise CommandError(f"{exc} Record or import interactions first.") from exc
        for name in result.skipped:
            self.stdout.write(f"Skipped {name}: it cannot score in batch.")
        table = evaluation_table(result)
        self.stdout.write(table)
        if output:
            payload = json.dumps(result.__dict__, indent=2) if output.suffix == ".json" else table
            try:
                output.write_text(payload + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Cannot write {output}: {exc}") from exc
            self.stdout.write(f"Saved to {output}.")

    def _progress_line(self, line: str) -> None:
        """A line per grid point, flushed, so a redirected run shows where it is."""
        self.stderr.write(f"tuning: {line}")
        self.stderr.flush()
