"""One command for the whole demo: database, data, worker and web server; Ctrl-C ends it all."""

import os
import signal
import subprocess
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
from recommendations.warmup import models_warm_up_started
from shop.demo import (
    WEB_PID_FILE,
    admin_login_ensure,
    demo_history_load,
    run_dir,
    worker_start,
    worker_stop,
)
from shop.infra.embedded import embedded_running, embedded_stop
from shop.infra.embedded_redis import ensure_configured
from shop.infra.processes import parent_death_signal, pid_file_write
from shop.store.demo import demo_experiment_ensure
from shop.store.models import Product


def stop_on_signal(signum: int, frame) -> None:
    """SIGTERM (`make stop`, a killed `make`) and SIGHUP (a closed terminal) end the demo as
    Ctrl-C does: through the cleanup in `handle`."""
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = (
        "Migrate, seed demo data when empty, start a Celery worker (with beat) and serve on "
        "127.0.0.1:8000. Ctrl-C or SIGTERM stops the worker and the embedded services it started."
    )
    # The checks connect to the database: the command first notes which embedded services ran
    # before it, so that it stops only those it started. `migrate` runs the checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        running_before = embedded_running()
        parent_death_signal()
        # Ctrl-C even where the shell started the command with SIGINT ignored (in background).
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, stop_on_signal)
        pid_file = run_dir() / WEB_PID_FILE
        pid_file_write(pid_file, os.getpid())
        worker = None
        try:
            worker = self.prepare_and_start_worker(addrport)
            # The models load while the server starts: a first request waits for that load
            # instead of starting its own, and /health/ready says when it is done.
            models_warm_up_started()
            call_command("runserver", addrport, use_reloader=False)
        finally:
            # A second Ctrl-C must not cut the cleanup short; it is bounded by timeouts.
            for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
                signal.signal(signum, signal.SIG_IGN)
            self.stdout.write("\nStopping the demo...")
            if worker is not None:
                worker_stop(worker)
            pid_file.unlink(missing_ok=True)
            stopped = embedded_stop(keep=running_before)
            self.stdout.write(f"Stopped: {', '.join(['web server', 'worker', *stopped])}.")

    def prepare_and_start_worker(self, addrport: str) -> subprocess.Popen:
        # Seeding queues tasks and writes through the shared cache: their Redis comes first.
        ensure_configured()
        call_command("migrate", interactive=False, verbosity=0)
        if not Product.objects.exists():
            self.stdout.write("Seeding demo data (first run only)...")
            call_command("seed_demo")
            loaded = demo_history_load()
            self.stdout.write(f"Loaded {loaded} demo interactions into the engine.")
        experiment = demo_experiment_ensure()
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
        experiment_line = (
            f"A/B:    http://{addrport}/admin/recommendations/experiment/{experiment.pk}/dashboard/\n"
            if experiment
            else ""
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nShop:   http://{addrport}/\nAdmin:  http://{addrport}/admin/  "
                f"(user {username}, password {password})\nAPI:    http://{addrport}/api/docs/\n"
                f"{experiment_line}"
                f"Worker: pid {worker.pid}, log {log_path}; queued {tasks} embedding tasks "
                f"and {shoppers} shopper updates, then training.\n"
                "Stop:   Ctrl-C here, or `make stop` from another terminal.\n"
            )
        )
        return worker
