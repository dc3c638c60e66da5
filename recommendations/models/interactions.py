"""What shoppers did: the raw material of every behaviour-based recommendation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Interaction(models.Model):
    class Kind(models.TextChoices):
        VIEW = "view", "Viewed"
        CLICK = "click", "Clicked"
        SEARCH = "search", "Searched"
        CART = "cart", "Added to cart"
        REMOVE = "remove", "Removed from cart"
        PURCHASE = "purchase", "Purchased"
        REVIEW = "review", "Reviewed"

    class Source(models.TextChoices):
        SIGNAL = "signal", "Store signal"
        API = "api", "HTTP API"
        IMPORT = "import", "Import"

    shopper = models.CharField(max_length=120)
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    weight = models.FloatField()
    value = models.FloatField(null=True, blank=True, help_text="Rating of a review, if any.")
    text = models.TextField(blank=True, help_text="Search query or review text.")
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.SIGNAL)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["shopper", "-created_at"], name="interaction_shopper_recent"),
            models.Index(fields=["kind", "-created_at"], name="interaction_kind_recent"),
            models.Index(fields=["product", "kind"], name="interaction_product_kind"),
        ]
        constraints = [
            # Makes imports idempotent: the same event loaded twice is one row.
            models.UniqueConstraint(
                fields=["shopper", "kind", "product", "created_at", "text"],
                name="interaction_unique_event",
                nulls_distinct=False,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.shopper} {self.kind} {self.product_id or self.text!r}"
