"""(Re)embed products in this process, with a progress bar and a throughput report."""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from recommendations.embeddings.transformer import ModelFilesMissing
from recommendations.services import products_embed, products_needing_embedding_ids


class Command(BaseCommand):
    help = (
        "Embed products that are missing, stale or from another model (default), or --all. "
        "Unchanged products are skipped unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Consider every product.")
        parser.add_argument(
            "--force", action="store_true", help="Re-encode even when the text is unchanged."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, all: bool, force: bool, no_progress: bool, **options):
        ids = products_needing_embedding_ids(everything=all or force)
        if not ids:
            self.stdout.write("Nothing to embed: every product is fresh.")
            return
        with tqdm(total=len(ids), unit="product", disable=no_progress, file=sys.stderr) as progress:
            try:
                report = products_embed(ids, force=force, progress=progress.update)
            except ModelFilesMissing as exc:
                raise CommandError(f"Cannot load the embedding model: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Encoded {report.encoded}, unchanged {report.unchanged}, gone {report.missing} "
                f"in {report.seconds:.1f}s: {report.per_second:.1f} products/s "
                f"(model alone {report.encoded / max(report.encode_seconds, 1e-9):.1f}/s)."
            )
        )
