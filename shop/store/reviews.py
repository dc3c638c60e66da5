"""Review writing: one review per shopper and product, announced to the recommendation engine."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from recommendations.signals import review_written

from .events import Actor, event_send
from .models import Product, Review


def review_create(*, actor: Actor, product: Product, rating: int, text: str) -> Review:
    """Sends ``review_written`` on commit, so a rolled-back review is never learnt from."""
    review = Review.objects.create(product=product, user=actor.user, rating=rating, text=text)
    transaction.on_commit(
        partial(
            event_send,
            review_written,
            sender=Review,
            actor=actor,
            product=product,
            rating=rating,
            text=text,
        )
    )
    return review
