"""Product to text: what the encoder reads about a product."""

from __future__ import annotations

import hashlib

from django.db import models

from .conf import app_settings
from .factories import get_adapter, get_document_function

# Attributes worth reading first: they say what a product is for and whom.
KEY_ATTRIBUTES = ("use", "audience", "material", "style", "colour", "color", "price_band")


def truncate(text: str, max_chars: int) -> str:
    if len(text) <= max_chars:
        return text
    cut = text[:max_chars]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _attribute_text(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def product_document(product: models.Model) -> str:
    """Title first, then brand, category path and key attributes, then the description.

    The model reads only the first ~256 word pieces, so what identifies the product comes first.
    """
    adapter = get_adapter()
    parts = [str(getattr(product, adapter.title_field, "")).strip()]
    brand = adapter.brand_name(product)
    if brand:
        parts.append(f"Brand: {brand}.")
    path = adapter.category_path(product)
    if path:
        parts.append(f"Category: {' > '.join(path)}.")
    attributes = adapter.attributes(product)
    ordered = [k for k in KEY_ATTRIBUTES if k in attributes]
    ordered += sorted(k for k in attributes if k not in KEY_ATTRIBUTES)
    facts = [
        f"{key.replace('_', ' ')}: {_attribute_text(value)}"
        for key in ordered
        if (value := attributes[key]) not in (None, "", [], {}) and not isinstance(value, dict)
    ]
    if facts:
        parts.append("; ".join(facts) + ".")
    description = str(getattr(product, adapter.description_field, "") or "").strip()
    if description:
        parts.append(description)
    return truncate(" ".join(p for p in parts if p), app_settings.DOCUMENT_MAX_CHARS)


def document_for(product: models.Model) -> str:
    return get_document_function()(product)


def content_hash(document: str, model_name: str) -> str:
    """Changes when the text or the model changes: the two things that change a vector."""
    return hashlib.sha256(f"{model_name}\x00{document}".encode()).hexdigest()
