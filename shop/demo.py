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
from shop.store.demo.events import demo_events


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


def worker_start(log_path: Path) -> subprocess.Popen:
    """A Celery worker with an embedded beat scheduler: one process suits a demo machine."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    beat_schedule = Path(settings.DATA_DIR) / "celerybeat-schedule"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "shop", "worker", "--beat",
         f"--schedule={beat_schedule}", "--concurrency=1", "--loglevel=info"],
        stdout=log_path.open("a"), stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
    )  # fmt: skip
