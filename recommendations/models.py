"""The engine's own tables: vectors of products and shoppers, and the interactions behind them.

Shoppers are identified by a key, not a foreign key, so that accounts (``u:<id>``), anonymous
sessions (``s:<session key>``) and external ids from imports (``x:<id>``) share one code path.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils import timezone
from pgvector.django import HnswIndex, VectorField

from .conf import app_settings

if not getattr(settings, "RECOMMENDATIONS_PRODUCT_MODEL", None):
    raise ImproperlyConfigured(
        "Set RECOMMENDATIONS_PRODUCT_MODEL = 'app_label.ModelName' (your product model)."
    )

DIMENSIONS = app_settings.EMBEDDING_DIMENSIONS


class EmbeddingState(models.TextChoices):
    FRESH = "fresh", "Fresh"
    STALE = "stale", "Stale"
    MISSING = "missing", "Missing"


class ProductEmbedding(models.Model):
    product = models.OneToOneField(
        settings.RECOMMENDATIONS_PRODUCT_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="recommendation_embedding",
    )
    vector = VectorField(dimensions=DIMENSIONS, null=True, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    stale = models.BooleanField(
        default=True, help_text="The product changed since it was embedded."
    )
    embedded_at = models.DateTimeField(null=True, blank=True)
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            HnswIndex(
                name="product_embedding_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(
                fields=["marked_at"], name="product_embedding_stale", condition=models.Q(stale=True)
            ),
        ]

    def __str__(self) -> str:
        return f"Embedding of product {self.product_id}"

    def state(self, model_name: str) -> EmbeddingState:
        if self.vector is None:
            return EmbeddingState.MISSING
        if self.stale or self.model_name != model_name:
            return EmbeddingState.STALE
        return EmbeddingState.FRESH


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


class ShopperEmbedding(models.Model):
    shopper = models.CharField(max_length=120, primary_key=True)
    vector = VectorField(dimensions=DIMENSIONS, null=True, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    interaction_count = models.PositiveIntegerField(default=0)
    update_pending = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Embedding of shopper {self.shopper}"
