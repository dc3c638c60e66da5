"""The two passes of an import: check every row, then hand the clean rows to a writer.

Checking first means a file with one bad row writes nothing, and the user gets every problem at
once instead of one per attempt. The file is read twice rather than kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from .errors import ImportFailed, RowErrors, RowInvalid
from .readers import Row

T = TypeVar("T")
# (line, cleaned row or None, problem)
Parsed = tuple[int, T | None, str]


def rows_parse(rows: Iterable[Row], parse: Callable[[dict[str, Any]], T]) -> Iterator[Parsed[T]]:
    """Each row cleaned by `parse` (which raises RowInvalid), or the reason it is not valid."""
    for row in rows:
        if row.error:
            yield row.line, None, row.error
            continue
        try:
            yield row.line, parse(row.values), ""
        except RowInvalid as exc:
            yield row.line, None, str(exc)


def rows_check(rows: Iterable[Parsed[T]], *, unique_by: str | None = None) -> int:
    """Count the rows; raises ImportFailed if any is invalid or repeats the `unique_by` value."""
    errors = RowErrors()
    seen: dict[Any, int] = {}
    count = 0
    for line, cleaned, problem in rows:
        count += 1
        if cleaned is None:
            errors.add(line, problem)
        elif unique_by is not None:
            value = getattr(cleaned, unique_by)
            first = seen.setdefault(value, line)
            if first != line:
                errors.add(line, f"{unique_by} “{value}” repeats line {first}.")
    if errors:
        raise ImportFailed(str(errors))
    return count


def rows_valid(rows: Iterable[Parsed[T]]) -> Iterator[T]:
    """The rows of a checked file; a problem now means the file changed since the check."""
    for line, cleaned, problem in rows:
        if cleaned is None:
            raise ImportFailed.at(line, problem)
        yield cleaned
