"""The session cart: product id → quantity in the session, prices always read from the database.

Keeping only ids and quantities in the session means a price or title change, or a product taken
off sale, shows up on the next page view instead of being trusted from stale session data.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.sessions.backends.base import SessionBase

from recommendations.signals import added_to_cart, removed_from_cart

from .events import Actor, event_send
from .models import Product

SESSION_KEY = "cart"
MAX_QUANTITY = 99


@dataclass(frozen=True)
class CartLine:
    product: Product
    quantity: int

    @property
    def line_total(self) -> Decimal:
        return self.product.price * self.quantity

    @property
    def exceeds_stock(self) -> bool:
        return self.quantity > self.product.stock


@dataclass(frozen=True)
class Cart:
    lines: list[CartLine]

    @property
    def count(self) -> int:
        return sum(line.quantity for line in self.lines)

    @property
    def totals(self) -> dict[str, Decimal]:
        """One total per currency: the catalog may mix currencies and they must not be added."""
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for line in self.lines:
            totals[line.product.currency] += line.line_total
        return dict(totals)

    @property
    def has_stock_problem(self) -> bool:
        return any(line.exceeds_stock for line in self.lines)


def cart_quantities(session: SessionBase) -> dict[int, int]:
    """Reads defensively: session data outlives deployments and must never break a page."""
    quantities = {}
    for key, value in dict(session.get(SESSION_KEY) or {}).items():
        try:
            product_id, quantity = int(key), int(value)
        except (TypeError, ValueError):
            continue
        if quantity > 0:
            quantities[product_id] = min(quantity, MAX_QUANTITY)
    return quantities


def cart_count(session: SessionBase) -> int:
    return sum(cart_quantities(session).values())


def cart_contents(session: SessionBase) -> Cart:
    """Drops products that were deleted or deactivated since they were added."""
    quantities = cart_quantities(session)
    products = Product.objects.active().select_related("category").in_bulk(list(quantities))
    kept = {pid: qty for pid, qty in quantities.items() if pid in products}
    if len(kept) != len(quantities):
        _cart_store(session, kept)
    return Cart(lines=[CartLine(products[pid], qty) for pid, qty in kept.items()])


def cart_set_quantity(
    session: SessionBase, *, actor: Actor, product: Product, quantity: int
) -> None:
    """Sets the line to ``quantity`` (0 removes it) and reports the change as a delta.

    Callers validate the quantity against stock with ``QuantityForm``; the session only records it.
    """
    quantities = cart_quantities(session)
    delta = quantity - quantities.get(product.pk, 0)
    if quantity > 0:
        quantities[product.pk] = quantity
    else:
        quantities.pop(product.pk, None)
    _cart_store(session, quantities)
    if delta > 0:
        event_send(added_to_cart, sender=Product, actor=actor, product=product, quantity=delta)
    elif delta < 0:
        event_send(removed_from_cart, sender=Product, actor=actor, product=product, quantity=-delta)


def cart_clear(session: SessionBase) -> None:
    """Empties the cart after an order; not a removal, so no signal is sent."""
    session.pop(SESSION_KEY, None)


def _cart_store(session: SessionBase, quantities: dict[int, int]) -> None:
    # JSON session serialisation turns int keys into strings anyway; be explicit about it.
    session[SESSION_KEY] = {str(pid): qty for pid, qty in quantities.items()}
