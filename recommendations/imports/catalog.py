"""Catalog imports: check every row of the file, then upsert all products in one transaction.

Products are matched by external id. A value that is absent or empty keeps what an existing
product has; a new product gets the default: price 0.00, the default category, no brand. The
product adapter decides the rest (see `writes.py`): the columns beyond the engine's, which of them
every row must fill, and how a shop names a row without an external id. Every door into the
catalog (the `import_catalog` command, a shop's own upload page) comes through here, so a file
imports the same whichever is used.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import fields
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..services.embeddings import products_changed
from .adapter import write_adapter
from .errors import ImportFailed, ImportReport, RowInvalid
from .passes import UniqueKeys, rows_check, rows_parse, rows_valid, rows_verify
from .progress import Progress, untracked
from .readers import Source, blank, rows_read
from .rows import ProductRow
from .writes import ProductWriteMixin

ROW_FIELDS = frozenset(f.name for f in fields(ProductRow)) - {"extra"}


def product_row_parse(
    values: dict[str, Any], *, adapter: ProductWriteMixin, required: Collection[str]
) -> ProductRow:
    """Clean one row's values; raises RowInvalid with every problem of the row."""
    problems = [f"{column}: required." for column in required if blank(values.get(column))]
    cleaned = {}
    for column, value in values.items():
        if blank(value):
            continue
        try:
            cleaned[column] = adapter.value_clean(column, value)
        except ValidationError as exc:
            problems.append(f"{column}: {' '.join(exc.messages)}")
    if problems:
        raise RowInvalid(problems)
    extra = {column: value for column, value in cleaned.items() if column not in ROW_FIELDS}
    row = ProductRow(**{k: v for k, v in cleaned.items() if k in ROW_FIELDS}, extra=extra)
    try:
        return adapter.row_clean(row)
    except ValidationError as exc:
        raise RowInvalid(_problems(exc)) from exc


def catalog_import(
    source: Source,
    *,
    file_format: str | None = None,
    default_category: str = "Uncategorised",
    required: Collection[str] = (),
    progress: Progress = untracked,
) -> ImportReport:
    """Import a CSV or JSON Lines catalog: all rows or, if any row is wrong, none.

    `source` is a path or an open binary file. `required` names columns every row must fill
    beyond those the adapter requires, for a door that asks more of a file. Raises ImportFailed
    listing the problems ("Line N: reason") when nothing was written.
    """
    started = time.perf_counter()
    adapter = write_adapter()
    columns = list(adapter.import_fields())
    required = list(dict.fromkeys([*adapter.import_required(), *required]))
    try:
        fallback = adapter.category_path_clean(default_category) if "category" in columns else None
    except ValidationError as exc:
        raise ImportFailed(f"Default category: {' '.join(exc.messages)}") from exc
    parse = partial(product_row_parse, adapter=adapter, required=required)

    def parsed():
        rows = rows_read(source, columns=columns, required=required, file_format=file_format)
        return rows_parse(rows, parse)

    unique = UniqueKeys(adapter.row_keys)
    checked = rows_verify(parsed(), adapter.rows_conflicts)
    total = rows_check(progress(checked, desc="Checking"), unique=unique)
    with transaction.atomic():
        rows = rows_valid(progress(parsed(), desc="Importing", total=total))
        result = adapter.products_upsert(rows, default_category=fallback, claimed=unique.lines)
        products_changed(result.ids)
    return ImportReport(
        rows=total,
        created=result.created,
        updated=result.updated,
        seconds=time.perf_counter() - started,
        notes=[f"Embedding queued for {len(result.ids)} product(s)."] if result.ids else [],
    )


def _problems(exc: ValidationError) -> list[str]:
    """Its messages, each after the column it names when it names one."""
    if not hasattr(exc, "error_dict"):
        return exc.messages
    return [f"{column}: {' '.join(messages)}" for column, messages in exc.message_dict.items()]
