"""Celery tasks of the store: thin wrappers that load ids and call one service."""

from celery import shared_task

from .notifications import order_confirmation_send, order_confirmations_sweep


@shared_task(bind=True, max_retries=5, default_retry_delay=30)
def send_order_confirmation(self, order_id: int) -> bool:
    return order_confirmation_send(order_id)


@shared_task
def send_pending_confirmations(older_than_seconds: float = 60.0) -> int:
    """The outbox sweeper: e-mails of orders placed while the broker was down."""
    return order_confirmations_sweep(older_than_seconds=older_than_seconds)
