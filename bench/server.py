"""gunicorn serving the bench database on loopback, configured as the production image runs it."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .catalog import BenchError
from .progress import log

PORT = 8110
# As docker/Dockerfile: GUNICORN_WORKERS=2, GUNICORN_THREADS=4.
WORKERS = 2
THREADS = 4
STARTUP_SECONDS = 120
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def gunicorn_running(*, port: int = PORT) -> Iterator[int]:
    """The bench's settings (its URLconf with the floor, DEBUG off) come in through the
    environment that `django_setup` prepared; the server is stopped however the block ends."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        # As the image runs it: each worker loads the models before its first request.
        "--config=docker/gunicorn.conf.py",
        "--access-logfile=/dev/null",
        f"--bind=127.0.0.1:{port}",
        f"--workers={WORKERS}",
        f"--threads={THREADS}",
        "--timeout=120",
        "--log-level=warning",
    ]
    log(f"gunicorn: {WORKERS} workers x {THREADS} threads on 127.0.0.1:{port}")
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
    try:
        server_wait(server, port)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def server_wait(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}: is port {port} taken?")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            connection.request("GET", "/health/ready")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.5)
    raise BenchError(f"gunicorn was not ready on port {port} within {STARTUP_SECONDS} s")
