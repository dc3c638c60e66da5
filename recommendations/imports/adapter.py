"""The product adapter, checked to be one that can write the host's catalog."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from ..adapters_write import ProductWriteMixin
from ..factories import get_adapter


def write_adapter() -> ProductWriteMixin:
    adapter = get_adapter()
    if not isinstance(adapter, ProductWriteMixin):
        raise ImproperlyConfigured(
            f"RECOMMENDATIONS['PRODUCT_ADAPTER'] ({type(adapter).__qualname__}) cannot write "
            "products: add recommendations.adapters_write.ProductWriteMixin to its bases."
        )
    return adapter
