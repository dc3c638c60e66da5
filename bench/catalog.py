"""The bench catalog: N demo products from `seed_demo`, reused when the database already has N."""

from __future__ import annotations

import sys

from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from recommendations.ranking import Filters
from shop.store.models import Brand, Product

from .progress import log

BENCH_DATABASE = "bench"
# The demo-size catalog the for-you p99 target is measured on (`bench/demo.py`).
DEMO_DATABASE = "bench_demo"


class BenchError(Exception):
    """A condition the bench cannot run under; the message says what to do."""


def database_check() -> None:
    """The bench deletes and bulk-writes products and vectors: never on the development data."""
    name = connection.settings_dict["NAME"]
    if name not in (BENCH_DATABASE, DEMO_DATABASE):
        raise BenchError(
            f"refusing to run on database {name!r}: the bench rewrites products and vectors. "
            f"Run it with SHOP_DB_NAME={BENCH_DATABASE} (the default) and without DATABASE_URL."
        )


def database_migrate() -> None:
    call_command("migrate", verbosity=0)


def catalog_ensure(products: int, *, users: int = 0) -> bool:
    """Seed exactly `products` demo products (and `users` demo shoppers with their history);
    returns whether the catalog was (re)built.

    `seed_demo` never deletes, so a catalog of another size is emptied first; the demo product
    number n is the same in any run, so the catalog is the same for the same size.
    """
    count = Product.objects.count()
    if count == products:
        log(f"catalog: reusing the {count} products of the bench database")
        return False
    if count:
        log(f"catalog: {count} products stored, {products} wanted: emptying the product table")
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(Product._meta.db_table)} CASCADE")
    log(f"catalog: seeding {products} demo products")
    try:
        call_command("seed_demo", products=products, users=users, stdout=sys.stderr)
    except CommandError as error:
        raise BenchError(f"manage.py seed_demo failed: {error}") from error
    return True


def active_product_ids(*, brand: Brand | None = None) -> list[int]:
    """The products the API shows (it answers 404 for an inactive one), of one brand or all."""
    products = Product.objects.filter(is_active=True)
    if brand is not None:
        products = products.filter(brand=brand)
    return list(products.order_by("pk").values_list("pk", flat=True))


def product_ids() -> list[int]:
    return list(Product.objects.order_by("pk").values_list("pk", flat=True))


def filter_share(filters: Filters) -> float:
    """The share of the catalog a search with `filters` may return."""
    return Product.objects.filter(filters.q()).count() / Product.objects.count()


def brand_near_share(share: float) -> Brand:
    """The brand whose available products are closest to `share` of the catalog."""
    total = Product.objects.count()
    counts = (
        Product.objects.filter(Filters().q())
        .exclude(brand=None)
        .values("brand_id")
        .annotate(n=Count("pk"))
        .values_list("brand_id", "n")
    )
    brand_id, _ = min(counts, key=lambda row: abs(row[1] / total - share))
    return Brand.objects.get(pk=brand_id)
