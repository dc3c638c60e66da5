"""Problems found in an import file, and the report of an import that was saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby

# Lines with problems beyond this many are summed up as a count: the first ones show what to fix.
SHOWN_ERRORS = 50


@dataclass(frozen=True)
class RowError:
    """One problem; `line` is the file's line the row starts on, the header (if any) being 1."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


class RowInvalid(ValueError):
    """A row that cannot be imported; carries every reason, so one pass reports them all."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class RowErrors:
    """Collects the problems of a whole file while keeping only the first few lines in memory."""

    def __init__(self) -> None:
        self.shown: list[RowError] = []
        self.lines = 0

    def __bool__(self) -> bool:
        return self.lines > 0

    def add(self, line: int, messages: Sequence[str]) -> None:
        """Every problem of one row, so that a row counts once however many it has."""
        self.lines += 1
        if self.lines <= SHOWN_ERRORS:
            self.shown += [RowError(line, message) for message in messages]

    @property
    def hidden(self) -> int:
        """Lines with problems that are counted but not shown."""
        return max(self.lines - SHOWN_ERRORS, 0)

    def failure(self) -> ImportFailed:
        return ImportFailed(str(self), errors=self.shown, lines=self.lines, hidden=self.hidden)

    def __str__(self) -> str:
        text = [f"Nothing imported: {self.lines} error(s) in the file."]
        for line, errors in groupby(self.shown, key=lambda error: error.line):
            text.append(str(RowError(line, "; ".join(error.message for error in errors))))
        if self.hidden:
            text.append(f"… and {self.hidden} more.")
        return "\n".join(text)


class ImportFailed(Exception):
    """The file has problems and nothing was written; the message lists them.

    `errors` holds them one by one, for a caller that shows them as a list (the store's admin);
    `lines` counts the lines with problems and `hidden` those beyond `errors`.
    """

    def __init__(
        self, message: str, *, errors: Sequence[RowError] = (), lines: int = 0, hidden: int = 0
    ) -> None:
        super().__init__(message)
        self.errors = list(errors)
        self.lines = lines
        self.hidden = hidden

    @property
    def headline(self) -> str:
        """What happened, without the list of problems under it."""
        return str(self).partition("\n")[0]

    @classmethod
    def at(cls, line: int, *messages: str) -> ImportFailed:
        """A problem with the file as a whole (encoding, header) that stops reading at once."""
        errors = RowErrors()
        errors.add(line, messages)
        return errors.failure()


@dataclass
class ImportReport:
    """What a saved import did; `unchanged` rows were already in the database as they are."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def unchanged(self) -> int:
        return self.rows - self.created - self.updated

    def summary(self) -> str:
        text = (
            f"{self.rows} row(s): {self.created} new, {self.updated} updated, "
            f"{self.unchanged} unchanged in {self.seconds:.1f}s."
        )
        return " ".join([text, *self.notes])
