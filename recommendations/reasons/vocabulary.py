"""The shop's own names (products, brands, categories, attribute values) for the reason verifier.

A generated reason may name only what its evidence holds; to notice that it names something else,
the verifier has to know which words are names at all. Names only, read as values and cached per
process for a few minutes: a catalog of 100,000 products is read in about a second.
"""

from __future__ import annotations

import re
import time
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.signals import setting_changed
from django.db import models

from ..factories import get_adapter
from .words import short_name

# A Chinese character is a token of its own; Latin letters and digits make words. Reasons and
# names are compared as these tokens, so "Campfire & Co" and "campfire co" are one name.
TOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[0-9a-zà-öø-ÿ]+", re.IGNORECASE)
# Values that say whether, not what: "waterproof: no" names nothing a reason could repeat.
NOT_VALUES = frozenset({"yes", "no", "true", "false", "none", "n a"})
CACHE_SECONDS = 300
_cache: dict[str, tuple[float, Vocabulary]] = {}


@dataclass(frozen=True)
class Vocabulary:
    """Lower-cased names as token strings ("campfire co"), one set per kind."""

    products: frozenset[str] = frozenset()
    brands: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    attribute_values: frozenset[str] = frozenset()


def name_tokens(text: str) -> list[str]:
    return [token.lower() for token in TOKEN.findall(text)]


def name_key(text: str) -> str:
    return " ".join(name_tokens(text))


def name_variants(name: str, brands: Collection[str]) -> set[str]:
    """The keys a reason may use for a product: as written, without its tail of features, and
    without a leading brand ("Summit 40L Backpack" for "Northpeak Summit 40L Backpack")."""
    head = name_tokens(short_name(name))
    keys = {name_key(name), " ".join(head)}
    for size in range(1, min(4, len(head))):
        if " ".join(head[:size]) in brands:
            keys.add(" ".join(head[size:]))
    return keys - {""}


def attribute_keys(value: Any) -> list[str]:
    """Keys of the values worth recognising: text of three characters or more, not a number."""
    items = value if isinstance(value, list | tuple) else [value]
    keys = [name_key(item) for item in items if isinstance(item, str)]
    return [
        key
        for key in keys
        if len(key) >= 3 and key not in NOT_VALUES and not key.replace(" ", "").isdigit()
    ]


def vocabulary_build(
    *,
    products: Iterable[tuple[str, str | None]],
    brands: Iterable[str],
    categories: Iterable[str],
    attribute_values: Iterable[Any],
) -> Vocabulary:
    """`products` as (name, brand name or None) pairs."""
    brand_keys = frozenset(filter(None, map(name_key, brands)))
    product_keys: set[str] = set()
    for name, brand in products:
        product_keys |= name_variants(name, {name_key(brand)} if brand else ())
    return Vocabulary(
        products=frozenset(product_keys),
        brands=brand_keys,
        categories=frozenset(filter(None, map(name_key, categories))),
        attribute_values=frozenset(
            key for value in attribute_values for key in attribute_keys(value)
        ),
    )


def _catalog_read() -> Vocabulary:
    adapter = get_adapter()
    brand_model, category_model = adapter.brand_model(), adapter.category_model()
    # Values, not instances, of the adapter's fields: one query and no model objects for a large
    # catalog. A field the shop does not have is left out and read as None.
    fields = {
        "title": adapter.title_field,
        "brand": brand_model and f"{adapter.brand_field}__{adapter.brand_name_field}",
        "attributes": adapter.attributes_field,
    }
    present = [key for key, field in fields.items() if field]
    query = adapter.queryset().order_by().values_list(*(fields[key] for key in present))
    rows = [dict(zip(present, row, strict=True)) for row in query.iterator(chunk_size=5000)]
    return vocabulary_build(
        products=[(row["title"], row.get("brand")) for row in rows],
        brands=_names(brand_model, adapter.brand_name_field),
        categories=_names(category_model, adapter.category_name_field),
        attribute_values=[
            value
            for row in rows
            if isinstance(row.get("attributes"), dict)
            for value in row["attributes"].values()
        ],
    )


def _names(model: type[models.Model] | None, field: str) -> list[str]:
    return list(model._default_manager.values_list(field, flat=True)) if model else []


def catalog_vocabulary() -> Vocabulary:
    """The catalog's names, read again after CACHE_SECONDS: a product added since is missed by
    the verifier for a few minutes, which only lets a reason name it."""
    now = time.monotonic()
    cached = _cache.get("catalog")
    if cached is None or now - cached[0] > CACHE_SECONDS:
        cached = _cache["catalog"] = (now, _catalog_read())
    return cached[1]


def vocabulary_clear(*, setting: str = "RECOMMENDATIONS", **kwargs: Any) -> None:
    """Connected to `setting_changed`: another product model has other names."""
    if setting.startswith("RECOMMENDATIONS"):
        _cache.clear()


setting_changed.connect(vocabulary_clear)
