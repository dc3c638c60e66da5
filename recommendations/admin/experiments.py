"""Experiments in the admin, and the dashboard that compares an experiment's variants.

The dashboard only calls `placements` functions: the numbers come from `placements.stats` and
the chart's geometry from `placements.chart`; this module turns them into text.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Experiment, Variant
from ..placements import experiment_daily, experiment_stats
from ..placements.chart import ctr_chart
from ..placements.stats import Rate, VariantStats, simulated_shoppers
from .mixins import StrategyChoiceMixin

DASHBOARD_URL_NAME = "recommendations_experiment_dashboard"
# A p-value below this is called significant on the dashboard.
SIGNIFICANCE = 0.05


class VariantInline(StrategyChoiceMixin, admin.TabularInline):
    model = Variant
    strategy_fields = ("strategy",)
    fields = ("name", "strategy", "weight", "show_reasons", "options")
    extra = 0
    # A control and at least one challenger; the admin doesn't enforce min_num unless asked.
    min_num = 2

    def get_formset(self, request: HttpRequest, obj: Experiment | None = None, **kwargs: Any):
        return super().get_formset(request, obj, validate_min=True, **kwargs)


def rate_text(rate: Rate) -> str:
    if not rate.trials:
        return "—"
    low, high = rate.interval
    return f"{rate.value:.2%} ({low:.2%} – {high:.2%})"


def variant_row(row: VariantStats) -> dict[str, Any]:
    """One line of the dashboard's table, as text."""
    return {
        "variant": row.variant,
        "impressions": row.impressions,
        "clicks": row.clicks,
        "ctr": rate_text(row.ctr),
        "conversions": row.conversions,
        "conversion_per_click": rate_text(row.conversion_per_click),
        "conversion_per_impression": rate_text(row.conversion_per_impression),
    }


def significance_note(row: VariantStats, control: VariantStats) -> str:
    """A variant against the control, in words; "not significant" is no proof of no effect."""
    parts = []
    for measure, p_value, rate, control_rate in (
        ("CTR", row.ctr_p_value, row.ctr, control.ctr),
        (
            "conversion per impression",
            row.conversion_p_value,
            row.conversion_per_impression,
            control.conversion_per_impression,
        ),
    ):
        if p_value is None:
            parts.append(f"{measure}: not enough data")
            continue
        verdict = "significant" if p_value < SIGNIFICANCE else "not significant"
        parts.append(
            f"{measure} {rate.value:.2%} vs {control_rate.value:.2%}, p = {p_value:.3f} "
            f"({verdict} at {SIGNIFICANCE:.0%})"
        )
    return f"{row.variant.name} vs {control.variant.name}: " + "; ".join(parts) + "."


def experiment_state(experiment: Experiment, *, has_traffic: bool) -> tuple[str, str]:
    """(css name, words): what assignment does with the experiment now, as `experiment_running`
    reads its flag and window; an inactive one that has shown something was stopped."""
    now = timezone.now()
    if experiment.is_active:
        if experiment.started_at and experiment.started_at > now:
            return "scheduled", _("Scheduled")
        if experiment.ended_at and experiment.ended_at <= now:
            return "ended", _("Ended")
        return "running", _("Running")
    if has_traffic:
        return "stopped", _("Stopped")
    return "draft", _("Draft")


def dashboard_link(experiment: Experiment) -> str:
    url = reverse(f"admin:{DASHBOARD_URL_NAME}", args=[experiment.pk])
    return format_html('<a href="{}">{} dashboard</a>', url, experiment.name)


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ("name", "placement", "is_active", "started_at", "ended_at", "dashboard")
    list_filter = ("is_active", "placement")
    list_select_related = ("placement",)
    search_fields = ("name",)
    fields = ("name", "placement", "is_active", "started_at", "ended_at", "dashboard")
    readonly_fields = ("dashboard",)
    inlines = (VariantInline,)

    @admin.display(description="Dashboard")
    def dashboard(self, experiment: Experiment) -> str:
        return dashboard_link(experiment) if experiment.pk else "Save first."

    def get_urls(self) -> list[URLPattern]:
        dashboard = path(
            "<int:object_id>/dashboard/",
            self.admin_site.admin_view(self.dashboard_view),
            name=DASHBOARD_URL_NAME,
        )
        return [dashboard, *super().get_urls()]

    def dashboard_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """Per variant: impressions, clicks, CTR and conversion with 95% intervals, daily CTR."""
        experiment = Experiment.objects.select_related("placement").filter(pk=object_id).first()
        if experiment is None:
            raise Http404("No such experiment.")
        if not self.has_view_permission(request, experiment):
            raise PermissionDenied
        stats = experiment_stats(experiment)
        state, state_label = experiment_state(
            experiment, has_traffic=any(row.impressions for row in stats)
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Experiment “{experiment.name}” on {experiment.placement.name}",
            "experiment": experiment,
            "state": state,
            "state_label": state_label,
            "now": timezone.now(),
            "simulated_shoppers": simulated_shoppers(experiment),
            "rows": [variant_row(row) for row in stats],
            "notes": [significance_note(row, stats[0]) for row in stats[1:]],
            "chart": ctr_chart([row.variant for row in stats], experiment_daily(experiment)),
        }
        return TemplateResponse(request, "admin/recommendations/experiment_dashboard.html", context)
