"""Interaction imports: check every row of the file, then load them all in one transaction.

Rows are `user, item, timestamp, event[, value]`: `user` is the shopper's id in the source
system (stored as the shopper key ``x:<user>``), `item` a product's external id. Loading a file
again adds nothing, because the table is unique on (shopper, kind, product, time, text).
"""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import Interaction
from ..services.interactions import InteractionRow, interactions_load
from ..shoppers import external_key
from ..tasks import shoppers_refresh_enqueue
from .adapter import write_adapter
from .errors import ImportReport, RowInvalid
from .passes import rows_check, rows_parse, rows_valid
from .progress import Progress, untracked
from .readers import blank, rows_read

Kind = Interaction.Kind
COLUMNS = ("user", "item", "timestamp", "event", "value")
REQUIRED = ("user", "item", "timestamp", "event")
EVENTS = {
    "view": Kind.VIEW,
    "click": Kind.CLICK,
    "cart": Kind.CART,
    "purchase": Kind.PURCHASE,
    "rating": Kind.REVIEW,
}
RATING_MIN, RATING_MAX = 1.0, 5.0
USER_LENGTH = Interaction._meta.get_field("shopper").max_length - len(external_key(""))
_UNIX_SECONDS = re.compile(r"[+-]?\d+(\.\d*)?")
EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
# Clocks of the source system may run a little ahead.
FUTURE_TOLERANCE = timedelta(days=1)


def timestamp_parse(value: Any) -> datetime:
    """ISO 8601 (with or without Z or an offset) or Unix seconds; a time without zone is UTC.

    A time before online shops existed or in the future is a unit mistake (milliseconds read as
    seconds) or a placeholder, and would weigh as the oldest or the newest event forever.
    """
    text = str(value).strip()
    if _UNIX_SECONDS.fullmatch(text):
        try:
            moment = datetime.fromtimestamp(float(text), tz=UTC)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"“{text}” is out of range for Unix seconds.") from None
    else:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"“{text}” is neither ISO 8601 nor Unix seconds.") from None
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment < EARLIEST:
        raise ValueError(f"“{text}” is before {EARLIEST:%Y-%m-%d}.")
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise ValueError(f"“{text}” is in the future.")
    return moment


def interaction_row_parse(values: dict[str, Any], *, products: dict[str, int]) -> InteractionRow:
    """Clean one row; `products` maps external ids to product ids. Raises RowInvalid."""
    problems = [f"{column}: required." for column in REQUIRED if blank(values.get(column))]
    if problems:
        raise RowInvalid(problems)
    user, item = str(values["user"]).strip(), str(values["item"]).strip()
    if len(user) > USER_LENGTH:
        problems.append(f"user: longer than {USER_LENGTH} characters.")
    product_id = products.get(item)
    if product_id is None:
        problems.append(f"item: no product has the external id “{item}”.")
    kind = EVENTS.get(str(values["event"]).strip().lower())
    if kind is None:
        problems.append(f"event: “{values['event']}” is not one of {', '.join(EVENTS)}.")
    created_at = value = None
    try:
        created_at = timestamp_parse(values["timestamp"])
    except ValueError as exc:
        problems.append(f"timestamp: {exc}")
    try:
        value = _value_parse(values.get("value"), rating=kind == Kind.REVIEW)
    except ValueError as exc:
        problems.append(f"value: {exc}")
    if problems:
        raise RowInvalid(problems)
    return InteractionRow(
        shopper=external_key(user),
        kind=kind,
        created_at=created_at,
        product_id=product_id,
        value=value,
    )


def interactions_import(
    path: str | Path,
    *,
    file_format: str | None = None,
    refresh: bool = True,
    progress: Progress = untracked,
) -> ImportReport:
    """Import past interactions: all rows or, if any row is wrong, none.

    With `refresh`, shoppers without a vector get an update queued after commit. Raises
    ImportFailed listing the problems ("Line N: reason") when nothing was written.
    """
    started = time.perf_counter()
    adapter = write_adapter()
    # One query for the whole catalog: a lookup per row would cost a round trip per row.
    products = dict(
        adapter.model._default_manager.exclude(**{adapter.external_id_field: None}).values_list(
            adapter.external_id_field, "pk"
        )
    )
    parse = partial(interaction_row_parse, products=products)

    def parsed():
        rows = rows_read(path, columns=COLUMNS, required=REQUIRED, file_format=file_format)
        return rows_parse(rows, parse)

    total = rows_check(progress(parsed(), desc="Checking"))
    with transaction.atomic():
        created = interactions_load(rows_valid(progress(parsed(), desc="Loading", total=total)))
        notes = []
        if refresh:
            notes.append(f"Vector update queued for {shoppers_refresh_enqueue()} shopper(s).")
    return ImportReport(
        rows=total, created=created, seconds=time.perf_counter() - started, notes=notes
    )


def _value_parse(value: Any, *, rating: bool) -> float | None:
    if blank(value):
        if rating:
            raise ValueError(f"a rating needs a value from {RATING_MIN:g} to {RATING_MAX:g}.")
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"“{value}” is not a number.") from None
    if not math.isfinite(number):
        raise ValueError(f"“{value}” is not a finite number.")
    if rating and not RATING_MIN <= number <= RATING_MAX:
        raise ValueError(f"a rating must be from {RATING_MIN:g} to {RATING_MAX:g}.")
    return number
