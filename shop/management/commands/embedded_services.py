"""Start, stop or report the embedded PostgreSQL and Redis of a development machine."""

from django.core.management.base import BaseCommand, CommandError

from shop.demo import demo_stop
from shop.infra.embedded import SERVICES, embedded_dirs, embedded_running, embedded_stop
from shop.infra.embedded_postgres import server_address
from shop.infra.embedded_redis import ensure_server


class Command(BaseCommand):
    help = (
        "Start, stop or show the embedded PostgreSQL and Redis (used when no URL is configured). "
        "`stop` first stops a demo running from this folder: web server, worker and beat. "
        "`running` prints the names of the running services, for `stop --keep`."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status", "running"])
        parser.add_argument(
            "--keep",
            default="",
            help="with stop: services to leave running, as `running` printed them "
            "(e.g. 'postgres redis')",
        )
        parser.add_argument(
            "--services-only",
            action="store_true",
            help="with stop: leave a running demo's web server and worker alone",
        )

    def handle(self, *args, action: str, keep: str, services_only: bool, **options):
        kept = set(keep.split())
        if unknown := kept - set(SERVICES):
            raise CommandError(
                f"--keep takes {' and '.join(SERVICES)}; unknown: {', '.join(sorted(unknown))}"
            )
        if action == "running":
            self.stdout.write(" ".join(sorted(embedded_running())))
            return
        dirs = embedded_dirs()
        if action == "start":
            server_address(dirs["postgres"])
            ensure_server(dirs["redis"])
        elif action == "stop":
            for name in () if services_only else demo_stop():
                self.stdout.write(f"Stopped the demo's {name}.")
            embedded_stop(keep=kept)
        running = embedded_running()
        for name in SERVICES:
            state = "running" if name in running else "stopped"
            self.stdout.write(f"{name} ({dirs[name]}): {state}")
