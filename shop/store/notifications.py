"""E-mails the store sends its customers, through the outbox written with each order."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Order, PendingConfirmation

logger = logging.getLogger(__name__)

# Sent per sweep; the next sweep takes the rest.
SWEEP_BATCH = 200


def order_confirmation_send(order_id: int) -> bool:
    """Send the confirmation once: the outbox row is locked while sending and deleted in the same
    transaction, so a retried task, a concurrent sweeper or a second worker finds nothing to do."""
    with transaction.atomic():
        pending = (
            PendingConfirmation.objects.select_for_update(skip_locked=True)
            .filter(order_id=order_id)
            .first()
        )
        if pending is None:
            return False
        order = Order.objects.prefetch_related("lines").get(pk=order_id)
        lines = "\n".join(
            f"  {line.quantity} × {line.title}: {line.line_total} {order.currency}"
            for line in order.lines.all()
        )
        send_mail(
            subject=f"Your order #{order.pk}",
            message=f"Thank you, {order.full_name}.\n\n{lines}\n\nTotal: {order.total} "
            f"{order.currency}\n",
            from_email=None,
            recipient_list=[order.email],
        )
        Order.objects.filter(pk=order_id).update(confirmation_sent_at=timezone.now())
        pending.delete()
    return True


def order_confirmations_sweep(*, older_than_seconds: float) -> int:
    """Send what no task sent (the broker was down when the order was placed); returns how many.

    Only rows older than ``older_than_seconds`` are taken, so the sweeper does not race the task
    queued with the order. A mail server error leaves that row for the next sweep.
    """
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    order_ids = PendingConfirmation.objects.filter(created_at__lte=cutoff).values_list(
        "order_id", flat=True
    )[:SWEEP_BATCH]
    sent = 0
    for order_id in order_ids:
        try:
            sent += order_confirmation_send(order_id)
        except OSError:
            logger.warning(
                "Confirmation of order #%s not sent; next sweep", order_id, exc_info=True
            )
    return sent
