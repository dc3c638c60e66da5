"""A shopper's own choices about what the engine does with their data."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ShopperPreference(models.Model):
    """No row: the defaults. Kept when a shopper deletes their data, so that deleting it does
    not switch personalisation back on."""

    shopper = models.CharField(max_length=120, primary_key=True)
    personalised = models.BooleanField(
        default=True, help_text="Off: only non-personal strategies (popular, trending) serve them."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        state = "personalised" if self.personalised else "not personalised"
        return f"{self.shopper}: {state}"
