"""Reasons generated ahead of need, cached by product, evidence and language."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Reason(models.Model):
    """One generator's sentence for one product under one set of facts, with the verifier's
    verdict. Only a passed, unrejected reason is shown; every other case shows the template
    reason, and the row keeps why."""

    class Verdict(models.TextChoices):
        PASSED = "passed", "Passed"
        FAILED = "failed", "Failed the verifier"
        ERROR = "error", "Generator failed"
        REJECTED = "rejected", "Rejected by staff"

    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=16)
    # `Evidence.digest()`: a change to the product's facts or to the evidence is a new key, so
    # the old reason is never shown again.
    evidence_digest = models.CharField(max_length=64)
    evidence = models.JSONField()
    text = models.TextField(blank=True, help_text="The sentence kept, or the last one refused.")
    generator = models.CharField(max_length=50)
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    cause = models.CharField(max_length=50, blank=True, help_text="The verifier's cause code.")
    detail = models.TextField(blank=True)
    candidates_tried = models.PositiveSmallIntegerField(default=0)
    seconds = models.FloatField(default=0.0, help_text="Generation time per reason.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "evidence_digest", "language"], name="reason_unique_key"
            ),
        ]
        indexes = [models.Index(fields=["verdict", "-created_at"], name="reason_verdict_recent")]

    def __str__(self) -> str:
        return self.text or f"{self.get_verdict_display()} for product {self.product_id}"
