"""The shop's shared cache: Django's Redis cache, failing open.

Rate limits must be counted in one place for every web process, so the cache is the broker's
Redis. Nothing kept in it is needed to answer a request: when Redis is down, a read is a miss and
a write is dropped (with a warning, at most once a minute per process), so an outage costs the
limits for a while, never a page or an order.

``clear()`` removes this cache's keys only (those under ``KEY_PREFIX``): the broker's queues may
live in the same Redis database.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
WARNING_INTERVAL = 60.0
CLEAR_BATCH = 500


def _default(key: Any, default: Any = None, version: Any = None) -> Any:
    return default


def _missing(key: Any, *args: Any, **kwargs: Any) -> None:
    raise ValueError(f"Key {key!r} not found.")  # what incr() does on a miss


def fail_open(method: Callable[..., Any], answer: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, answering `answer(*its arguments)` when Redis can't be reached."""

    @functools.wraps(method)
    def wrapper(self: FailOpenRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as exc:
            self.outage_warn(exc)
            return answer(*args, **kwargs)

    return wrapper


class FailOpenRedisCache(RedisCache):
    _warned_at = float("-inf")

    def outage_warn(self, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARNING_INTERVAL:
            self._warned_at = now
            logger.warning("Cache unavailable, serving without it: %s", exc)

    def _clear_prefix(self) -> bool:
        client = self._cache.get_client(write=True)
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}*", count=CLEAR_BATCH):
            batch.append(key)
            if len(batch) >= CLEAR_BATCH:
                client.delete(*batch)
                batch.clear()
        if batch:
            client.delete(*batch)
        return True

    get = fail_open(RedisCache.get, _default)
    get_many = fail_open(RedisCache.get_many, lambda *a, **k: {})
    has_key = fail_open(RedisCache.has_key, lambda *a, **k: False)
    add = fail_open(RedisCache.add, lambda *a, **k: False)
    set = fail_open(RedisCache.set, lambda *a, **k: None)
    set_many = fail_open(RedisCache.set_many, lambda data, *a, **k: list(data))
    touch = fail_open(RedisCache.touch, lambda *a, **k: False)
    incr = fail_open(RedisCache.incr, _missing)
    delete = fail_open(RedisCache.delete, lambda *a, **k: False)
    delete_many = fail_open(RedisCache.delete_many, lambda *a, **k: None)
    clear = fail_open(_clear_prefix, lambda *a, **k: False)
