"""What the catalogue says of each item, as the sequence network reads it: the product's
Transformer text vector and its attribute tokens (category, brand, attribute values)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from ...factories import get_adapter
from ..content import product_vectors_of
from ..tables import vectors_matrix

# An attribute value longer than this is prose, not a category.
TOKEN_MAX_CHARS = 60


def text_matrix(product_ids: np.ndarray) -> np.ndarray | None:
    """Products × text width in `product_ids` order, zero rows for products without a vector;
    None when no product has one (the catalogue has no text, as in anonymous public logs)."""
    index = {int(pk): i for i, pk in enumerate(product_ids)}
    pairs = product_vectors_of(product_ids.tolist()).items()
    matrix = vectors_matrix(pairs, index, len(product_ids))
    return matrix if matrix.shape[1] else None


def attribute_tokens(product_ids: np.ndarray) -> tuple[list[list[int]], int]:
    """Per product the ids (from 1) of its tokens, and how many distinct tokens there are. A
    token only one product has teaches nothing that its own id does not, so it is left out."""
    adapter = get_adapter()
    wanted = [
        f"{name}_id" if name != adapter.attributes_field else name
        for name in (adapter.category_field, adapter.brand_field, adapter.attributes_field)
        if name
    ]
    rows = dict.fromkeys(int(pk) for pk in product_ids)
    queryset = adapter.model._default_manager.filter(pk__in=list(rows)).values_list("pk", *wanted)
    for pk, *values in queryset.iterator(chunk_size=5000):
        rows[pk] = list(_tokens(dict(zip(wanted, values, strict=True)), adapter))
    counts = Counter(token for tokens in rows.values() if tokens for token in set(tokens))
    vocabulary: dict[str, int] = {}
    for token in sorted(t for t, c in counts.items() if c >= 2):
        vocabulary[token] = len(vocabulary) + 1
    result = [
        sorted({vocabulary[t] for t in rows[int(pk)] or () if t in vocabulary})
        for pk in product_ids
    ]
    return result, len(vocabulary)


def _tokens(values: dict[str, Any], adapter) -> Iterator[str]:
    for name, value in values.items():
        if value is None:
            continue
        if name == adapter.attributes_field:
            yield from _attribute_tokens(value)
        else:
            yield f"{name}={value}"


def _attribute_tokens(attributes: Any) -> Iterator[str]:
    if not isinstance(attributes, dict):
        return
    for key, value in attributes.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, (str, int, float, bool)) and len(str(item)) <= TOKEN_MAX_CHARS:
                yield f"{key}={item}"
