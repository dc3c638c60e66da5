"""The product adapter, checked to be one that can write the host's catalog."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from ..factories import get_adapter
from .writes import ProductWriteMixin


def write_adapter() -> ProductWriteMixin:
    """The configured adapter; an import fails at once, not midway, if it cannot write."""
    adapter = get_adapter()
    if not isinstance(adapter, ProductWriteMixin):
        raise ImproperlyConfigured(
            f"RECOMMENDATIONS['PRODUCT_ADAPTER'] ({type(adapter).__qualname__}) cannot write "
            "products: add recommendations.imports.writes.ProductWriteMixin to its bases."
        )
    return adapter
