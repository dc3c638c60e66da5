"""Write batch recommendations as `user,rank,item,score` rows."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recommendations.evaluation.export import recommendations_export
from recommendations.evaluation.service import batchable_strategies
from recommendations.recommenders.versions import NoInteractions


def read_users(path: Path) -> list[str]:
    """One user per line; a first line `user` is a header."""
    try:
        lines = [line.strip() for line in path.read_text(encoding="utf-8-sig").splitlines()]
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"Cannot read --users {path}: {exc}") from exc
    users = [line.split(",")[0] for line in lines if line]
    return users[1:] if users[:1] == ["user"] else users


class Command(BaseCommand):
    help = "Export top-k recommendations per shopper (e-mail, CRM), without what they had."

    def add_arguments(self, parser):
        parser.add_argument("--strategy", required=True, help="A strategy that scores in batch.")
        parser.add_argument("--k", type=int, default=10)
        parser.add_argument("--users", type=Path, help="File with one user per line.")
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--include-out-of-stock",
            action="store_true",
            help="Also recommend products with no stock (inactive ones never).",
        )
        parser.add_argument(
            "--refit",
            action="store_true",
            help="Train a fresh model on all interactions instead of using the active version.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self, *args, strategy, k, users, output, include_out_of_stock, refit, no_progress,
        **options,
    ):  # fmt: skip
        able, _ = batchable_strategies()
        if strategy not in able:
            raise CommandError(
                f"Strategy {strategy!r} cannot be exported; valid: {', '.join(able)}."
            )
        if not 1 <= k <= 1000:
            raise CommandError(f"--k must be between 1 and 1000, got {k}.")
        listed = read_users(users) if users else None
        try:
            with output.open("w", newline="", encoding="utf-8") as out, tqdm(
                total=len(listed) if listed is not None else None, unit="shopper",
                disable=no_progress, file=sys.stderr,
            ) as bar:  # fmt: skip
                rows = recommendations_export(
                    strategy=strategy, k=k, output=out, users=listed,
                    include_out_of_stock=include_out_of_stock, refit=refit, progress=bar.update,
                )  # fmt: skip
        except NoInteractions as exc:
            raise CommandError(f"{exc} Nothing to export.") from exc
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc}") from exc
        self.stdout.write(self.style.SUCCESS(f"Wrote {rows} rows to {output}."))
