"""Streaming row readers for CSV and JSON Lines files, with the line each row starts on.

Files are read as bytes and decoded line by line, so a file that is not UTF-8 is reported at the
exact line, and a file of millions of rows is never held in memory. A source is a path or an open
binary file (an upload), which each pass reads again from its start.
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Collection, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import ImportFailed

FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# A file's path, or the file itself open in binary mode and seekable.
Source = str | Path | IO[bytes]
SNIFF_BYTES = 8192
# Deepest nesting of objects and lists in a JSON line: product attributes are flat, and deeper
# values would only reach code that recurses (and a NUL anywhere would reach PostgreSQL).
MAX_JSON_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Row:
    """One record: its values by column, or why it could not be read."""

    line: int
    values: dict[str, Any]
    error: str = ""


def blank(value: Any) -> bool:
    """An empty CSV cell or a JSON null: the column is not given for this row."""
    return value is None or (isinstance(value, str) and not value.strip())


def file_format_detect(path: Path, file_format: str | None = None) -> str:
    """The format asked for, else the one the file's extension names."""
    detected = file_format or FORMATS.get(path.suffix.lower())
    if detected not in FORMATS.values():
        raise ImportFailed.at(
            1,
            f"cannot tell the format of “{path.name}”: name it .csv, .jsonl or .ndjson, "
            "or pass --format csv or --format jsonl.",
        )
    return detected


def rows_read(
    source: Source,
    *,
    columns: Collection[str],
    required: Collection[str],
    file_format: str | None = None,
) -> Iterator[Row]:
    """Yield the file's rows; raises ImportFailed for a file that cannot be read at all."""
    opened, file_format = _open(source, file_format)
    with opened as file:
        _sniff(file)
        lines = _Lines(file)
        if file_format == "csv":
            yield from _csv_rows(lines, columns=columns, required=required)
        else:
            yield from _jsonl_rows(lines, columns=columns)


def _open(source: Source, file_format: str | None) -> tuple[AbstractContextManager[IO[bytes]], str]:
    """The file at its start and its format; a file the caller opened is left open."""
    if not isinstance(source, str | Path):
        source.seek(0)
        name = Path(getattr(source, "name", None) or "")
        return nullcontext(source), file_format_detect(name, file_format)
    path = Path(source)
    file_format = file_format_detect(path, file_format)
    try:
        return path.open("rb"), file_format
    except OSError as exc:
        raise ImportFailed.at(1, f"cannot open “{path}”: {exc.strerror}.") from exc


def _sniff(file: IO[bytes]) -> None:
    start = file.read(SNIFF_BYTES)
    file.seek(0)
    if not start.strip():
        raise ImportFailed.at(1, "the file is empty.")
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportFailed.at(1, "the file is UTF-16 text; save it as UTF-8.")
    if b"\x00" in start:
        raise ImportFailed.at(1, "this is a binary file, not CSV or JSON Lines text.")


class _Lines:
    """The file's lines as text, counting them, BOM removed; stops at the first undecodable line."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.number = 0

    def __iter__(self) -> Iterator[str]:
        # readline, not iteration: Django's uploaded files also split lines at a lone "\r".
        for raw in iter(self.file.readline, b""):
            self.number += 1
            if self.number == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            if b"\x00" in raw:
                # The sniff reads only the start; PostgreSQL refuses NUL in text anyway.
                raise ImportFailed.at(
                    self.number, "contains a NUL byte: this is binary data, not CSV or JSON Lines."
                )
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ImportFailed.at(
                    self.number,
                    f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8.",
                ) from exc


def _csv_rows(
    lines: _Lines, *, columns: Collection[str], required: Collection[str]
) -> Iterator[Row]:
    # strict: a quote left open or stray text after a closing quote is an error, not a guess.
    reader = csv.reader(lines, strict=True)
    header = _csv_header(reader, columns=columns, required=required)
    start = lines.number + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFailed.at(start, f"not readable as CSV ({exc}).") from exc
        if any(cells):
            if len(cells) == len(header):
                yield Row(start, dict(zip(header, cells, strict=True)))
            else:
                yield Row(start, {}, f"{len(cells)} fields, but the header has {len(header)}.")
        start = lines.number + 1


def _csv_header(
    reader: Iterable[list[str]], *, columns: Collection[str], required: Collection[str]
) -> list[str]:
    try:
        first = next(iter(reader), None)
    except csv.Error as exc:
        raise ImportFailed.at(1, f"not readable as CSV ({exc}).") from exc
    if first is None:
        raise ImportFailed.at(1, "the file is empty.")
    header = [name.strip().lower() for name in first]
    problems = [
        ("unknown column(s)", sorted(set(header) - set(columns) - {""})),
        ("missing required column(s)", [name for name in required if name not in header]),
        (
            "repeated column(s)",
            sorted({name for name in header if name and header.count(name) > 1}),
        ),
        (
            "unnamed column(s) at position(s)",
            [str(number) for number, name in enumerate(header, 1) if not name],
        ),
    ]
    found = [f"{problem}: {', '.join(names)}" for problem, names in problems if names]
    if found:
        raise ImportFailed.at(1, f"header: {'; '.join(found)} (columns are: {', '.join(columns)}).")
    return header


def _jsonl_rows(lines: _Lines, *, columns: Collection[str]) -> Iterator[Row]:
    for text in lines:
        if not text.strip():
            continue
        try:
            values = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Row(lines.number, {}, f"not valid JSON ({exc.msg}, column {exc.colno}).")
            continue
        except RecursionError:
            yield Row(lines.number, {}, f"nested more than {MAX_JSON_DEPTH} levels deep.")
            continue
        if not isinstance(values, dict):
            yield Row(lines.number, {}, "each line must be a JSON object.")
            continue
        problem = json_value_problem(values)
        if problem:
            yield Row(lines.number, {}, problem)
            continue
        unknown = sorted(set(values) - set(columns))
        if unknown:
            yield Row(
                lines.number,
                {},
                f"unknown field(s): {', '.join(unknown)} (fields are: {', '.join(columns)}).",
            )
            continue
        yield Row(lines.number, values)


def json_value_problem(value: Any) -> str:
    """What makes a decoded JSON value unstorable, or ""; walks without recursion, so that no
    depth of nesting can overflow the stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"nested more than {MAX_JSON_DEPTH} levels deep."
        if isinstance(item, str) and "\x00" in item:
            return "contains a NUL character (\\u0000), which text cannot hold."
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in (*item, *item.values()))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return ""
