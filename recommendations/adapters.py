"""How the engine reads the host shop's product model, without importing the shop.

The default adapter fits a product model with the usual field names; a shop whose names differ
subclasses it, changes the class attributes or methods, and names the subclass in
``RECOMMENDATIONS["PRODUCT_ADAPTER"]``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.postgres.search import SearchVector
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable

from .conf import app_settings
from .imports.writes import ProductWriteMixin


class ProductAdapter(ProductWriteMixin):
    title_field = "title"
    description_field = "description"
    price_field = "price"
    currency_field = "currency"
    stock_field = "stock"
    active_field = "is_active"
    attributes_field = "attributes"
    category_field = "category"
    brand_field = "brand"
    image_field = "image_url"
    # On the category model: its display name and the link to its parent.
    category_name_field = "name"
    category_parent_field = "parent"
    brand_name_field = "name"
    # Full-text search: the PostgreSQL text search configuration of the document below.
    search_config = "english"

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(app_settings.PRODUCT_MODEL)

    # Category levels fetched with each product, so summaries need no query per product.
    category_depth = 3

    def queryset(self) -> models.QuerySet:
        return self.model._default_manager.select_related(*self.related_paths())

    def related_paths(self) -> list[str]:
        """The related rows read with each product (`select_related` paths)."""
        related = [self.brand_field] if self.brand_field else []
        if self.category_field:
            related += [
                "__".join([self.category_field, *[self.category_parent_field] * level])
                for level in range(self.category_depth)
            ]
        return related

    def loaded(self, product: models.Model) -> bool:
        """Whether a row the shop read itself holds every related row `queryset` joins, so the
        engine can use it as it is: otherwise each would be one more query on first use."""
        for path in self.related_paths():
            row: models.Model | None = product
            for name in path.split("__"):
                field = row._meta.get_field(name)
                if not field.is_cached(row):
                    return False
                row = field.get_cached_value(row)
                if row is None:
                    break
        return True

    def listing_queryset(self) -> models.QuerySet:
        """What a recommendation list's final products are loaded from, in one query: `queryset`
        plus what the shop's cards show (a rating, say), so that rendering them reads nothing
        more. An annotation here is computed for those few rows only."""
        return self.queryset()

    def active_q(self) -> Q:
        """Products the shop shows at all."""
        return Q(**{self.active_field: True})

    def in_stock_q(self) -> Q:
        return Q(**{f"{self.stock_field}__gt": 0}) if self.stock_field else Q()

    def available_q(self) -> Q:
        """Products a shopper can buy right now."""
        return self.active_q() & self.in_stock_q()

    def search_document(self) -> Combinable:
        """The tsvector a search matches and ranks: title (weight A) above description (B).

        Computed per query here; a shop with a stored, indexed tsvector column returns it.
        """
        return SearchVector(self.title_field, weight="A", config=self.search_config) + SearchVector(
            self.description_field, weight="B", config=self.search_config
        )

    def category_path(self, product: models.Model) -> list[str]:
        category = getattr(product, self.category_field, None) if self.category_field else None
        path, seen = [], set()
        while category is not None and category.pk not in seen:
            seen.add(category.pk)
            path.append(str(getattr(category, self.category_name_field)))
            category = getattr(category, self.category_parent_field, None)
        return path[::-1]

    def brand_name(self, product: models.Model) -> str:
        brand = getattr(product, self.brand_field, None) if self.brand_field else None
        return str(getattr(brand, self.brand_name_field)) if brand is not None else ""

    def attributes(self, product: models.Model) -> dict[str, Any]:
        value = getattr(product, self.attributes_field, None) if self.attributes_field else None
        return value if isinstance(value, dict) else {}

    def summary(self, product: models.Model) -> dict[str, Any]:
        """The fields a widget or API response shows; never vectors."""
        price = getattr(product, self.price_field)
        return {
            "id": product.pk,
            "title": getattr(product, self.title_field),
            "url": product.get_absolute_url() if hasattr(product, "get_absolute_url") else "",
            "price": str(price.quantize(Decimal("0.01")) if isinstance(price, Decimal) else price),
            "currency": getattr(product, self.currency_field, "") if self.currency_field else "",
            "brand": self.brand_name(product),
            "category": " > ".join(self.category_path(product)),
            "image": self.image(product),
            "in_stock": bool(getattr(product, self.stock_field, 1)) if self.stock_field else True,
        }

    def image(self, product: models.Model) -> str:
        """An image URL, or "" for the widget's neutral placeholder."""
        return (getattr(product, self.image_field, "") or "") if self.image_field else ""

    def ratings(self, ids: list[int]) -> dict[int, float]:
        """Average customer rating (of 5) by product id, for the products that have one; a
        shop with reviews overrides this with one query."""
        return {}

    # The annotation of `listing_queryset` holding the average rating, when it adds one.
    rating_annotation: str | None = None

    def ratings_of(self, products: list[models.Model]) -> dict[int, float]:
        """`ratings`, read from the rows themselves when they were loaded with them."""
        name = self.rating_annotation
        if name and all(hasattr(product, name) for product in products):
            values = {product.pk: getattr(product, name) for product in products}
            return {pk: float(value) for pk, value in values.items() if value is not None}
        return self.ratings([product.pk for product in products])

    def category_model(self) -> type[models.Model] | None:
        if not self.category_field:
            return None
        return self.model._meta.get_field(self.category_field).related_model

    def brand_model(self) -> type[models.Model] | None:
        if not self.brand_field:
            return None
        return self.model._meta.get_field(self.brand_field).related_model

    def category_descendants(self, category_id: int) -> list[int]:
        """The category and every category below it, for "in <category>" filters."""
        model = self.category_model()
        ids, frontier = [category_id], [category_id]
        while frontier:
            frontier = list(
                model._default_manager.filter(**{f"{self.category_parent_field}_id__in": frontier})
                .exclude(pk__in=ids)
                .values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids
