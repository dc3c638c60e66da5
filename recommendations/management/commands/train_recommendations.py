"""Train the collaborative model and refresh product statistics now, in this process."""

from django.core.management.base import BaseCommand, CommandError

from recommendations.collaborative.training import NoInteractions, collaborative_model_train
from recommendations.services import product_stats_refresh


class Command(BaseCommand):
    help = "Refresh popularity/trending and train (and activate) a new collaborative model."

    def handle(self, *args, **options):
        rows = product_stats_refresh()
        self.stdout.write(f"Product statistics: {rows} products with recent interactions.")
        try:
            model = collaborative_model_train()
        except NoInteractions as exc:
            raise CommandError(
                f"{exc} Content-based recommendations keep serving; record or import "
                "interactions (manage.py import_interactions) and train again."
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Model #{model.pk} active: {model.interactions} interactions, {model.shoppers} "
                f"shoppers, {model.products} products, trained in {model.train_seconds:.1f}s."
            )
        )
