"""How imports read and write the host shop's catalog: categories by path, brands by name,
products by external id.

Mixed into `ProductAdapter`, so the field names come from it. A shop whose catalog is shaped
differently overrides a hook. Reading a file: `import_fields` (the columns, a shop may add its
own), `import_required`, `value_clean`, `row_clean`, `row_keys` and `rows_conflicts`. Writing:
`products_find`, `category_from_path`, `brand_from_name`, `product_values`, `product_slug_base`
or `products_upsert`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import slugify

from .readers import MAX_JSON_DEPTH, json_value_problem
from .rows import PLAIN_COLUMNS, ProductRow
from .slugs import has_field, slug_values

# Between the levels of a category path: "Beauty > Makeup > Nails".
CATEGORY_SEPARATOR = ">"


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    # Products created or changed: their vectors are stale.
    ids: list[int] = field(default_factory=list)


class ProductWriteMixin:
    external_id_field = "external_id"
    # Slug fields are filled when a row is created and, unless the adapter imports a slug column,
    # never changed after, so links stay valid; a model without the field is left alone.
    slug_field = "slug"
    category_slug_field = "slug"
    brand_slug_field = "slug"
    # The host's price is usually required; a new product whose row has none gets this.
    new_product_price = Decimal("0.00")

    def import_fields(self) -> dict[str, str]:
        """Import column → product field, for the columns this catalog can store.

        A shop adds columns of its own here; their clean values come in `ProductRow.extra` and
        are stored as they are, in the field named.
        """
        fields = {
            "external_id": self.external_id_field,
            "title": self.title_field,
            "description": self.description_field,
            "category": self.category_field,
            "brand": self.brand_field,
            "price": self.price_field,
            "currency": self.currency_field,
            "stock": self.stock_field,
            "attributes": self.attributes_field,
        }
        return {column: name for column, name in fields.items() if name}

    def import_required(self) -> tuple[str, ...]:
        """The columns every row must fill: the external id names the product it imports."""
        return ("external_id", "title")

    def value_clean(self, column: str, value: Any) -> Any:
        """The value to store for one cell: text from CSV, any JSON value from JSON Lines.

        Validates with the host's own model fields (length, choices, decimal places, validators),
        so a row that passes is a row the database accepts. Raises ValidationError.
        """
        if column == "attributes":
            return _attributes_clean(value)
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValidationError("must be text or a number.")
        # Numbers go through text: Django reads a float 19.99 as 19.9900000000000002131.
        text = str(value) if column == "description" else str(value).strip()
        if column == "category":
            return self.category_path_clean(text)
        if column == "brand":
            return self.brand_model()._meta.get_field(self.brand_name_field).clean(text, None)
        if column == "currency":
            text = text.upper()
        return self.model._meta.get_field(self.import_fields()[column]).clean(text, None)

    def row_clean(self, row: ProductRow) -> ProductRow:
        """The row once its values are clean, for rules across columns; the default has none.

        Raises ValidationError, with a dict by column to name the column of each problem.
        """
        return row

    def row_keys(self, row: ProductRow) -> list[tuple[str, Any]]:
        """(column, value) pairs that no other row of the same file may have."""
        return [("external_id", row.external_id)] if row.external_id is not None else []

    def rows_conflicts(self, rows: Sequence[ProductRow]) -> list[list[str]]:
        """Each row's problems with the stored catalog, found while the file is checked.

        Rows matched by external id have none; a shop whose rows set other unique fields checks
        them here, with one query for the whole batch.
        """
        return [[] for _ in rows]

    def category_path_clean(self, text: str) -> tuple[str, ...]:
        names = tuple(name.strip() for name in text.split(CATEGORY_SEPARATOR))
        if not all(names):
            raise ValidationError(
                f"“{text}” has an empty level; write paths like “Outdoor > Tents”."
            )
        name_field = self.category_model()._meta.get_field(self.category_name_field)
        return tuple(name_field.clean(name, None) for name in names)

    def category_from_path(self, path: Sequence[str]) -> int:
        """The id of the category at `path`, creating the levels that are missing."""
        model = self.category_model()
        parent = model._meta.get_field(self.category_parent_field).attname
        parent_id = None
        for name in path:
            lookup = {self.category_name_field: name, parent: parent_id}
            found = model._default_manager.filter(**lookup).values_list("pk", flat=True).first()
            if found is None:
                slug = slug_values(model, self.category_slug_field, [slugify(name) or "category"])
                found = model._default_manager.create(**lookup, **slug[0]).pk
            parent_id = found
        return parent_id

    def brand_from_name(self, name: str) -> int:
        """The id of the brand called `name`, created if missing."""
        model = self.brand_model()
        manager = model._default_manager
        found = manager.filter(**{self.brand_name_field: name}).values_list("pk", flat=True).first()
        if found is None:
            slug = slug_values(model, self.brand_slug_field, [slugify(name) or "brand"])
            found = manager.create(**{self.brand_name_field: name}, **slug[0]).pk
        return found

    def product_values(
        self, row: ProductRow, *, category_id: int | None, brand_id: int | None
    ) -> dict[str, Any]:
        """The product's field values (by attname) that the row sets; None sets nothing."""
        fields = self.import_fields()
        values = {
            fields[column]: getattr(row, column)
            for column in PLAIN_COLUMNS
            if column in fields and getattr(row, column) is not None
        }
        for column, value in row.extra.items():
            values[self.model._meta.get_field(fields[column]).attname] = value
        for name, value in ((self.category_field, category_id), (self.brand_field, brand_id)):
            if name and value is not None:
                values[self.model._meta.get_field(name).attname] = value
        return values

    def product_slug_base(self, row: ProductRow) -> str:
        """Title and external id, so that products of the same title get distinct slugs."""
        max_length = self.model._meta.get_field(self.slug_field).max_length
        title, ident = slugify(row.title), slugify(row.external_id or "")
        if not ident or title == ident:
            return (title or "product")[:max_length].strip("-") or "product"
        return f"{title[: max_length - len(ident) - 1].rstrip('-')}-{ident}".strip("-")[:max_length]

    def products_find(self, rows: Sequence[ProductRow]) -> list[models.Model | None]:
        """The stored product each row updates, or None for a new one: one query a batch."""
        ids = [row.external_id for row in rows if row.external_id is not None]
        found = self.model._default_manager.in_bulk(ids, field_name=self.external_id_field)
        return [found.get(row.external_id) for row in rows]

    def products_upsert(
        self,
        rows: Iterable[ProductRow],
        *,
        default_category: Sequence[str] | None = None,
        claimed: Collection[tuple[str, Any]] = (),
        batch_size: int = 1000,
    ) -> UpsertResult:
        """Create the products new to the catalog and update those whose values differ, in bulk.

        Rows identical to the stored product write nothing, so importing a file twice is a no-op.
        A new product without a category goes into `default_category` (a path, created if
        missing), because shops usually require one. `claimed` holds the `row_keys` of the whole
        file: a slug made for a new product avoids the slugs the file gives to later rows.
        """
        result = UpsertResult()
        category_id = _memoized(self.category_from_path)
        brand_id = _memoized(self.brand_from_name)
        slug_columns = {c for c, name in self.import_fields().items() if name == self.slug_field}
        reserved = {value for column, value in claimed if column in slug_columns}
        rows = iter(rows)
        while batch := list(islice(rows, batch_size)):
            new: list[tuple[ProductRow, models.Model]] = []
            updated: list[models.Model] = []
            changed: dict[str, None] = {}
            for row, product in zip(batch, self.products_find(batch), strict=True):
                values = self.product_values(
                    row, category_id=category_id(row.category), brand_id=brand_id(row.brand)
                )
                if product is None:
                    fallback = category_id(default_category) if row.category is None else None
                    new.append((row, self._product_new(values, fallback)))
                    continue
                diff = {k: v for k, v in values.items() if getattr(product, k) != v}
                for name, value in diff.items():
                    setattr(product, name, value)
                if diff:
                    changed.update(dict.fromkeys(diff))
                    updated.append(product)
            if new:
                created = self._products_create(new, reserved=reserved)
                result.created += len(created)
                result.ids += [product.pk for product in created]
            if updated:
                self._products_update(updated, list(changed))
                result.updated += len(updated)
                result.ids += [product.pk for product in updated]
        return result

    def _product_new(self, values: dict[str, Any], category_id: int | None) -> models.Model:
        defaults: dict[str, Any] = {}
        if self.price_field:
            defaults[self.price_field] = self.new_product_price
        if self.category_field and category_id is not None:
            defaults[self.model._meta.get_field(self.category_field).attname] = category_id
        return self.model(**{**defaults, **values})

    def _products_create(
        self, new: list[tuple[ProductRow, models.Model]], *, reserved: Collection[str]
    ) -> list[models.Model]:
        products = [product for _, product in new]
        if has_field(self.model, self.slug_field):
            unnamed = [(row, p) for row, p in new if not getattr(p, self.slug_field)]
            bases = [self.product_slug_base(row) for row, _ in unnamed]
            slugs = slug_values(self.model, self.slug_field, bases, reserved=reserved)
            for (_, product), values in zip(unnamed, slugs, strict=True):
                for name, slug in values.items():
                    setattr(product, name, slug)
        return self.model._default_manager.bulk_create(products)

    def _products_update(self, products: list[models.Model], fields: list[str]) -> None:
        """Bulk updates skip `auto_now`; stamping it keeps "last modified" truthful."""
        stamped = [
            f.attname for f in self.model._meta.concrete_fields if getattr(f, "auto_now", False)
        ]
        now = timezone.now()
        for product in products:
            for name in stamped:
                setattr(product, name, now)
        self.model._default_manager.bulk_update(products, [*fields, *stamped])


def _attributes_clean(value: Any) -> dict[str, Any]:
    if isinstance(value, str):

        def reject(constant: str) -> None:
            raise ValidationError(f"{constant} is not allowed in JSON.")

        try:
            value = json.loads(value, parse_constant=reject)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"not valid JSON ({exc.msg}, column {exc.colno}).") from exc
        except RecursionError:
            raise ValidationError(f"nested more than {MAX_JSON_DEPTH} levels deep.") from None
    if not isinstance(value, dict):
        raise ValidationError('must be a JSON object, like {"color": "red"}.')
    problem = json_value_problem(value)
    if problem:
        raise ValidationError(problem)
    return value


def _memoized(find: Callable[[Any], int]) -> Callable[[Any], int | None]:
    """`find` once per key for the whole import; None stays None (nothing to find)."""
    found: dict[Any, int] = {}

    def lookup(key: Any) -> int | None:
        if key is None:
            return None
        if key not in found:
            found[key] = find(key)
        return found[key]

    return lookup
