"""What behaviour taught the engine: versioned collaborative models and product statistics.

A model version is written completely while inactive and then switched on in one transaction, so
a request sees the old version or the new one, never half of one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from pgvector.django import HnswIndex, VectorField

from ..conf import app_settings

FACTORS = app_settings.CF_FACTORS


class CollaborativeModel(models.Model):
    class Status(models.TextChoices):
        TRAINING = "training", "Training"
        ACTIVE = "active", "Active"
        RETIRED = "retired", "Retired"
        FAILED = "failed", "Failed"

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.TRAINING)
    is_active = models.BooleanField(default=False)
    params = models.JSONField(default=dict, blank=True)
    interactions = models.PositiveIntegerField(default=0)
    shoppers = models.PositiveIntegerField(default=0)
    products = models.PositiveIntegerField(default=0)
    train_seconds = models.FloatField(default=0.0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="one_active_cf_model"
            ),
        ]

    def __str__(self) -> str:
        return f"Collaborative model #{self.pk} ({self.status})"


class ItemNeighbour(models.Model):
    class Kind(models.TextChoices):
        # Item-to-item cosine over everything shoppers did ("shoppers who liked this also...").
        COOCCURRENCE = "co", "Co-occurrence"
        # Bought in the same order or the same day ("frequently bought together").
        BOUGHT_TOGETHER = "fbt", "Bought together"

    model = models.ForeignKey(CollaborativeModel, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    neighbour = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()

    class Meta:
        indexes = [
            models.Index(fields=["model", "kind", "product", "-score"], name="neighbour_lookup"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} → {self.neighbour_id} ({self.kind} {self.score:.3f})"


class ItemFactor(models.Model):
    model = models.ForeignKey(CollaborativeModel, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    vector = VectorField(dimensions=FACTORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "product"], name="item_factor_unique"),
        ]
        indexes = [
            HnswIndex(
                name="item_factor_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_ip_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"Factors of product {self.product_id} in model {self.model_id}"


class ShopperFactor(models.Model):
    model = models.ForeignKey(CollaborativeModel, on_delete=models.CASCADE, related_name="+")
    shopper = models.CharField(max_length=120)
    vector = VectorField(dimensions=FACTORS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "shopper"], name="shopper_factor_unique"),
        ]

    def __str__(self) -> str:
        return f"Factors of {self.shopper} in model {self.model_id}"


class ItemPopularity(models.Model):
    """Distinct shoppers per product in a model version; products nobody touched have no row."""

    model = models.ForeignKey(CollaborativeModel, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "product"], name="item_popularity_unique"),
        ]
        indexes = [models.Index(fields=["model", "-score"], name="item_popularity_rank")]

    def __str__(self) -> str:
        return f"Popularity of product {self.product_id} in model {self.model_id}"


class ProductStats(models.Model):
    """Trend, refreshed every few minutes so requests read one indexed row each."""

    product = models.OneToOneField(
        settings.RECOMMENDATIONS_PRODUCT_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="recommendation_stats",
    )
    trending = models.FloatField(default=0.0, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Stats of product {self.product_id}"
