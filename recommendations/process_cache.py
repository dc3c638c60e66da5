"""Rows every request reads and an admin seldom changes, kept in each process until changed.

Each process keeps what it read under a stamp that lives in the shared cache. A change anywhere
writes a new stamp (at once, and again when its transaction commits, so that a process that read
in between reads again), and every process reads afresh on its next request. When the cache
cannot be read nothing is kept; when it is not shared (a per-process cache), what is kept is read
again after PROCESS_CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

from .conf import app_settings

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(self, name: str, read: Callable[[Hashable], T]) -> None:
        self.key = f"recommendations:stamp:{name}"
        self.read = read
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[str, float, T]] = {}

    def get(self, key: Hashable) -> T:
        stamp = cache.get(self.key)
        if stamp is None:
            stamp = uuid.uuid4().hex
            cache.set(self.key, stamp, timeout=None)
        now = time.monotonic()
        kept = self._kept.get(key)
        if kept is not None and kept[0] == stamp and now - kept[1] < self._max_age():
            return kept[2]
        value = self.read(key)
        with self._lock:
            self._kept[key] = (stamp, now, value)
        return value

    @staticmethod
    def _max_age() -> float:
        return app_settings.PROCESS_CACHE_SECONDS

    def changed(self, **kwargs) -> None:
        """A receiver for post_save, post_delete and m2m_changed."""
        with self._lock:
            self._kept.clear()
        self._stamp()
        transaction.on_commit(self._stamp)

    def _stamp(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)
