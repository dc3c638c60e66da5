"""The embedded PostgreSQL and Redis of this settings' data folder, as a pair: which run, and
stopping them, so that a command stops only what it started."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

from shop.infra import embedded_postgres, embedded_redis

SERVICES = ("postgres", "redis")


def embedded_dirs() -> dict[str, Path]:
    return {
        "postgres": Path(settings.DATA_DIR) / "postgres",
        "redis": Path(settings.EMBEDDED_REDIS_DIR),
    }


def embedded_running() -> set[str]:
    """The embedded services running now (started by anyone)."""
    dirs = embedded_dirs()
    running = set()
    if embedded_postgres.is_running(dirs["postgres"]):
        running.add("postgres")
    if embedded_redis.is_running(dirs["redis"]):
        running.add("redis")
    return running


def embedded_stop(*, keep: Iterable[str] = ()) -> list[str]:
    """Stop the embedded services except `keep`; the names of those that were running."""
    dirs = embedded_dirs()
    keep = set(keep)
    stopped = []
    if "postgres" not in keep and embedded_postgres.stop_server(dirs["postgres"]):
        stopped.append("postgres")
    if "redis" not in keep and embedded_redis.stop_server(dirs["redis"]):
        stopped.append("redis")
    return stopped
