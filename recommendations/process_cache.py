"""Rows requests read again and again and that seldom change, kept in each process until changed.

Each process keeps what it read under a stamp that lives in the shared cache, read once per
request (a product page asks for its placements four times), every cache's stamp in the same
round trip (a "for you" asks for the model version, the privacy choices and the reasons). A
change anywhere writes a new stamp (at once, and again when its transaction commits, so that a
process that read in between reads again), and every process reads afresh on its next request.
When the cache cannot be read nothing is kept from one request to the next; when it is not shared
(a per-process cache), what is kept is read again after PROCESS_CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.db import transaction

from .conf import app_settings
from .request_memo import memo_forget, memoised

T = TypeVar("T")
# Every process cache's stamp key, all read at once; the request keeps them under this key.
_STAMP_KEYS: set[str] = set()
_STAMPS = ("stamps",)


class ProcessCache(Generic[T]):
    """`read(key)` for single rows; `read_many(keys)`, a value for each key, where one query
    answers many keys. With `max_entries` the oldest entries make room for new ones."""

    def __init__(
        self, name: str, read: Callable[[Hashable], T] | None = None, *,
        read_many: Callable[[list[Hashable]], dict[Hashable, T]] | None = None,
        max_entries: int | None = None,
    ) -> None:  # fmt: skip
        self.key = f"recommendations:stamp:{name}"
        _STAMP_KEYS.add(self.key)
        self.read_many = read_many or (lambda keys: {key: read(key) for key in keys})
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._kept: dict[Hashable, tuple[str, float, T]] = {}

    def get(self, key: Hashable) -> T:
        return self.get_many([key])[key]

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, T]:
        stamp = _stamp_of(self.key)
        now = time.monotonic()
        found, missing = {}, []
        for key in dict.fromkeys(keys):
            kept = self._kept.get(key)
            if kept is not None and kept[0] == stamp and now - kept[1] < self._max_age():
                found[key] = kept[2]
            else:
                missing.append(key)
        if missing:
            read = self.read_many(missing)
            with self._lock:
                for key in missing:
                    self._kept.pop(key, None)
                    self._kept[key] = (stamp, now, read[key])
                if self.max_entries is not None:
                    for oldest in list(self._kept)[: len(self._kept) - self.max_entries]:
                        del self._kept[oldest]
            found |= read
        return found

    @staticmethod
    def _max_age() -> float:
        return app_settings.PROCESS_CACHE_SECONDS

    def changed(self, **kwargs) -> None:
        """A receiver for post_save, post_delete and m2m_changed."""
        with self._lock:
            self._kept.clear()
        memo_forget(_STAMPS)
        self._stamp()
        transaction.on_commit(self._stamp)

    def _stamp(self) -> None:
        cache.set(self.key, uuid.uuid4().hex, timeout=None)


def _stamp_of(key: str) -> str:
    stamps = memoised(_STAMPS, _stamps_read)
    if key not in stamps:
        # A cache made after this request read the stamps (its module imported since).
        memo_forget(_STAMPS)
        stamps = memoised(_STAMPS, _stamps_read)
    return stamps[key]


def _stamps_read() -> dict[str, str]:
    """A stamp nobody wrote yet is written now; with the cache down, each read is a new one."""
    keys = sorted(_STAMP_KEYS)
    stamps = cache.get_many(keys)
    fresh = {key: uuid.uuid4().hex for key in keys if key not in stamps}
    if fresh:
        cache.set_many(fresh, timeout=None)
    return stamps | fresh
