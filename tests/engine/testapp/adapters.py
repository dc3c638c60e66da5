"""The default adapter fits this catalog's field names; it has no currency and no images."""

from recommendations.adapters import ProductAdapter


class CatalogAdapter(ProductAdapter):
    currency_field = None
    image_field = None
