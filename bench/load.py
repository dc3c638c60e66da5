"""A load generator: threads, each with its own keep-alive connection, for a bounded time.

Written in Python so the bench needs no other tool; it runs on the same cores as the server, so
the highest rates it reports are a lower bound of what the server could do alone.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass

import numpy as np

TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Target:
    """One request: a path and the cookie of the shopper making it."""

    path: str
    cookie: str = ""


@dataclass(frozen=True)
class LoadResult:
    concurrency: int
    requests: int
    seconds: float
    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def load_run(port: int, targets: list[Target], *, concurrency: int, seconds: float) -> LoadResult:
    """Each thread walks `targets` from its own offset, so threads ask for different things."""
    start = threading.Barrier(concurrency + 1)
    timings: list[list[float]] = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    deadline: list[float] = []

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
        start.wait()
        position = index
        while time.perf_counter() < deadline[0]:
            target = targets[position % len(targets)]
            position += concurrency
            started = time.perf_counter()
            try:
                connection.request("GET", target.path, headers={"Cookie": target.cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            timings[index].append(time.perf_counter() - started)
            errors[index] += not ok
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline.append(began + seconds)
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    ms = np.array([t for runs in timings for t in runs]) * 1000
    p50, p99 = np.percentile(ms, [50, 99]) if len(ms) else (0.0, 0.0)
    return LoadResult(
        concurrency=concurrency,
        requests=len(ms),
        seconds=round(elapsed, 2),
        per_second=round(len(ms) / elapsed, 1),
        p50_ms=round(float(p50), 1),
        p99_ms=round(float(p99), 1),
        errors=sum(errors),
    )
