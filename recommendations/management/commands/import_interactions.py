"""Load past interactions (views, carts, purchases, ratings) from a file, all rows or none."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.imports import ImportFailed, interactions_import, progress_bar


class Command(BaseCommand):
    help = (
        "Load interactions from a CSV or JSON Lines file with columns user, item (a product's "
        "external_id), timestamp (ISO 8601 or Unix seconds), event (view, click, cart, "
        "purchase, rating) and value (a rating's 1-5). Every row is checked first; if any is "
        "wrong nothing is saved. Loading a file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format", dest="file_format", choices=["csv", "jsonl"], help="Default: by extension."
        )
        parser.add_argument(
            "--no-refresh",
            action="store_true",
            help="Do not queue shopper vector updates after loading.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, file_format, no_refresh, no_progress, **options):
        try:
            report = interactions_import(
                file,
                file_format=file_format,
                refresh=not no_refresh,
                progress=progress_bar(enabled=not no_progress),
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
