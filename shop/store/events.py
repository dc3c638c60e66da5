"""Sends the store's domain signals, so every call site names only what happened.

The recommendation engine learns from these signals without importing the shop; each one carries
who acted (user or anonymous session) and when. Cart, checkout and review services send theirs
with ``event_send``; product views and searches, which change nothing, have the two helpers
at the end.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Model
from django.dispatch import Signal
from django.http import HttpRequest
from django.utils import timezone

from recommendations.signals import product_viewed, search_performed

from .models import Product

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Actor:
    """Who did something: a signed-in user, or an anonymous visitor known only by session."""

    user: AbstractBaseUser | None
    session_key: str | None


def actor_from_request(request: HttpRequest) -> Actor:
    """Saves a fresh session first, so an anonymous visitor's events can be tied together."""
    if not request.session.session_key:
        request.session.save()
    user = request.user if request.user.is_authenticated else None
    return Actor(user=user, session_key=request.session.session_key)


def event_send(signal: Signal, *, sender: type[Model], actor: Actor, **payload: Any) -> None:
    """Sends robustly: a failing receiver is logged, never turned into a failed page or order."""
    responses = signal.send_robust(
        sender=sender,
        user=actor.user,
        session_key=actor.session_key,
        timestamp=timezone.now(),
        **payload,
    )
    for receiver, response in responses:
        if isinstance(response, Exception):
            logger.error("Receiver %r of a store event failed", receiver, exc_info=response)


def product_view_record(*, actor: Actor, product: Product) -> None:
    event_send(product_viewed, sender=Product, actor=actor, product=product)


def search_record(*, actor: Actor, query: str, results_count: int) -> None:
    event_send(
        search_performed, sender=Product, actor=actor, query=query, results_count=results_count
    )
