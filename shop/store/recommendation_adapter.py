"""How the recommendation engine reads and imports this store's products.

The default field names fit. Images differ: a product without one gets the store's generated
placeholder. Imports (the admin's CSV upload and `manage.py import_catalog` alike) take three
columns of the store's own: `slug`, `image_url` and `is_active`. A row names its product by
`external_id`; a row without one names the product without one that has its slug, the slug being
made from the title when the cell is empty, as for a product staff added by hand. A product that
has an external id is only ever named by it, so a slug of such a product in a row without one is
reported as taken.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Avg, Count, F, FloatField, OuterRef, Subquery
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils.text import slugify

from recommendations.adapters import ProductAdapter
from recommendations.imports import ProductRow

from .images import product_image_src
from .models import Review

YES = frozenset({"1", "true", "t", "yes", "y", "on"})
NO = frozenset({"0", "false", "f", "no", "n", "off"})


class StoreProductAdapter(ProductAdapter):
    def search_document(self) -> Combinable:
        """The stored, GIN-indexed ``search_vector`` (same weights and configuration)."""
        return F("search_vector")

    def image(self, product: models.Model) -> str:
        return product_image_src(product)

    rating_annotation = "avg_rating"

    def listing_queryset(self) -> models.QuerySet:
        """With the rating and review count the store's card shows (`catalog.visible_products`
        has them too), as subqueries: computed for the listed rows only."""
        reviews = Review.objects.filter(product=OuterRef("pk")).order_by().values("product")
        return (
            super()
            .listing_queryset()
            .annotate(
                avg_rating=Subquery(
                    reviews.annotate(average=Avg("rating")).values("average"),
                    output_field=FloatField(),
                ),
                review_count=Coalesce(
                    Subquery(reviews.annotate(count=Count("pk")).values("count")), 0
                ),
            )
        )

    def ratings(self, ids: list[int]) -> dict[int, float]:
        """From the store's reviews, one query for a whole list."""
        rows = (
            Review.objects.filter(product_id__in=ids)
            .values("product_id")
            .annotate(average=Avg("rating"))
        )
        return {row["product_id"]: float(row["average"]) for row in rows}

    def import_fields(self) -> dict[str, str]:
        return {
            **super().import_fields(),
            "slug": self.slug_field,
            "image_url": self.image_field,
            "is_active": self.active_field,
        }

    def import_required(self) -> tuple[str, ...]:
        """Only the title: a row without an external id is named by its slug (see `row_clean`)."""
        return ("title",)

    def value_clean(self, column: str, value: Any) -> Any:
        if column == "is_active":
            return _yes_no_clean(value)
        return super().value_clean(column, value)

    def row_clean(self, row: ProductRow) -> ProductRow:
        """Gives a row without an external id or slug the slug of its title, which names it."""
        if row.external_id is not None or "slug" in row.extra:
            return row
        max_length = self.model._meta.get_field(self.slug_field).max_length
        slug = slugify(row.title)[:max_length].strip("-")
        if not slug:
            raise ValidationError({"slug": "cannot be made from the title; fill it in."})
        return replace(row, extra={**row.extra, "slug": slug})

    def row_keys(self, row: ProductRow) -> list[tuple[str, Any]]:
        slug = row.extra.get("slug")
        return [*super().row_keys(row), *([("slug", slug)] if slug else [])]

    def rows_conflicts(self, rows: Sequence[ProductRow]) -> list[list[str]]:
        """A slug may only be the product's own: the product with the row's external id, or,
        for a row without one, a product without one."""
        slugs = [row.extra.get("slug") for row in rows]
        owners = {
            slug: (external_id, title)
            for slug, external_id, title in self.model._default_manager.filter(
                **{f"{self.slug_field}__in": [slug for slug in slugs if slug]}
            ).values_list(self.slug_field, self.external_id_field, self.title_field)
        }
        problems = []
        for row, slug in zip(rows, slugs, strict=True):
            owner = owners.get(slug)
            if owner is None or owner[0] == row.external_id:
                problems.append([])
                continue
            external_id, title = owner
            named_by = f" (external_id “{external_id}”)" if external_id else ""
            problems.append([f"slug: “{slug}” belongs to another product, “{title}”{named_by}."])
        return problems

    def products_find(self, rows: Sequence[ProductRow]) -> list[models.Model | None]:
        by_external_id = super().products_find(rows)
        slugs = [row.extra["slug"] for row in rows if row.external_id is None]
        by_slug = self.model._default_manager.filter(**{self.external_id_field: None}).in_bulk(
            slugs, field_name=self.slug_field
        )
        return [
            found if row.external_id is not None else by_slug.get(row.extra["slug"])
            for row, found in zip(rows, by_external_id, strict=True)
        ]


def _yes_no_clean(value: Any) -> bool:
    """A JSON boolean, or the words spreadsheets write for one."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in YES or text in NO:
        return text in YES
    raise ValidationError(f"“{value}” is not a yes/no value (true/false, 1/0, yes/no).")
