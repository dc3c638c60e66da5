"""Values read once per request: the widgets of one page ask the same things (the shopper's
privacy choice, their latest searches), and each asking was a query. Outside a request (tasks,
commands) or without `RequestMemoMiddleware`, every call reads afresh."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[Hashable, object] | None] = ContextVar("recommendations_memo", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoised(key: Hashable, read: Callable[[], T]) -> T:
    memo = _memo.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]  # type: ignore[return-value]


def memo_forget(key: Hashable) -> None:
    """After a write in the same request that changes what `key` read."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
