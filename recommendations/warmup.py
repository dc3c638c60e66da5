"""Loading the models before a web process serves anyone.

Loaded lazily, the text encoder made the first free-text request of every process wait for it
(up to a minute on a small machine), the sequence model the first "for you" (1–2 s at 100,000
products, 4 s before its archive was read in binary), and health checks could not tell such a
process from a ready one. The web server calls `models_warm_up` before it accepts requests
(`models_warm_up_started`, from `docker/gunicorn.conf.py` and `rundemo`); the readiness check
answers from `models_warm_state`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.signals import setting_changed
from django.db import DatabaseError, connections

from .factories import get_encoder
from .recommenders import get_recommender, recommender_names
from .recommenders.versions import active_version_id

logger = logging.getLogger(__name__)

# Encoding one text, not only loading the weights: the first call also sets up the kernels.
WARM_UP_TEXT = "warm-up: waterproof hiking jacket"

_state: dict[str, Any] = {}
_lock = threading.Lock()


def models_warm_up() -> float:
    """Seconds it took; a second call (another thread, a repeated hook) returns at once."""
    with _lock:
        if not _state:
            started = time.perf_counter()
            encoder = get_encoder()
            encoder.encode([WARM_UP_TEXT])
            logger.info("encoder %s warm in %.1f s", encoder.name, time.perf_counter() - started)
            version = _recommenders_warm_up()
            _state.update(
                encoder=encoder.name,
                model_version=version,
                seconds=time.perf_counter() - started,
            )
        return _state["seconds"]


def models_warm_up_started(done: Callable[[], None] | None = None) -> threading.Thread:
    """`models_warm_up` in a thread of its own, so the server starts (or keeps its heartbeat)
    meanwhile; a failure is logged and leaves the process not ready. `done` is called however
    it ends."""

    def warm() -> None:
        try:
            models_warm_up()
        except Exception:
            logger.exception("warm-up failed")
        finally:
            # The thread's own connection: requests open theirs.
            connections.close_all()
            if done is not None:
                done()

    thread = threading.Thread(target=warm, name="models-warm-up", daemon=True)
    thread.start()
    return thread


def _recommenders_warm_up() -> int | None:
    """The active model version, once what its recommenders keep in the process is loaded;
    None before the first training, or when the database cannot be read at start: the first
    request that needs the version then loads it, as without a warm-up."""
    try:
        version = active_version_id()
        started = time.perf_counter()
        for name in recommender_names():
            get_recommender(name).warm_up(version)
    except DatabaseError:
        logger.exception("model version warm-up failed: the first request will load it")
        return None
    if version is not None:
        logger.info("model version %s warm in %.1f s", version, time.perf_counter() - started)
    return version


def models_warm_state() -> dict[str, Any] | None:
    """The encoder's name, the model version and the warm-up seconds once warm in this
    process, else None."""
    return dict(_state) or None


def models_warm_forget(*, setting: str, **kwargs: Any) -> None:
    """Another encoder setting means another encoder, not loaded yet."""
    if setting.startswith("RECOMMENDATIONS"):
        with _lock:
            _state.clear()


setting_changed.connect(models_warm_forget)
