"""The two passes of an import: check every row, then hand the clean rows to a writer.

Checking first means a file with one bad row writes nothing, and the user gets every problem at
once instead of one per attempt. The file is read twice rather than kept in memory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, TypeVar

from .errors import ImportFailed, RowErrors, RowInvalid
from .readers import Row

T = TypeVar("T")
# (line, cleaned row or None, its problems)
Parsed = tuple[int, T | None, list[str]]
# (column, value): a value that only one row of a file may have, such as an external id.
Key = tuple[str, Any]


def rows_parse(rows: Iterable[Row], parse: Callable[[dict[str, Any]], T]) -> Iterator[Parsed[T]]:
    """Each row cleaned by `parse` (which raises RowInvalid), or the reasons it is not valid."""
    for row in rows:
        if row.error:
            yield row.line, None, [row.error]
            continue
        try:
            yield row.line, parse(row.values), []
        except RowInvalid as exc:
            yield row.line, None, exc.messages


def rows_verify(
    rows: Iterable[Parsed[T]],
    verify: Callable[[list[T]], list[list[str]]],
    *,
    batch_size: int = 1000,
) -> Iterator[Parsed[T]]:
    """The rows, each clean one also checked by `verify` against what is stored.

    `verify` takes a batch of clean rows and returns each one's problems, so that it asks the
    database once a batch rather than once a row.
    """
    rows = iter(rows)
    while batch := list(islice(rows, batch_size)):
        found = iter(verify([cleaned for _, cleaned, _ in batch if cleaned is not None]))
        for line, cleaned, problems in batch:
            extra = next(found) if cleaned is not None else []
            yield (line, None, extra) if extra else (line, cleaned, problems)


class UniqueKeys:
    """The keys the rows of a file claim, each with the line of the first row that claims it.

    Kept after the check, so that a writer can tell which values the file will use.
    """

    def __init__(self, keys: Callable[[Any], Iterable[Key]]) -> None:
        self.keys = keys
        self.lines: dict[Key, int] = {}

    def claim(self, line: int, row: Any) -> list[str]:
        """The problems of `row`: each key an earlier row already claimed."""
        problems = []
        for key in self.keys(row):
            first = self.lines.setdefault(key, line)
            if first != line:
                column, value = key
                problems.append(f"{column} “{value}” repeats line {first}.")
        return problems


def rows_check(rows: Iterable[Parsed[T]], *, unique: UniqueKeys | None = None) -> int:
    """Count the rows; raises ImportFailed if any is invalid or repeats a key of `unique`."""
    errors = RowErrors()
    count = 0
    for line, cleaned, problems in rows:
        count += 1
        if cleaned is not None and unique is not None:
            problems = unique.claim(line, cleaned)
        if problems:
            errors.add(line, problems)
    if errors:
        raise errors.failure()
    return count


def rows_valid(rows: Iterable[Parsed[T]]) -> Iterator[T]:
    """The rows of a checked file; a problem now means the file changed since the check."""
    for line, cleaned, problems in rows:
        if cleaned is None:
            raise ImportFailed.at(line, *problems)
        yield cleaned
