"""Problems found in an import file, and the report of an import that was saved."""

from __future__ import annotations

from dataclasses import dataclass, field

# More than this many problems are summed up as a count: the first ones show what to fix.
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
    """Collects the problems of a whole file while keeping only the first few in memory."""

    def __init__(self) -> None:
        self.shown: list[RowError] = []
        self.total = 0

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, line: int, message: str) -> None:
        self.total += 1
        if len(self.shown) < SHOWN_ERRORS:
            self.shown.append(RowError(line, message))

    def __str__(self) -> str:
        lines = [f"Nothing imported: {self.total} error(s) in the file."]
        lines += [str(error) for error in self.shown]
        if self.total > len(self.shown):
            lines.append(f"… and {self.total - len(self.shown)} more.")
        return "\n".join(lines)


class ImportFailed(Exception):
    """The file has problems and nothing was written; the message lists them."""

    @classmethod
    def at(cls, line: int, message: str) -> ImportFailed:
        """A problem with the file as a whole (encoding, header) that stops reading at once."""
        errors = RowErrors()
        errors.add(line, message)
        return cls(str(errors))


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
