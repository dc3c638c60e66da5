"""What `manage.py rundemo` does besides serving: history for the engine, an admin login and a
background worker."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from recommendations.services import InteractionRow, interactions_load
from recommendations.shoppers import user_key
from shop.infra.processes import child_start, pid_file_stop, pid_file_write, process_stop
from shop.store.demo.events import demo_events

WEB_PID_FILE = "web.pid"
WORKER_PID_FILE = "worker.pid"


def demo_history_rows(**sizes) -> Iterator[InteractionRow]:
    """The demo shoppers' behaviour as the engine records it from live signals."""
    for event in demo_events(**sizes):
        yield InteractionRow(
            shopper=user_key(event["user"].pk),
            kind=event["kind"],
            created_at=event["timestamp"],
            product_id=event.get("product_id"),
            text=event.get("query") or event.get("text") or "",
            value=float(event["rating"]) if "rating" in event else None,
        )


def demo_history_load(**sizes) -> int:
    """Load the demo behaviour into the engine; loading twice adds nothing."""
    return interactions_load(demo_history_rows(**sizes))


def admin_login_ensure(username: str = "admin") -> tuple[str, str]:
    """Create the demo superuser once; its password is kept in the data folder to print again."""
    password_file = Path(settings.DATA_DIR) / "admin-password"
    User = get_user_model()
    if password_file.exists() and User.objects.filter(username=username).exists():
        return username, password_file.read_text().strip()
    password = secrets.token_urlsafe(12)
    user, _ = User.objects.get_or_create(username=username, defaults={"email": "admin@example.com"})
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    password_file.parent.mkdir(parents=True, exist_ok=True)
    password_file.write_text(password)
    password_file.chmod(0o600)
    return username, password


def run_dir() -> Path:
    """Where a running demo leaves its pid files, for `manage.py embedded_services stop`."""
    return Path(settings.DATA_DIR) / "run"


def worker_start(log_path: Path) -> subprocess.Popen:
    """A Celery worker with an embedded beat scheduler (one process group suits a demo
    machine); it stops when this process ends, however that happens."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    beat_schedule = Path(settings.DATA_DIR) / "celerybeat-schedule"
    worker = child_start(
        [sys.executable, "-m", "celery", "-A", "shop", "worker", "--beat",
         f"--schedule={beat_schedule}", "--concurrency=1", "--loglevel=info"],
        stdout=log_path.open("a"), cwd=settings.BASE_DIR,
    )  # fmt: skip
    pid_file_write(run_dir() / WORKER_PID_FILE, worker.pid)
    return worker


def worker_stop(worker: subprocess.Popen) -> None:
    """The worker, its pool and its beat: a warm shutdown, forced after a while."""
    process_stop(worker.pid, group=True)
    (run_dir() / WORKER_PID_FILE).unlink(missing_ok=True)


def demo_stop() -> list[str]:
    """Stop a demo started in another terminal (or orphaned by a killed `make`): its web server,
    which stops its worker and the services it started, then whatever is left of them."""
    stopped = []
    if pid_file_stop(run_dir() / WEB_PID_FILE, timeout=60):
        stopped.append("web server")
    if pid_file_stop(run_dir() / WORKER_PID_FILE, group=True):
        stopped.append("worker and beat")
    return stopped
