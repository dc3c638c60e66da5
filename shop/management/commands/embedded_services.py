"""Start, stop or report the embedded PostgreSQL and Redis of a development machine."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from shop.infra import embedded_postgres, embedded_redis


class Command(BaseCommand):
    help = "Start, stop or show the embedded PostgreSQL and Redis (used when no URL is configured)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action: str, **options):
        pg_dir = Path(settings.DATA_DIR) / "postgres"
        redis_dir = Path(settings.EMBEDDED_REDIS_DIR)
        if action == "start":
            embedded_postgres.server_address(pg_dir)
            embedded_redis.ensure_server(redis_dir)
        elif action == "stop":
            embedded_postgres.stop_server(pg_dir)
            embedded_redis.stop_server(redis_dir)
        pg = "running" if embedded_postgres.is_running(pg_dir) else "stopped"
        redis = "running" if embedded_redis.is_running(redis_dir) else "stopped"
        self.stdout.write(f"PostgreSQL ({pg_dir}): {pg}\nRedis ({redis_dir}): {redis}")
