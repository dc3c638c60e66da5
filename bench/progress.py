"""Progress on stderr, so that stdout carries nothing but the result table."""

from __future__ import annotations

import sys
import time

from tqdm import tqdm

_STARTED = time.perf_counter()


def elapsed() -> float:
    return time.perf_counter() - _STARTED


def log(message: str) -> None:
    print(f"[bench {elapsed():5.0f}s] {message}", file=sys.stderr, flush=True)


def bar(total: int, desc: str) -> tqdm:
    return tqdm(total=total, desc=desc, unit="", file=sys.stderr, leave=False)
