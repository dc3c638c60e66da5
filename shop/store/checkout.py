"""Order placement: the cart's quantities become an Order in one transaction, or a clear refusal.

Stock is locked with SELECT ... FOR UPDATE so two shoppers buying the last item cannot both succeed;
prices are read under the same lock, never taken from the cart.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from recommendations.signals import order_placed

from .events import Actor, event_send
from .models import Order, OrderLine, Product
from .tasks import send_order_confirmation


class CheckoutError(Exception):
    """Why the cart cannot become an order; the message is shown to the shopper as is."""


def order_place(
    *, actor: Actor, quantities: dict[int, int], full_name: str, email: str, address: str
) -> Order:
    """Creates the order and its lines and decrements stock; nothing changes if any check fails.

    ``order_placed`` is sent only after the transaction commits, so receivers never see an order
    that was rolled back.
    """
    if actor.user is None:
        raise ValueError("Orders belong to an account: actor.user must be set.")
    if not quantities:
        raise CheckoutError(_("Your cart is empty."))
    with transaction.atomic():
        # Lock in primary-key order so concurrent checkouts cannot deadlock each other.
        products = list(
            Product.objects.active().select_for_update().filter(pk__in=quantities).order_by("pk")
        )
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
        send_order_confirmation.delay_on_commit(order.pk)
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
