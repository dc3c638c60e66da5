"""Reasons in the admin: what was said, on which facts, the verifier's verdict, and a veto."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from ..models import Reason
from ..reasons.evidence import Evidence
from ..reasons.service import reasons_reject
from ..reasons.words import facts_in_words


@admin.register(Reason)
class ReasonAdmin(admin.ModelAdmin):
    """Read-only: reasons are the generator's; staff judge them and reject the bad ones."""

    list_display = ("text", "product", "language", "verdict", "cause", "generator", "created_at")
    list_filter = ("verdict", "language", "generator", "cause")
    search_fields = ("text", "=product__id")
    list_select_related = ("product",)
    readonly_fields = (
        "product", "language", "text", "facts", "verdict", "cause", "detail", "generator",
        "candidates_tried", "seconds", "evidence_digest", "created_at",
    )  # fmt: skip
    exclude = ("evidence",)
    actions = ["reject"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Reason | None = None) -> bool:
        return False

    @admin.display(description="Evidence")
    def facts(self, reason: Reason) -> str:
        lines = facts_in_words(Evidence.from_dict(reason.evidence), reason.language)
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))

    @admin.action(description="Reject: show the template reason instead")
    def reject(self, request: HttpRequest, queryset: QuerySet[Reason]) -> None:
        rejected = reasons_reject(queryset)
        self.message_user(request, f"{rejected} reason(s) rejected.", messages.SUCCESS)
