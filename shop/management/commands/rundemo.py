"""One command for the whole demo: database, data, worker and web server."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from recommendations.services import products_needing_embedding_ids
from recommendations.tasks import (
    prepare_reasons,
    products_embedding_enqueue,
    refresh_product_stats,
    shoppers_refresh_enqueue,
    train_model_version,
)
from shop.demo import admin_login_ensure, demo_history_load, worker_start
from shop.store.models import Product


class Command(BaseCommand):
    help = "Migrate, seed demo data when empty, start a Celery worker and serve on 127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        call_command("migrate", interactive=False, verbosity=0)
        if not Product.objects.exists():
            self.stdout.write("Seeding demo data (first run only)...")
            call_command("seed_demo")
            loaded = demo_history_load()
            self.stdout.write(f"Loaded {loaded} demo interactions into the engine.")
        username, password = admin_login_ensure()
        # The worker embeds products first (FIFO), then the shoppers who need those vectors,
        # then learns from behaviour, then writes the reasons of what shoppers will see; beat
        # repeats the last three periodically.
        tasks = products_embedding_enqueue(products_needing_embedding_ids())
        shoppers = shoppers_refresh_enqueue()
        refresh_product_stats.delay()
        train_model_version.delay()
        prepare_reasons.delay()
        log_path = Path(settings.DATA_DIR) / "logs" / "worker.log"
        worker = worker_start(log_path)
        self.stdout.write(
            self.style.SUCCESS(
                f"\nShop:   http://{addrport}/\nAdmin:  http://{addrport}/admin/  "
                f"(user {username}, password {password})\nAPI:    http://{addrport}/api/docs/\n"
                f"Worker: pid {worker.pid}, log {log_path}; queued {tasks} embedding tasks "
                f"and {shoppers} shopper updates, then training.\n"
            )
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)
