"""E-mails the store sends its customers."""

from django.core.mail import send_mail
from django.db import transaction

from .models import Order


def order_confirmation_send(order_id: int) -> bool:
    """Send the confirmation once: a retried task finds `confirmation_sent_at` set and stops."""
    from django.utils import timezone

    with transaction.atomic():
        order = (
            Order.objects.select_for_update().prefetch_related("lines").filter(pk=order_id).first()
        )
        if order is None or order.confirmation_sent_at is not None:
            return False
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
        order.confirmation_sent_at = timezone.now()
        order.save(update_fields=["confirmation_sent_at"])
    return True
