"""Placements in the admin: a strategy, pinned and banned products, caps per brand or category."""

from __future__ import annotations

from django.contrib import admin

from ..models import PinnedProduct, Placement
from ..placements.experiments import experiment_running
from .experiments import dashboard_link
from .mixins import ProductLookupMixin, StrategyChoiceMixin


class PinnedProductInline(ProductLookupMixin, admin.TabularInline):
    model = PinnedProduct
    raw_id_fields = ("product",)
    extra = 0


@admin.register(Placement)
class PlacementAdmin(ProductLookupMixin, StrategyChoiceMixin, admin.ModelAdmin):
    list_display = (
        "name", "title", "default_strategy", "k", "show_reasons", "is_active", "running_experiment"
    )  # fmt: skip
    list_filter = ("is_active",)
    search_fields = ("name", "title")
    raw_id_fields = ("banned_products",)
    strategy_fields = ("default_strategy",)
    inlines = (PinnedProductInline,)
    fieldsets = (
        (None, {"fields": ("name", "title", "default_strategy", "k", "show_reasons", "is_active")}),
        (
            "Rules",
            {
                "fields": (
                    "banned_products",
                    "max_per_brand",
                    "max_per_category",
                    "exclude_purchased",
                )
            },
        ),
    )

    @admin.display(description="Running experiment")
    def running_experiment(self, placement: Placement) -> str:
        experiment = experiment_running(placement)
        return dashboard_link(experiment) if experiment else "—"
