"""Progress of a long import: any callable that wraps an iterable, such as tqdm."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from tqdm import tqdm

# Called as progress(rows, desc=..., total=...); yields the same rows.
Progress = Callable[..., Iterable[Any]]


def untracked(rows: Iterable[Any], **kwargs: Any) -> Iterable[Any]:
    return rows


def progress_bar(*, enabled: bool) -> Progress:
    """A tqdm bar on stderr, so that stdout keeps only the report."""
    return partial(tqdm, file=sys.stderr, unit=" rows", unit_scale=True, disable=not enabled)
