"""`manage.py seed_demo`: the deterministic demo catalog, shoppers, orders and reviews."""

from django.core.management.base import BaseCommand, CommandError

from shop.store.demo import SeedOptionsError, demo_experiment_ensure, seed_demo
from shop.store.demo.service import DEFAULT_PRODUCTS, DEFAULT_SEED, DEFAULT_USERS
from shop.store.demo.shoppers import HISTORY_DAYS, HISTORY_END
from shop.store.demo.writes import SHOPPER_PASSWORD


class Command(BaseCommand):
    help = (
        "Fill the store with a deterministic demo catalog and synthetic shoppers (shopper0001...) "
        f"who shopped over the {HISTORY_DAYS} days before {HISTORY_END:%Y-%m-%d}; they sign in "
        f"with password {SHOPPER_PASSWORD!r}. "
        "Also an A/B experiment on the home page with simulated traffic (shoppers sim:...). "
        "Safe to run again: existing rows are matched by slug, external id and username."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products", type=int, default=DEFAULT_PRODUCTS, help="at least 1 (%(default)s)"
        )
        parser.add_argument(
            "--users", type=int, default=DEFAULT_USERS, help="shoppers, 0 or more (%(default)s)"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="same seed, same data (%(default)s)"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bars")

    def handle(self, *args, products: int, users: int, seed: int, no_progress: bool, **options):
        try:
            report = seed_demo(products=products, users=users, seed=seed, progress=not no_progress)
        except SeedOptionsError as error:
            raise CommandError(error) from error
        self.stdout.write(self.style.SUCCESS(f"Demo data: {report}"))
        experiment = demo_experiment_ensure()
        if experiment is not None:
            self.stdout.write(f"A/B experiment on the home page: {experiment.name}.")
