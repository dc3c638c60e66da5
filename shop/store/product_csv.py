"""The store admin's door into the catalog: a streaming CSV export and an upload of such a file.

The upload is the engine's catalog import (`recommendations.imports.catalog_import`) with the
store's product adapter, so a file imports exactly as with `manage.py import_catalog`: rows are
matched by `external_id`, an empty cell keeps what the product has, and the adapter
(`recommendation_adapter.py`) adds the store's columns and names rows without an external id.
The admin asks more of a file than the command: every row fills `REQUIRED`, since a product
uploaded without a price would be on sale for nothing, and a file is at most `MAX_FILE_BYTES`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from recommendations.imports import ImportFailed, RowError, catalog_import
from shop.store.models import Category, Product
from shop.store.recommendation_adapter import StoreProductAdapter

# Import column → product field; the export writes the same columns, so it is an import file.
FIELDS = StoreProductAdapter().import_fields()
COLUMNS = tuple(FIELDS)
REQUIRED = ("title", "category", "price")
MAX_FILE_BYTES = 20 * 1024 * 1024
CATEGORY_SEPARATOR = " > "


@dataclass
class ImportResult:
    """Counts of a saved import, or why nothing of the file was saved."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failure: ImportFailed | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def errors(self) -> list[RowError]:
        """The problems one by one, for the first lines that have any."""
        return self.failure.errors if self.failure else []

    @property
    def hidden(self) -> int:
        """Lines with problems beyond those `errors` shows."""
        return self.failure.hidden if self.failure else 0

    def summary(self) -> str:
        if self.failure:
            return self.failure.headline
        return _("Created %(created)d, updated %(updated)d, %(unchanged)d unchanged.") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def export_products_csv(queryset: QuerySet[Product]) -> Iterator[str]:
    """Yield the CSV lines of `queryset`, header first, without holding the catalog in memory."""
    paths = _category_paths()
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    products = queryset.select_related("brand").defer("search_vector")
    for product in products.iterator(chunk_size=2000):
        yield writer.writerow([_cell(product, column, paths) for column in COLUMNS])


def import_products_csv(file_obj: IO[bytes]) -> ImportResult:
    """Check every row of a UTF-8 CSV file, then save all rows in one transaction, or none."""
    try:
        if _size(file_obj) > MAX_FILE_BYTES:
            message = _("The file is larger than %(size)d MB.") % {"size": MAX_FILE_BYTES // 2**20}
            raise ImportFailed.at(1, message)
        report = catalog_import(file_obj, file_format="csv", required=REQUIRED)
    except ImportFailed as exc:
        return ImportResult(failure=exc)
    return ImportResult(created=report.created, updated=report.updated, unchanged=report.unchanged)


def _cell(product: Product, column: str, paths: dict[int, str]) -> Any:
    """The text the import reads back as the product's value: an empty cell for no value."""
    if column == "category":
        return paths[product.category_id]
    if column == "brand":
        return product.brand.name if product.brand else ""
    value = getattr(product, FIELDS[column])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return "" if value is None else value


class _Echo:
    """A file whose `write` hands back the line, so `csv.writer` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _category_paths() -> dict[int, str]:
    """Every category's path in one query; categories are few and products many."""
    categories = {c.pk: c for c in Category.objects.only("pk", "name", "parent_id")}
    paths: dict[int, str] = {}
    for category in categories.values():
        chain, seen, node = [], set(), category
        while node is not None and node.pk not in seen:
            chain.append(node.name)
            seen.add(node.pk)
            node = categories.get(node.parent_id)
        paths[category.pk] = CATEGORY_SEPARATOR.join(reversed(chain))
    return paths


def _size(file_obj: IO[bytes]) -> int:
    """Measured at its end, before anything is read: uploads and plain files both seek."""
    file_obj.seek(0, io.SEEK_END)
    size = file_obj.tell()
    file_obj.seek(0)
    return size
