"""Writes the demo data in batches, keyed by natural keys, so running again changes nothing.

Rows are compared with what is stored first (one query per batch) and only new or changed rows are
upserted: a re-run writes nothing and leaves `updated_at` alone, while a product whose text changed
gets a fresh `updated_at` for anything that re-indexes changed products.

Categories, brands, products and accounts are never deleted (a smaller run leaves the extra ones).
A seeded shopper's orders and reviews inside the history window are made to match the plan
exactly, stale ones deleted, so they always agree with `demo_events` even after a run with another
seed or size; activity outside the window, like orders placed in the running demo, is left alone.
Orders have no unique key in the schema: a shopper's order is identified by its timestamp (one
checkout per hour at most) and compared with its lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import islice
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Model, QuerySet

from ..catalog import nav_categories_forget
from ..models import Brand, Category, Order, OrderLine, Product, Review
from .behaviour import History
from .catalog import BrandDraft, CategoryDraft, ProductDraft
from .shoppers import HISTORY_END, HISTORY_START, Shopper

BATCH_SIZE = 2000
# Demo shoppers can sign in with this password to see their recommendations (documented in the
# command's help). Hashed once with a fixed salt: 20,000 separate hashes would take minutes, and
# the stored hash stays the same from run to run.
SHOPPER_PASSWORD = "demo-shopper"
SHOPPER_PASSWORD_SALT = "demoshopperseed"
SHIPPING_DAYS = 2
ORDER_FIELDS = (
    "user_id", "created_at", "status", "full_name", "email", "address", "currency", "total",
)  # fmt: skip
PRODUCT_FIELDS = (
    "title", "slug", "description", "category_id", "brand_id", "price", "currency", "stock",
    "attributes", "image_url", "is_active",
)  # fmt: skip
LINE_FIELDS = ("product_id", "title", "unit_price", "quantity")

T = TypeVar("T")


def chunked(items: Iterable[T], size: int = BATCH_SIZE) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def rows_sync(
    rows: Sequence[Model],
    *,
    key: tuple[str, ...],
    fields: tuple[str, ...],
    stored: QuerySet,
    touch: tuple[str, ...] = (),
) -> dict[tuple, int]:
    """Upserts the rows that are new or differ from `stored` and returns every row's id by key.

    `key` and `fields` are attribute names (`category_id`, not `category`); `touch` names fields
    rewritten only with a change, like `updated_at`.
    """
    current = {tuple(row[k] for k in key): row for row in stored.values("pk", *key, *fields)}
    changed = []
    for row in rows:
        before = current.get(tuple(getattr(row, k) for k in key))
        if before is None or any(getattr(row, f) != before[f] for f in fields):
            changed.append(row)
    if changed:
        type(changed[0]).objects.bulk_create(
            changed,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=key,
            update_fields=(*fields, *touch),
        )
    ids = {k: row["pk"] for k, row in current.items()}
    ids.update({tuple(getattr(row, k) for k in key): row.pk for row in changed})
    return ids


def categories_write(drafts: Sequence[CategoryDraft]) -> dict[str, int]:
    """Level by level, so every parent has an id before its children are written."""
    ids: dict[str, int] = {}
    for depth in sorted({d.depth for d in drafts}):
        rows = [
            Category(
                slug=d.slug,
                name=d.name,
                parent_id=ids[d.parent_slug] if d.parent_slug else None,
                description=d.description,
            )
            for d in drafts
            if d.depth == depth
        ]
        stored = Category.objects.filter(slug__in=[row.slug for row in rows])
        written = rows_sync(
            rows, key=("slug",), fields=("name", "parent_id", "description"), stored=stored
        )
        ids.update({slug: pk for (slug,), pk in written.items()})
    # Written in bulk, without signals.
    nav_categories_forget()
    return ids


def brands_write(drafts: Sequence[BrandDraft]) -> dict[str, int]:
    rows = [Brand(slug=d.slug, name=d.name) for d in drafts]
    stored = Brand.objects.filter(slug__in=[d.slug for d in drafts])
    written = rows_sync(rows, key=("slug",), fields=("name",), stored=stored)
    slug_to_name = {d.slug: d.name for d in drafts}
    return {slug_to_name[slug]: pk for (slug,), pk in written.items()}


def products_write(
    drafts: Sequence[ProductDraft], category_ids: dict[str, int], brand_ids: dict[str, int]
) -> dict[int, int]:
    """Returns product ids by draft number."""
    rows = [
        Product(
            external_id=d.external_id,
            title=d.title,
            slug=d.slug,
            description=d.description,
            category_id=category_ids[d.category_slug],
            brand_id=brand_ids[d.brand_name],
            price=d.price,
            currency="EUR",
            stock=d.stock,
            attributes=d.attributes,
            image_url="",
            is_active=d.is_active,
        )
        for d in drafts
    ]
    stored = Product.objects.filter(external_id__in=[d.external_id for d in drafts])
    written = rows_sync(
        rows, key=("external_id",), fields=PRODUCT_FIELDS, stored=stored, touch=("updated_at",)
    )
    return {d.number: written[(d.external_id,)] for d in drafts}


def shopper_password_hash() -> str:
    return make_password(SHOPPER_PASSWORD, salt=SHOPPER_PASSWORD_SALT)


def shoppers_write(shoppers: Sequence[Shopper], *, password: str) -> dict[str, int]:
    """Returns user ids by username. Existing accounts keep their password and join date."""
    User = get_user_model()
    rows = [
        User(
            username=s.username,
            first_name=s.first_name,
            last_name=s.last_name,
            email=s.email,
            password=password,
            date_joined=s.date_joined,
        )
        for s in shoppers
    ]
    stored = User.objects.filter(username__in=[s.username for s in shoppers])
    written = rows_sync(
        rows, key=("username",), fields=("first_name", "last_name", "email"), stored=stored
    )
    return {username: pk for (username,), pk in written.items()}


def orders_planned(
    history: History, user_id: int, product_ids: dict[int, int]
) -> dict[tuple, tuple[Order, list[OrderLine]]]:
    """Each checkout (purchases sharing a timestamp) as an unsaved order with its lines."""
    shopper = history.shopper
    baskets: dict[datetime, list[OrderLine]] = {}
    for event in history.events:
        if event.kind == "purchase":
            baskets.setdefault(event.timestamp, []).append(
                OrderLine(
                    product_id=product_ids[event.product.number],
                    title=event.product.title,
                    unit_price=event.product.price,
                    quantity=event.quantity,
                )
            )
    planned = {}
    for created_at, lines in baskets.items():
        shipped = created_at < HISTORY_END - timedelta(days=SHIPPING_DAYS)
        order = Order(
            user_id=user_id,
            status=Order.Status.SHIPPED if shipped else Order.Status.PLACED,
            full_name=f"{shopper.first_name} {shopper.last_name}",
            email=shopper.email,
            address=shopper.address,
            currency="EUR",
            total=sum((line.unit_price * line.quantity for line in lines), Decimal("0.00")),
            created_at=created_at,
        )
        planned[(user_id, created_at)] = (order, lines)
    return planned


def order_signature(order: Order, lines: Iterable[OrderLine]) -> tuple:
    """What a stored order must equal to be kept, whatever the ids and the order of its lines."""
    head = tuple(getattr(order, f) for f in ORDER_FIELDS)
    return head, Counter(tuple(getattr(line, f) for f in LINE_FIELDS) for line in lines)


def orders_write(
    histories: Sequence[History], product_ids: dict[int, int], user_ids: dict[str, int]
) -> None:
    """Makes these shoppers' orders in the history window exactly the planned ones.

    Stored orders are matched by (user, created_at) and compared with their lines; a missing or
    different one is (re)written, one no longer planned is deleted. Orders outside the window, such
    as ones placed in the running demo shop, are left alone.
    """
    planned: dict[tuple, tuple[Order, list[OrderLine]]] = {}
    for history in histories:
        user_id = user_ids[history.shopper.username]
        planned.update(orders_planned(history, user_id, product_ids))
    stored_orders = Order.objects.filter(
        user_id__in=[user_ids[h.shopper.username] for h in histories],
        created_at__gte=HISTORY_START,
        created_at__lt=HISTORY_END,
    )
    stored_lines: dict[int, list[tuple]] = {}
    lines_query = OrderLine.objects.filter(order__in=stored_orders)
    for order_id, *line in lines_query.values_list("order_id", *LINE_FIELDS):
        stored_lines.setdefault(order_id, []).append(tuple(line))
    kept, stale = set(), []
    for pk, *fields in stored_orders.values_list("pk", *ORDER_FIELDS):
        key = (fields[0], fields[1])
        same = (
            key in planned
            and key not in kept
            and (tuple(fields), Counter(stored_lines.get(pk, []))) == order_signature(*planned[key])
        )
        if same:
            kept.add(key)
        else:
            stale.append(pk)
    Order.objects.filter(pk__in=stale).delete()
    missing = [planned[key] for key in planned if key not in kept]
    Order.objects.bulk_create([order for order, _ in missing], batch_size=BATCH_SIZE)
    for order, lines in missing:
        for line in lines:
            line.order_id = order.pk
    OrderLine.objects.bulk_create(
        [line for _, lines in missing for line in lines], batch_size=BATCH_SIZE
    )


def reviews_write(
    histories: Sequence[History], product_ids: dict[int, int], user_ids: dict[str, int]
) -> None:
    """Upserts the planned reviews; these shoppers' other reviews in the window are deleted."""
    rows = [
        Review(
            product_id=product_ids[event.product.number],
            user_id=user_ids[history.shopper.username],
            rating=event.rating,
            text=event.text,
            created_at=event.timestamp,
        )
        for history in histories
        for event in history.events
        if event.kind == "review"
    ]
    stored = Review.objects.filter(user_id__in=[user_ids[h.shopper.username] for h in histories])
    written = rows_sync(
        rows, key=("product_id", "user_id"), fields=("rating", "text", "created_at"), stored=stored
    )
    planned_ids = [written[(row.product_id, row.user_id)] for row in rows]
    in_window = stored.filter(created_at__gte=HISTORY_START, created_at__lt=HISTORY_END)
    in_window.exclude(pk__in=planned_ids).delete()
