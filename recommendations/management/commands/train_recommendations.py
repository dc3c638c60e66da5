"""Refresh product statistics and train a new model version now, in this process."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.recommenders.versions import NoInteractions, version_train
from recommendations.services import product_stats_refresh


class Command(BaseCommand):
    help = "Refresh trending and train (and activate) a new version of every recommender."

    def handle(self, *args, **options):
        rows = product_stats_refresh()
        self.stdout.write(f"Product statistics: {rows} products with recent interactions.")
        try:
            model = version_train()
        except NoInteractions as exc:
            raise CommandError(
                f"{exc} Content-based recommendations keep serving; record or import "
                "interactions (manage.py import_interactions) and train again."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Model version #{model.pk} active: {model.interactions} interactions, "
                f"{model.shoppers} shoppers, {model.products} products, trained in "
                f"{model.train_seconds:.1f}s."
            )
        )
        if model.params.get("untrained"):
            self.stdout.write(
                self.style.WARNING(
                    f"Not trained, too few interactions: {', '.join(model.params['untrained'])}. "
                    "The other recommenders serve; train again when more is recorded."
                )
            )
