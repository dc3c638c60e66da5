"""Loading the text encoder before a web process serves anyone.

Loaded lazily, the model made the first free-text request of every process wait for it (up to a
minute on a small machine) and health checks could not tell such a process from a ready one. The
web server calls `encoder_warm_up` before it accepts requests (see `docker/gunicorn.conf.py` and
`rundemo`); the readiness check answers from `encoder_warm_state`.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.signals import setting_changed

from .factories import get_encoder

logger = logging.getLogger(__name__)

# Encoding one text, not only loading the weights: the first call also sets up the kernels.
WARM_UP_TEXT = "warm-up: waterproof hiking jacket"

_state: dict[str, Any] = {}
_lock = threading.Lock()


def encoder_warm_up() -> float:
    """Seconds it took; a second call (another thread, a repeated hook) returns at once."""
    with _lock:
        if not _state:
            started = time.perf_counter()
            encoder = get_encoder()
            encoder.encode([WARM_UP_TEXT])
            _state.update(encoder=encoder.name, seconds=time.perf_counter() - started)
            logger.info("encoder %s warm in %.1f s", _state["encoder"], _state["seconds"])
        return _state["seconds"]


def encoder_warm_state() -> dict[str, Any] | None:
    """The encoder's name and warm-up seconds once warm in this process, else None."""
    return dict(_state) or None


def encoder_warm_forget(*, setting: str, **kwargs: Any) -> None:
    """Another encoder setting means another encoder, not loaded yet."""
    if setting.startswith("RECOMMENDATIONS"):
        with _lock:
            _state.clear()


setting_changed.connect(encoder_warm_forget)
