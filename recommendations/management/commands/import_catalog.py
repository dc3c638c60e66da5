"""Import or update products from a CSV or JSON Lines file, all rows or none."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.imports import ImportFailed, catalog_import, progress_bar


class Command(BaseCommand):
    help = (
        "Create or update products by external_id from a CSV or JSON Lines file. Columns: "
        "external_id, title (required), description, category (a path like 'Beauty > Makeup'), "
        "brand, price, currency, stock, attributes (a JSON object), and any the product adapter "
        "adds; the adapter may also name rows without an external_id. Every row is checked "
        "first; if any is wrong nothing is saved. Changed products are queued for embedding."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--format", dest="file_format", choices=["csv", "jsonl"], help="Default: by extension."
        )
        parser.add_argument(
            "--default-category",
            default="Uncategorised",
            help="Category of new products whose row has none (default: %(default)s).",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, file, file_format, default_category, no_progress, **options):
        try:
            report = catalog_import(
                file,
                file_format=file_format,
                default_category=default_category,
                progress=progress_bar(enabled=not no_progress),
            )
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(report.summary()))
