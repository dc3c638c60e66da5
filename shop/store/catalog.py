"""Catalog selectors: what shoppers can see, filtered, sorted and searched.

Everything starts from ``visible_products`` so an inactive product can never leak onto a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Avg, Case, Count, F, FloatField, QuerySet, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from recommendations.factories import get_adapter
from recommendations.ranking import Filters
from recommendations.search import query_clean, search_rank

from .models import Brand, Category, Product

SORTS = {
    "relevance": gettext_lazy("Relevance"),
    "newest": gettext_lazy("Newest"),
    "price_asc": gettext_lazy("Price: low to high"),
    "price_desc": gettext_lazy("Price: high to low"),
    "title": gettext_lazy("Title"),
    "rating": gettext_lazy("Customer rating"),
}
# The most results a search lists (ten pages): beyond them, the words match too loosely to help.
SEARCH_LIMIT = 240
# The header's categories, kept in the shared cache: every page shows them and they seldom
# change. A save or delete forgets them; the timeout bounds what a raw SQL edit leaves stale.
NAV_CACHE_KEY = "store:nav-categories"
NAV_CACHE_SECONDS = 600
_ORDERINGS = {
    "relevance": [F("rank").desc(nulls_last=True), "-created_at"],
    "newest": ["-created_at"],
    "price_asc": ["price"],
    "price_desc": ["-price"],
    "title": ["title"],
    "rating": [F("avg_rating").desc(nulls_last=True), "-review_count"],
}


@dataclass(frozen=True)
class ListingFilters:
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    brands: tuple[str, ...] = ()
    in_stock: bool = False
    sort: str = "newest"


def visible_products() -> QuerySet[Product]:
    """Active products with what a product card shows: category, brand and rating."""
    return (
        Product.objects.active()
        .select_related("category", "brand")
        .annotate(avg_rating=Avg("reviews__rating"), review_count=Count("reviews"))
    )


def product_page_products() -> QuerySet[Product]:
    """A product page's row holds its category chain as well: the breadcrumbs show it, and the
    engine's widgets take the row as it is instead of reading it again."""
    return visible_products().select_related(*get_adapter().related_paths())


def category_products(category: Category) -> QuerySet[Product]:
    """A category page lists its sub-categories' products too."""
    return visible_products().filter(category_id__in=category.descendant_ids())


def search_query_clean(raw: str, *, max_length: int = 200) -> str:
    """PostgreSQL rejects NUL bytes in text, and a pasted essay is not a search."""
    return query_clean(raw, max_length=max_length)


@dataclass(frozen=True)
class SearchResults:
    """A search as the store lists it: ranked products (``rank``) and how the words were read."""

    products: QuerySet[Product]
    # Nothing matched: these are the products closest in meaning.
    related: bool = False
    # The words searched instead of a misspelt query ("" when as typed).
    searched_for: str = ""
    # Parts of the query that could not be used, in words.
    notices: tuple[str, ...] = ()
    # Nothing to search for: only common words.
    empty: bool = False


def search_products(query: str) -> SearchResults:
    """The engine's search (full text, meaning, typos, "under 100" and brands in the words)
    over the visible catalog, with its fused score as ``rank`` for the relevance sort.

    ``search_vector`` (through the store's product adapter) weights the title above the
    description, so title matches rank first; websearch syntax ("quoted phrases",
    -exclusions, or) is honoured.
    """
    ranking = search_rank(
        query,
        filters=Filters(include_out_of_stock=True),
        limit=SEARCH_LIMIT,
        queryset=Product.objects.active(),
    )
    rank = Case(
        *(When(pk=pk, then=Value(score)) for pk, score in ranking.ranked),
        default=None,
        output_field=FloatField(),
    )
    products = visible_products().filter(pk__in=dict(ranking.ranked)).annotate(rank=rank)
    return SearchResults(
        products=products,
        related=ranking.related,
        searched_for=ranking.text if ranking.corrected else "",
        notices=tuple(ranking.problems),
        empty=ranking.empty,
    )


def products_filter(products: QuerySet[Product], filters: ListingFilters) -> QuerySet[Product]:
    """Applies the shopper's filters and sort; the primary key keeps pagination stable."""
    if filters.min_price is not None:
        products = products.filter(price__gte=filters.min_price)
    if filters.max_price is not None:
        products = products.filter(price__lte=filters.max_price)
    if filters.brands:
        products = products.filter(brand__slug__in=filters.brands)
    if filters.in_stock:
        products = products.in_stock()
    return products.order_by(*_ORDERINGS[filters.sort], "pk")


def brands_of(products: QuerySet[Product]) -> QuerySet[Brand]:
    """Brands worth offering as a filter: those of the products being listed."""
    return Brand.objects.filter(pk__in=products.values("brand_id")).order_by("name")


def top_categories() -> QuerySet[Category]:
    return Category.objects.filter(parent__isnull=True).order_by("name")


def nav_categories() -> list[Category]:
    categories = cache.get(NAV_CACHE_KEY)
    if categories is None:
        categories = list(top_categories())
        cache.set(NAV_CACHE_KEY, categories, timeout=NAV_CACHE_SECONDS)
    return categories


def nav_categories_forget(**kwargs) -> None:
    """Now, and again on commit: a page rendered in between may have cached the old list."""
    cache.delete(NAV_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(NAV_CACHE_KEY))


def home_sections(*, per_section: int = 4) -> list[tuple[Category, list[Product]]]:
    """Newest products of each top-level category; empty categories are left out."""
    sections = []
    for category in top_categories():
        products = list(category_products(category).order_by("-created_at", "pk")[:per_section])
        if products:
            sections.append((category, products))
    return sections


def new_arrivals(*, limit: int = 8) -> list[Product]:
    return list(visible_products().order_by("-created_at", "pk")[:limit])


def product_attributes(product: Product) -> list[tuple[str, str]]:
    """Rows of the attributes table, sorted by name because jsonb does not keep key order.

    The JSON comes from imports, so any shape is tolerated.
    """
    if not isinstance(product.attributes, dict):
        return []
    return sorted(
        (str(key).replace("_", " ").capitalize(), _attribute_text(value))
        for key, value in product.attributes.items()
        if value not in (None, "", [], {})
    )


def _attribute_text(value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(_attribute_text(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_attribute_text(item)}" for key, item in value.items())
    return str(value)
