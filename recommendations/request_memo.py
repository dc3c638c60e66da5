"""What one request shares: values read once (the widgets of a page ask the same things, the
shopper's privacy choice, their latest searches, and each asking was a query) and writes
gathered for after the response (impressions, one statement per page). Outside a request (tasks,
commands) or without `RequestMemoMiddleware`, every call reads afresh and writes at once."""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import DatabaseError

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass
class RequestScope:
    memo: dict[Hashable, Any] = field(default_factory=dict)
    # Per key: the rows gathered and the function that writes them.
    deferred: dict[Hashable, tuple[list, Callable[[list], None]]] = field(default_factory=dict)

    def flush(self) -> None:
        """Writes what was gathered; after the response is sent, so a failure is logged: the
        page was right, only its statistics lose these rows."""
        deferred, self.deferred = self.deferred, {}
        for key, (rows, write) in deferred.items():
            try:
                write(rows)
            except DatabaseError:
                logger.warning("Deferred %s not written", key, exc_info=True)


_scope: ContextVar[RequestScope | None] = ContextVar("recommendations_request", default=None)


@contextmanager
def request_scope() -> Iterator[RequestScope]:
    scope = RequestScope()
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


def memoised(key: Hashable, read: Callable[[], T]) -> T:
    scope = _scope.get()
    if scope is None:
        return read()
    if key not in scope.memo:
        scope.memo[key] = read()
    return scope.memo[key]


def in_request() -> bool:
    return _scope.get() is not None


def memo_put(key: Hashable, value: Any) -> None:
    """What the request already holds, so that `memoised` does not read it again."""
    scope = _scope.get()
    if scope is not None:
        scope.memo[key] = value


def memo_get(key: Hashable, default: Any = None) -> Any:
    scope = _scope.get()
    return default if scope is None else scope.memo.get(key, default)


def memo_forget(key: Hashable) -> None:
    """After a write in the same request that changes what `key` read."""
    scope = _scope.get()
    if scope is not None:
        scope.memo.pop(key, None)


def write_deferred(key: Hashable, rows: list, write: Callable[[list], None]) -> None:
    """`write(rows)` now, or, in a request, once its response is sent, together with the rows
    other calls gathered under `key` (one statement for them all)."""
    scope = _scope.get()
    if scope is None:
        write(rows)
        return
    scope.deferred.setdefault(key, ([], write))[0].extend(rows)
