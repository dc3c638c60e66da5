"""Products to and from CSV: a streaming export and an all-or-nothing import.

Columns are those of `COLUMNS`; the import needs `REQUIRED` and treats the others as optional. A row
is the product with its `external_id` when it has one, else the product with its slug (generated
from the title when the cell is empty). A cell that is present is written, an empty one writes the
field's default; only empty `external_id` and `slug` cells keep what the product has. Columns left
out of the file are not touched. Categories are paths ("Outdoor > Tents"), so a category name must
not contain ">".
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.utils.text import slugify

from recommendations.imports.errors import RowError
from shop.store.models import Brand, Category, Product

COLUMNS = (
    "external_id",
    "title",
    "slug",
    "description",
    "category",
    "brand",
    "price",
    "currency",
    "stock",
    "attributes",
    "image_url",
    "is_active",
)
REQUIRED = ("title", "category", "price")
CATEGORY_SEPARATOR = " > "
MAX_FILE_BYTES = 20 * 1024 * 1024
TRUE_VALUES = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE_VALUES = frozenset({"0", "false", "f", "no", "n", "off"})


@dataclass
class ImportResult:
    """Counts of a saved import, or the errors of a file of which nothing was saved."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return f"Nothing imported: {len(self.errors)} error(s) in the file."
        return f"Created {self.created}, updated {self.updated}, {self.unchanged} unchanged."


@dataclass
class _Row:
    line: int
    values: dict[str, Any]
    product: Product | None = None


def export_products_csv(queryset: QuerySet[Product]) -> Iterator[str]:
    """Yield the CSV lines of `queryset`, header first, without holding the catalog in memory."""
    paths = _category_paths()
    writer = csv.writer(_Echo())
    yield writer.writerow(COLUMNS)
    products = queryset.select_related("brand").defer("search_vector")
    for product in products.iterator(chunk_size=2000):
        yield writer.writerow(
            [
                product.external_id or "",
                product.title,
                product.slug,
                product.description,
                paths[product.category_id],
                product.brand.name if product.brand else "",
                product.price,
                product.currency,
                product.stock,
                json.dumps(product.attributes, ensure_ascii=False, sort_keys=True),
                product.image_url,
                "true" if product.is_active else "false",
            ]
        )


def import_products_csv(file_obj: IO[bytes]) -> ImportResult:
    """Validate every row of a UTF-8 CSV file, then save all rows in one transaction, or none."""
    text, errors = _read_text(file_obj)
    if not errors:
        rows = _parse_rows(text, errors)
        _match_products(rows, errors)
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda error: error.line))
    with transaction.atomic():
        return _save_rows(rows)


class _Echo:
    """A file whose `write` hands back the line, so `csv.writer` can feed a generator."""

    def write(self, value: str) -> str:
        return value


def _category_paths() -> dict[int, str]:
    """Every category's path in one query; categories are few and products many."""
    categories = {c.pk: c for c in Category.objects.only("pk", "name", "parent_id")}
    paths: dict[int, str] = {}
    for category in categories.values():
        chain, seen, node = [], set(), category
        while node is not None and node.pk not in seen:
            chain.append(node.name)
            seen.add(node.pk)
            node = categories.get(node.parent_id)
        paths[category.pk] = CATEGORY_SEPARATOR.join(reversed(chain))
    return paths


def _read_text(file_obj: IO[bytes]) -> tuple[str, list[RowError]]:
    data = file_obj.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return "", [RowError(1, f"The file is larger than {MAX_FILE_BYTES // 2**20} MB.")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return "", [RowError(line, "The file is not UTF-8 text; save it as CSV UTF-8.")]


def _parse_rows(text: str, errors: list[RowError]) -> list[_Row]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    unknown = sorted(set(header) - set(COLUMNS))
    missing = [name for name in REQUIRED if name not in header]
    repeated = sorted({name for name in header if header.count(name) > 1})
    for problem, names in [
        ("unknown column(s)", unknown),
        ("missing required column(s)", missing),
        ("repeated column(s)", repeated),
    ]:
        if names:
            quoted = ", ".join(f"“{name}”" for name in names)
            errors.append(RowError(1, f"Header: {problem}: {quoted}."))
    if errors:
        return []
    rows, line = [], reader.line_num + 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                row = _parse_row(line, header, cells, errors)
                if row is not None:
                    rows.append(row)
            line = reader.line_num + 1
    except csv.Error as exc:
        errors.append(RowError(line, f"not readable as CSV ({exc})."))
    return rows


def _parse_row(
    line: int, header: list[str], cells: list[str], errors: list[RowError]
) -> _Row | None:
    if len(cells) != len(header):
        errors.append(RowError(line, f"{len(cells)} fields, but the header has {len(header)}."))
        return None
    values: dict[str, Any] = {}
    before = len(errors)
    for name, cell in zip(header, cells, strict=True):
        raw = cell if name == "description" else cell.strip()
        if not raw and name in REQUIRED:
            errors.append(RowError(line, f"{name}: required."))
            continue
        try:
            values[name] = _parse_cell(name, raw)
        except ValidationError as exc:
            errors.append(RowError(line, f"{name}: {' '.join(exc.messages)}"))
    if len(errors) > before:
        return None
    for name in ("external_id", "slug"):
        if not values.get(name):
            values.pop(name, None)
    if "external_id" not in values and "slug" not in values:
        values["slug"] = slugify(values["title"])[: _slug_length(Product)].strip("-")
        if not values["slug"]:
            errors.append(RowError(line, "slug: cannot be made from the title; fill it in."))
            return None
    return _Row(line, values)


def _parse_cell(name: str, raw: str) -> Any:
    """The value of one cell; raises ValidationError with the reason it is not valid."""
    if name == "category":
        segments = tuple(segment.strip() for segment in raw.split(CATEGORY_SEPARATOR.strip()))
        if not all(segments):
            raise ValidationError(f"“{raw}” has an empty part; write paths like “Outdoor > Tents”.")
        return tuple(Category._meta.get_field("name").clean(s, None) for s in segments)
    if name == "brand":
        return Brand._meta.get_field("name").clean(raw, None) if raw else None
    if name == "attributes":
        return _parse_attributes(raw)
    if name == "is_active":
        return _parse_bool(raw)
    model_field = Product._meta.get_field(name)
    if not raw:
        return model_field.get_default()
    return model_field.clean(raw.upper() if name == "currency" else raw, None)


def _parse_attributes(raw: str) -> dict:
    def reject(constant: str) -> None:
        raise ValidationError(f"{constant} is not allowed in JSON.")

    try:
        value = json.loads(raw, parse_constant=reject) if raw else {}
    except json.JSONDecodeError as exc:
        raise ValidationError(f"not valid JSON ({exc.msg}, column {exc.colno}).") from exc
    if not isinstance(value, dict):
        raise ValidationError('must be a JSON object, like {"color": "red"}.')
    return value


def _parse_bool(raw: str) -> bool:
    if not raw or raw.lower() in TRUE_VALUES:
        return True
    if raw.lower() in FALSE_VALUES:
        return False
    raise ValidationError(f"“{raw}” is not a yes/no value (true/false, 1/0, yes/no).")


def _match_products(rows: list[_Row], errors: list[RowError]) -> None:
    """Find the product each row updates and give new products a slug no other product has."""
    external_ids = [row.values["external_id"] for row in rows if "external_id" in row.values]
    slugs = [row.values["slug"] for row in rows if "slug" in row.values]
    by_external_id = Product.objects.in_bulk(external_ids, field_name="external_id")
    by_slug = Product.objects.in_bulk(slugs, field_name="slug")
    line_of_product: dict[int, int] = {}
    line_of_slug: dict[str, int] = {}
    line_of_external_id: dict[str, int] = {}
    for row in rows:
        external_id, slug = row.values.get("external_id"), row.values.get("slug")
        if external_id in line_of_external_id:
            errors.append(
                RowError(
                    row.line,
                    f"external_id “{external_id}” repeats line {line_of_external_id[external_id]}.",
                )
            )
            continue
        if external_id:
            line_of_external_id[external_id] = row.line
        row.product = by_external_id.get(external_id) if external_id else by_slug.get(slug)
        if row.product is not None:
            if row.product.pk in line_of_product:
                errors.append(
                    RowError(row.line, f"same product as line {line_of_product[row.product.pk]}.")
                )
                continue
            line_of_product[row.product.pk] = row.line
        if slug is None:
            continue
        owner = by_slug.get(slug)
        if slug in line_of_slug:
            errors.append(RowError(row.line, f"slug “{slug}” repeats line {line_of_slug[slug]}."))
        elif owner is not None and owner != row.product:
            errors.append(
                RowError(row.line, f"slug “{slug}” belongs to another product, “{owner}”.")
            )
        line_of_slug[slug] = row.line
    for row in rows:
        if row.product is None and "slug" not in row.values:
            base = slugify(row.values["title"])[: _slug_length(Product)].strip("-") or "product"
            row.values["slug"] = _unique_slug(Product, base, taken=line_of_slug.keys())
            line_of_slug[row.values["slug"]] = row.line


def _save_rows(rows: list[_Row]) -> ImportResult:
    result = ImportResult()
    categories: dict[tuple[str, ...], Category] = {}
    brands: dict[str, Brand] = {}
    for row in rows:
        product = row.product or Product()
        changed = product.pk is None
        for name, value in row.values.items():
            if name == "category":
                value = _category_for_path(value, categories)
            elif name == "brand" and value is not None:
                if value not in brands:
                    brands[value] = _brand_named(value)
                value = brands[value]
            attname = Product._meta.get_field(name).attname
            stored = value.pk if isinstance(value, models.Model) else value
            if getattr(product, attname) != stored:
                setattr(product, name, value)
                changed = True
        if not changed:
            result.unchanged += 1
            continue
        if product.pk is None:
            result.created += 1
        else:
            result.updated += 1
        product.save()
    return result


def _category_for_path(path: tuple[str, ...], cache: dict[tuple[str, ...], Category]) -> Category:
    """The category at `path`, creating the missing segments under their parents."""
    parent = None
    for depth in range(1, len(path) + 1):
        if path[:depth] not in cache:
            name = path[depth - 1]
            category = Category.objects.filter(parent=parent, name=name).first()
            if category is None:
                slug = _unique_slug(Category, slugify(name) or "category")
                category = Category.objects.create(name=name, slug=slug, parent=parent)
            cache[path[:depth]] = category
        parent = cache[path[:depth]]
    return parent


def _brand_named(name: str) -> Brand:
    brand = Brand.objects.filter(name=name).first()
    if brand is None:
        brand = Brand.objects.create(name=name, slug=_unique_slug(Brand, slugify(name) or "brand"))
    return brand


def _slug_length(model: type[models.Model]) -> int:
    return model._meta.get_field("slug").max_length


def _unique_slug(model: type[models.Model], base: str, *, taken: Container[str] = ()) -> str:
    """`base`, else `base-2`, `base-3`, …: the first that neither `taken` nor the table has."""
    candidate, number = base, 1
    while candidate in taken or model.objects.filter(slug=candidate).exists():
        number += 1
        suffix = f"-{number}"
        candidate = base[: _slug_length(model) - len(suffix)] + suffix
    return candidate
