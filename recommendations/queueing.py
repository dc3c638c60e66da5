"""Queueing a task from a request: after the commit, and never what decides the response.

Whatever a task would do is already recorded in the database when it is queued (an interaction, a
stale flag, a pending e-mail), and a periodic sweeper finds what no task took care of. So a broker
that is down is logged and swallowed: the request still succeeds, and the sweeper catches up once
the broker is back.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import KombuError

logger = logging.getLogger(__name__)

# What publishing raises when the broker cannot be reached: kombu wraps connection errors in
# OperationalError (a KombuError); a refused or missing socket may surface as an OSError.
BROKER_ERRORS = (KombuError, OSError)


def enqueue(task: Task, *args: Any, countdown: float | None = None, **kwargs: Any) -> None:
    """Queue ``task(*args, **kwargs)`` once the current transaction commits (at once outside one),
    so a worker never looks for rows that were rolled back."""
    transaction.on_commit(partial(_publish, task, args, kwargs, countdown))


def _publish(task: Task, args: tuple, kwargs: dict, countdown: float | None) -> None:
    try:
        task.apply_async(args, kwargs, countdown=countdown)
    except BROKER_ERRORS:
        logger.warning("Could not queue %s; its sweeper will catch up", task.name, exc_info=True)
