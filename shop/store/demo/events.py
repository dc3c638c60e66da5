"""`demo_events`: the demo shoppers' whole behaviour log, for the recommendation engine to import.

Nothing but orders and reviews is stored by `seed_demo`; views, searches and cart adds exist only
here. The log is recomputed from the same seed and sizes, so it matches the stored orders and
reviews exactly; ids are looked up in the database, which must have been seeded with those sizes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model

from ..models import Product
from .behaviour import histories_simulate
from .catalog import products_build
from .service import DEFAULT_PRODUCTS, DEFAULT_SEED, DEFAULT_USERS, sizes_check
from .shoppers import shoppers_build


def demo_events(
    *, products: int = DEFAULT_PRODUCTS, users: int = DEFAULT_USERS, seed: int = DEFAULT_SEED
) -> Iterator[dict[str, Any]]:
    """Yields events shopper by shopper (by username), each shopper's in time order.

    Every event has `user` (a user instance, as the domain signals carry it), `session_key` (None),
    `kind` (view, search, cart, purchase or review) and `timestamp` (aware). Then by kind:
    `query` for a search; `product_id` for the others; `quantity` for cart and purchase; `rating`
    (1-5) and `text` for a review. Purchases sharing a timestamp are one order.
    """
    sizes_check(products=products, users=users)
    drafts = list(products_build(products=products, seed=seed))
    shoppers = shoppers_build(users=users, seed=seed)
    stored = Product.objects.filter(external_id__startswith="demo-")
    product_ids, titles = {}, {}
    for external_id, pk, title in stored.values_list("external_id", "pk", "title"):
        product_ids[external_id], titles[external_id] = pk, title
    accounts = get_user_model().objects.in_bulk(
        [s.username for s in shoppers], field_name="username"
    )
    # A product with another title was seeded with another seed: its history would not match.
    unmatched = sum(titles.get(d.external_id) != d.title for d in drafts)
    unmatched += len(shoppers) - len(accounts)
    if unmatched:
        raise LookupError(
            f"{unmatched} demo products or shoppers are missing or differ in the database; run "
            f"`manage.py seed_demo --products {products} --users {users} --seed {seed}` first."
        )
    for history in histories_simulate(drafts, shoppers, seed):
        user = accounts[history.shopper.username]
        for event in history.events:
            item: dict[str, Any] = {
                "user": user,
                "session_key": None,
                "kind": event.kind,
                "timestamp": event.timestamp,
            }
            if event.query is not None:
                item["query"] = event.query
            if event.product is not None:
                item["product_id"] = product_ids[event.product.external_id]
            if event.quantity is not None:
                item["quantity"] = event.quantity
            if event.rating is not None:
                item["rating"] = event.rating
                item["text"] = event.text
            yield item
