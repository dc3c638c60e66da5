"""Signal receivers: record the event or enqueue work, and return."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save

from . import services, signals, tasks
from .models import Interaction
from .shoppers import shopper_key, user_key

Kind = Interaction.Kind
ANONYMOUS_KEY = "_recommendations_anonymous_session"


def product_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    services.products_changed([instance.pk])


def _record(kind: str, *, user=None, session_key=None, timestamp=None, **fields) -> None:
    shopper = shopper_key(user=user, session_key=session_key)
    if shopper is not None:
        services.interaction_record(shopper=shopper, kind=kind, created_at=timestamp, **fields)


def product_viewed(sender, *, product, **kwargs) -> None:
    _record(Kind.VIEW, product_id=product.pk, **_who(kwargs))


def added_to_cart(sender, *, product, **kwargs) -> None:
    _record(Kind.CART, product_id=product.pk, **_who(kwargs))


def removed_from_cart(sender, *, product, **kwargs) -> None:
    _record(Kind.REMOVE, product_id=product.pk, **_who(kwargs))


def order_placed(sender, *, lines, **kwargs) -> None:
    for product, _quantity in lines:
        _record(Kind.PURCHASE, product_id=product.pk, **_who(kwargs))


def review_written(sender, *, product, rating, text, **kwargs) -> None:
    _record(Kind.REVIEW, product_id=product.pk, value=float(rating), text=text, **_who(kwargs))


def search_performed(sender, *, query, **kwargs) -> None:
    if query.strip():
        _record(Kind.SEARCH, text=query.strip(), **_who(kwargs))


def _who(kwargs: dict) -> dict:
    return {
        "user": kwargs.get("user"),
        "session_key": kwargs.get("session_key"),
        "timestamp": kwargs.get("timestamp"),
    }


def products_stale(sender, *, product_ids, **kwargs) -> None:
    tasks.products_embedding_enqueue(product_ids)


def shopper_stale(sender, *, shopper, **kwargs) -> None:
    tasks.shopper_update_enqueue(shopper)


def logged_in(sender, *, request, user, **kwargs) -> None:
    """Login gives the session a new key; the middleware kept the old one in the session."""
    session = getattr(request, "session", None)
    anonymous = session.pop(ANONYMOUS_KEY, None) if session is not None else None
    if anonymous:
        services.shopper_history_merge(source=f"s:{anonymous}", target=user_key(user.pk))


def user_deleted(sender, instance, **kwargs) -> None:
    services.shopper_forget(user_key(instance.pk))


def connect() -> None:
    from django.contrib.auth import get_user_model
    from django.db.backends.signals import connection_created

    from .factories import get_adapter
    from .recommenders.vector_search import connection_setup

    try:
        product_model = get_adapter().model
    except (LookupError, ValueError):
        # RECOMMENDATIONS_PRODUCT_MODEL is missing or wrong: system check E001 says so.
        product_model = None
    if product_model is not None:
        post_save.connect(product_saved, sender=product_model, dispatch_uid="rec_product_saved")
    post_delete.connect(user_deleted, sender=get_user_model(), dispatch_uid="rec_user_deleted")
    user_logged_in.connect(logged_in, dispatch_uid="rec_logged_in")
    connection_created.connect(connection_setup, dispatch_uid="rec_connection_setup")
    for signal, receiver in (
        (signals.product_viewed, product_viewed),
        (signals.added_to_cart, added_to_cart),
        (signals.removed_from_cart, removed_from_cart),
        (signals.order_placed, order_placed),
        (signals.review_written, review_written),
        (signals.search_performed, search_performed),
        (signals.products_stale, products_stale),
        (signals.shopper_stale, shopper_stale),
    ):
        signal.connect(receiver, dispatch_uid=f"rec_{receiver.__name__}")
