"""Placements, merchandising rules and A/B experiments.

A placement is a named slot of the shop ("home", "product", "cart") with its default strategy and
rules; an experiment splits its shoppers between variants, each with its own strategy. Every shown
and clicked card is one `RecommendationEvent`, so the dashboard compares variants with plain SQL.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ..conf import app_settings

__all__ = ["Experiment", "PinnedProduct", "Placement", "RecommendationEvent", "Variant"]


def _validate_strategy(name: str) -> None:
    """Against the STRATEGIES setting itself: models sit below ranking and never import it."""
    names = sorted(app_settings.STRATEGIES)
    if name not in names:
        raise ValidationError(f"unknown strategy {name!r}; valid: {', '.join(names)}")


class Placement(models.Model):
    name = models.SlugField(
        max_length=50, unique=True, help_text='How templates and the API name it, e.g. "home".'
    )
    title = models.CharField(max_length=120, help_text="Heading shown above the products.")
    default_strategy = models.CharField(
        max_length=50, help_text="Used when no experiment is running."
    )
    k = models.PositiveSmallIntegerField(
        default=8, validators=[MinValueValidator(1)], help_text="Products shown by default."
    )
    banned_products = models.ManyToManyField(
        settings.RECOMMENDATIONS_PRODUCT_MODEL,
        blank=True,
        related_name="+",
        help_text="Never shown here, not even when pinned.",
    )
    max_per_brand = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Empty: no limit."
    )
    max_per_category = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Empty: no limit."
    )
    exclude_purchased = models.BooleanField(
        default=True, help_text="Leave out products the shopper has bought."
    )
    show_reasons = models.BooleanField(
        default=True, help_text="Show a short reason under each product."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.default_strategy:
            try:
                _validate_strategy(self.default_strategy)
            except ValidationError as exc:
                raise ValidationError({"default_strategy": exc}) from None


class PinnedProduct(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="pins")
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=1, help_text="Lower comes first.")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "product"], name="pinned_product_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id} pinned at {self.position} in {self.placement_id}"


class Experiment(models.Model):
    name = models.CharField(max_length=120)
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="experiments")
    is_active = models.BooleanField(default=False)
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: runs as soon as it is active."
    )
    ended_at = models.DateTimeField(null=True, blank=True, help_text="Empty: runs until stopped.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # Two experiments on one placement would split the same shoppers twice.
            models.UniqueConstraint(
                fields=["placement"],
                condition=Q(is_active=True),
                name="one_active_experiment_per_placement",
                violation_error_message="This placement already has an active experiment.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.started_at and self.ended_at and self.ended_at <= self.started_at:
            raise ValidationError({"ended_at": "Must be after the start."})


class Variant(models.Model):
    """One arm of an experiment; the first one (lowest id) is the control."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(max_length=50)
    strategy = models.CharField(max_length=50)
    weight = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1)], help_text="Share of shoppers, relative."
    )
    show_reasons = models.BooleanField(
        null=True,
        blank=True,
        help_text="Empty: as the placement says. Set it in one variant only to measure what "
        "reasons do to clicks.",
    )
    options = models.JSONField(default=dict, blank=True, help_text="Reserved for future options.")

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "name"], name="variant_unique_name"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="variant_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.strategy:
            try:
                _validate_strategy(self.strategy)
            except ValidationError as exc:
                raise ValidationError({"strategy": exc}) from None


class RecommendationEvent(models.Model):
    """A card shown or clicked. Conversions are read from purchases, see `placements.stats`."""

    class Kind(models.TextChoices):
        IMPRESSION = "impression", "Impression"
        CLICK = "click", "Click"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    experiment = models.ForeignKey(
        Experiment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    shopper = models.CharField(max_length=120, blank=True, help_text="Empty: no session.")
    product = models.ForeignKey(
        settings.RECOMMENDATIONS_PRODUCT_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(help_text="1 is the first card.")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    impression = models.CharField(
        max_length=32,
        blank=True,
        help_text="The list shown (its signed token's id); a click names the one it came from.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # A card of a list shown once is clicked at most once, however often the beacon fires.
            models.UniqueConstraint(
                fields=["impression", "product"],
                condition=Q(kind="click") & ~Q(impression=""),
                name="rec_event_click_once",
            ),
        ]
        indexes = [
            models.Index(
                fields=["experiment", "variant", "kind", "created_at"],
                name="rec_event_experiment_day",
            ),
            models.Index(fields=["placement", "kind", "created_at"], name="rec_event_placement"),
            # Clicks followed by a purchase of the same product: the conversion join.
            models.Index(
                fields=["shopper", "product", "created_at"],
                name="rec_event_click_lookup",
                condition=Q(kind="click"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.product_id} at {self.position} in {self.placement_id}"
