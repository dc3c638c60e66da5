"""Catalog imports: check every row of the file, then upsert all products in one transaction.

Products are matched by external id. A value that is absent or empty keeps what an existing
product has; a new product gets the default: price 0.00, the default category, no brand.
"""

from __future__ import annotations

import time
from functools import partial
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ..adapters_write import ProductRow, ProductWriteMixin
from ..services.embeddings import products_changed
from .adapter import write_adapter
from .errors import ImportFailed, ImportReport, RowInvalid
from .passes import rows_check, rows_parse, rows_valid
from .progress import Progress, untracked
from .readers import blank, rows_read

COLUMNS = (
    "external_id",
    "title",
    "description",
    "category",
    "brand",
    "price",
    "currency",
    "stock",
    "attributes",
)
REQUIRED = ("external_id", "title")


def product_row_parse(values: dict[str, Any], *, adapter: ProductWriteMixin) -> ProductRow:
    """Clean one row's values; raises RowInvalid with every problem of the row."""
    problems = [f"{column}: required." for column in REQUIRED if blank(values.get(column))]
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
    return ProductRow(**cleaned)


def catalog_import(
    path: str | Path,
    *,
    file_format: str | None = None,
    default_category: str = "Uncategorised",
    progress: Progress = untracked,
) -> ImportReport:
    """Import a CSV or JSON Lines catalog: all rows or, if any row is wrong, none.

    Raises ImportFailed listing the problems ("Line N: reason") when nothing was written.
    """
    started = time.perf_counter()
    adapter = write_adapter()
    columns = [column for column in COLUMNS if column in adapter.import_fields()]
    try:
        fallback = adapter.category_path_clean(default_category) if "category" in columns else None
    except ValidationError as exc:
        raise ImportFailed(f"Default category: {' '.join(exc.messages)}") from exc
    parse = partial(product_row_parse, adapter=adapter)

    def parsed():
        rows = rows_read(path, columns=columns, required=REQUIRED, file_format=file_format)
        return rows_parse(rows, parse)

    total = rows_check(progress(parsed(), desc="Checking"), unique_by="external_id")
    with transaction.atomic():
        rows = rows_valid(progress(parsed(), desc="Importing", total=total))
        result = adapter.products_upsert(rows, default_category=fallback)
        products_changed(result.ids)
    return ImportReport(
        rows=total,
        created=result.created,
        updated=result.updated,
        seconds=time.perf_counter() - started,
        notes=[f"Embedding queued for {len(result.ids)} product(s)."] if result.ids else [],
    )
