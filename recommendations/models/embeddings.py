"""Vectors of products and shoppers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from pgvector.django import HnswIndex, VectorField

from ..conf import app_settings

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


class ShopperEmbedding(models.Model):
    shopper = models.CharField(max_length=120, primary_key=True)
    vector = VectorField(dimensions=DIMENSIONS, null=True, blank=True)
    model_name = models.CharField(max_length=200, blank=True)
    interaction_count = models.PositiveIntegerField(default=0)
    update_pending = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Embedding of shopper {self.shopper}"
