"""`seed_demo`: fills the store with the demo catalog, shoppers and their history, idempotently."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from tqdm import tqdm

from . import writes
from .behaviour import KINDS, histories_simulate
from .catalog import ProductDraft, brands_build, categories_build, products_build
from .shoppers import shoppers_build

DEFAULT_PRODUCTS = 1000
DEFAULT_USERS = 300
DEFAULT_SEED = 42
# Shoppers simulated and written together: their orders and reviews are one set of queries.
SHOPPER_BATCH = 500


class SeedOptionsError(ValueError):
    """A size the demo cannot be built with; the command shows the message as it is."""


@dataclass(frozen=True)
class SeedReport:
    """What the demo data set holds (not what this run added: a re-run reports the same)."""

    categories: int
    top_level_categories: int
    brands: int
    products: int
    shoppers: int
    orders: int
    order_lines: int
    reviews: int
    events: dict[str, int]

    def __str__(self) -> str:
        events = ", ".join(f"{self.events.get(kind, 0)} {kind}" for kind in KINDS)
        return (
            f"{self.products} products in {self.categories} categories "
            f"({self.top_level_categories} top-level), {self.brands} brands, "
            f"{self.shoppers} shoppers, {self.orders} orders ({self.order_lines} lines), "
            f"{self.reviews} reviews; events: {events}"
        )


def sizes_check(*, products: int, users: int) -> None:
    if products < 1:
        raise SeedOptionsError(f"The number of products must be at least 1, got {products}.")
    if users < 0:
        raise SeedOptionsError(f"The number of users must be 0 or more, got {users}.")


def seed_demo(
    *,
    products: int = DEFAULT_PRODUCTS,
    users: int = DEFAULT_USERS,
    seed: int = DEFAULT_SEED,
    progress: bool = False,
) -> SeedReport:
    """Writes everything in one transaction: a failed run leaves the database as it was.

    Shoppers are users `shopper0001`... with the password `writes.SHOPPER_PASSWORD`. Their
    behaviour is not sent as domain signals: orders and reviews are stored here, and
    `demo_events` yields the whole log (views, searches, carts too) for the engine to import.
    """
    sizes_check(products=products, users=users)
    categories = categories_build()
    brands = brands_build()
    shoppers = shoppers_build(users=users, seed=seed)
    drafts: list[ProductDraft] = []
    product_ids: dict[int, int] = {}
    counts: Counter[str] = Counter()
    orders = 0
    with transaction.atomic():
        category_ids = writes.categories_write(categories)
        brand_ids = writes.brands_write(brands)
        with progress_bar(progress, total=products, desc="products") as bar:
            for batch in writes.chunked(products_build(products=products, seed=seed)):
                product_ids.update(writes.products_write(batch, category_ids, brand_ids))
                drafts.extend(batch)
                bar.update(len(batch))
        with progress_bar(progress, total=users, desc="shoppers") as bar:
            user_ids: dict[str, int] = {}
            password = writes.shopper_password_hash()
            for batch in writes.chunked(shoppers):
                user_ids.update(writes.shoppers_write(batch, password=password))
                bar.update(len(batch))
        with progress_bar(progress, total=users, desc="history") as bar:
            histories = histories_simulate(drafts, shoppers, seed)
            for batch in writes.chunked(histories, SHOPPER_BATCH):
                writes.orders_write(batch, product_ids, user_ids)
                writes.reviews_write(batch, product_ids, user_ids)
                for history in batch:
                    counts.update(event.kind for event in history.events)
                    orders += len({e.timestamp for e in history.events if e.kind == "purchase"})
                bar.update(len(batch))
    return SeedReport(
        categories=len(categories),
        top_level_categories=sum(1 for c in categories if c.parent_slug is None),
        brands=len(brands),
        products=products,
        shoppers=users,
        orders=orders,
        order_lines=counts["purchase"],
        reviews=counts["review"],
        events={kind: counts[kind] for kind in KINDS},
    )


def progress_bar(enabled: bool, *, total: int, desc: str) -> tqdm:
    return tqdm(total=total, desc=desc, unit="", disable=not enabled, file=sys.stderr)
