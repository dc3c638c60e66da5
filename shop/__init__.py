"""The demo shop project: settings, URLs, Celery app and the store app."""

from .celery import app as celery_app

__all__ = ["celery_app"]
