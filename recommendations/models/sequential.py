"""The sequence model of a version: its network, and each product's output vector for search."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from pgvector.django import HnswIndex, VectorField

from .collaborative import CollaborativeModel

# Widest sequence model the vector column holds (its members' vectors side by side); narrower
# vectors are zero-padded, which leaves inner products unchanged, so the model's width is a
# setting and not a migration.
SEQUENTIAL_WIDTH = 256


class SequentialModel(models.Model):
    """The trained network (a `torch.save` archive), loaded once per process and version."""

    model = models.OneToOneField(
        CollaborativeModel, on_delete=models.CASCADE, related_name="sequential"
    )
    archive = models.BinaryField()
    epochs = models.PositiveIntegerField(default=0)
    loss = models.FloatField(null=True, blank=True)
    train_seconds = models.FloatField(default=0.0)

    def __str__(self) -> str:
        return f"Sequence model of version {self.model_id}"


class SequentialItem(models.Model):
    """A product's vector in the sequence model: the inner product with a shopper's encoded
    actions is the model's score for it coming next."""

    model = models.ForeignKey(CollaborativeModel, on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    vector = VectorField(dimensions=SEQUENTIAL_WIDTH)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "product"], name="sequential_item_unique"),
        ]
        indexes = [
            HnswIndex(
                name="sequential_item_hnsw",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_ip_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"Sequence vector of product {self.product_id} in model {self.model_id}"
