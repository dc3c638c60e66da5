"""Bulk imports of a catalog and of past interactions from CSV or JSON Lines files."""

from .catalog import catalog_import, product_row_parse
from .errors import ImportFailed, ImportReport, RowError
from .interactions import interaction_row_parse, interactions_import, timestamp_parse
from .progress import Progress, progress_bar
from .rows import ProductRow
from .writes import ProductWriteMixin

__all__ = [
    "ImportFailed",
    "ImportReport",
    "ProductRow",
    "ProductWriteMixin",
    "Progress",
    "RowError",
    "catalog_import",
    "interaction_row_parse",
    "interactions_import",
    "product_row_parse",
    "progress_bar",
    "timestamp_parse",
]
