"""Order placement: the cart's quantities become an Order in one transaction, or a clear refusal.

Stock is locked with SELECT ... FOR UPDATE so two shoppers buying the last item cannot both succeed;
prices are read under the same lock, never taken from the cart. The checkout token makes placing
idempotent, and the confirmation e-mail is an outbox row of the same transaction, so neither a
resubmitted form nor a broker outage can double or lose anything.
"""

from __future__ import annotations

import uuid
from functools import partial

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from recommendations.queueing import enqueue
from recommendations.signals import order_placed

from .events import Actor, event_send
from .models import Order, OrderLine, PendingConfirmation, Product
from .tasks import send_order_confirmation

TOKEN_SESSION_KEY = "checkout_token"


def checkout_token(session: SessionBase) -> uuid.UUID:
    """The current cart's idempotency key: the same until an order is placed with it, so every
    submission of this cart (another tab, a double click, a retry) names the same order."""
    try:
        return uuid.UUID(str(session[TOKEN_SESSION_KEY]))
    except (KeyError, ValueError):
        token = uuid.uuid4()
        session[TOKEN_SESSION_KEY] = str(token)
        return token


def checkout_token_forget(session: SessionBase) -> None:
    """After the order: the next cart is a new checkout."""
    session.pop(TOKEN_SESSION_KEY, None)


class CheckoutError(Exception):
    """Why the cart cannot become an order; the message is shown to the shopper as is."""


def order_place(
    *,
    actor: Actor,
    quantities: dict[int, int],
    full_name: str,
    email: str,
    address: str,
    token: uuid.UUID | None = None,
) -> Order:
    """Creates the order and its lines and decrements stock; nothing changes if any check fails.

    An order already placed with ``token`` is returned as it is. ``order_placed`` is sent only
    after the transaction commits, so receivers never see an order that was rolled back.
    """
    if actor.user is None:
        raise ValueError("Orders belong to an account: actor.user must be set.")
    placed = _order_placed_with(actor, token)
    if placed is not None:
        return placed
    if not quantities:
        raise CheckoutError(_("Your cart is empty."))
    try:
        return _order_create(
            actor=actor,
            quantities=quantities,
            full_name=full_name,
            email=email,
            address=address,
            token=token,
        )
    except IntegrityError:
        # The same checkout committed in a concurrent request between our check and our insert.
        placed = _order_placed_with(actor, token)
        if placed is None:
            raise
        return placed


def _order_placed_with(actor: Actor, token: uuid.UUID | None) -> Order | None:
    if token is None:
        return None
    return Order.objects.filter(user=actor.user, checkout_token=token).first()


def _order_create(
    *,
    actor: Actor,
    quantities: dict[int, int],
    full_name: str,
    email: str,
    address: str,
    token: uuid.UUID | None,
) -> Order:
    with transaction.atomic():
        # Lock in primary-key order so concurrent checkouts cannot deadlock each other.
        products = list(
            Product.objects.active().select_for_update().filter(pk__in=quantities).order_by("pk")
        )
        # A concurrent submission of the same checkout held these locks until it committed.
        placed = _order_placed_with(actor, token)
        if placed is not None:
            return placed
        _check_cart(products, quantities)
        for product in products:
            product.stock -= quantities[product.pk]
        Product.objects.bulk_update(products, ["stock"])
        order = Order.objects.create(
            user=actor.user,
            full_name=full_name,
            email=email,
            address=address,
            currency=products[0].currency,
            total=sum(p.price * quantities[p.pk] for p in products),
            checkout_token=token,
        )
        OrderLine.objects.bulk_create(
            OrderLine(
                order=order,
                product=p,
                title=p.title,
                unit_price=p.price,
                quantity=quantities[p.pk],
            )
            for p in products
        )
        lines = [(p, quantities[p.pk]) for p in products]
        transaction.on_commit(
            partial(event_send, order_placed, sender=Order, actor=actor, order=order, lines=lines)
        )
        PendingConfirmation.objects.create(order=order)
        enqueue(send_order_confirmation, order.pk)
    return order


def _check_cart(products: list[Product], quantities: dict[int, int]) -> None:
    if len(products) != len(quantities):
        raise CheckoutError(
            _("Some items in your cart are no longer available; please review your cart.")
        )
    for product in products:
        if quantities[product.pk] > product.stock:
            if product.stock:
                message = _(
                    "Not enough stock for “%(title)s”: only %(stock)d left. "
                    "Please update your cart."
                )
            else:
                message = _(
                    "Not enough stock for “%(title)s”: it is out of stock. Please update your cart."
                )
            raise CheckoutError(message % {"title": product.title, "stock": product.stock})
    if len({p.currency for p in products}) > 1:
        raise CheckoutError(
            _("Your cart mixes currencies; please order items priced in one currency at a time.")
        )
