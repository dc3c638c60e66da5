"""Run a real Celery worker process against the test database and the test broker, under the
settings of the half that runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

from shop.celery import app

ROOT = Path(__file__).resolve().parent.parent


class WorkerProcess:
    def __init__(
        self, tmp_path: Path, *, extra_env: dict[str, str] | None = None, purge: bool = True
    ) -> None:
        """`purge=False` keeps queued and unacknowledged tasks, as a restarted worker would."""
        self.tmp_path = tmp_path
        self.purge = purge
        self.log_path = tmp_path / "worker.log"
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE,
            TEST_WORKER_DB_NAME=connection.settings_dict["NAME"],
            TEST_CELERY_BROKER_URL=settings.CELERY_BROKER_URL,
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            DJANGO_EMAIL_FILE_PATH=str(self.tmp_path / "mail"),
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    def start(self) -> WorkerProcess:
        if self.purge:
            app.control.purge()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "shop", "worker", "--pool=solo",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=ROOT, env=self.env(), stdout=self.log_path.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self

    def stop(self, *, kill: bool = False) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        self.process.wait(timeout=30)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_for(self, condition: Callable[[], bool], *, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"worker exited early:\n{self.log()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"condition not met in {timeout}s; worker log:\n{self.log()}")
            time.sleep(0.2)

    def __enter__(self) -> WorkerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
