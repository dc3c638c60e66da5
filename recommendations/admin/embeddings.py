"""Embedding states in the admin: for the host's product admin, and the list of product vectors.

The host's product admin gets a column, a filter and a re-embed action; the read-only list of
product vectors carries the same action and the preview page.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from .. import selectors
from ..factories import get_adapter, get_encoder
from ..models import EmbeddingState, ProductEmbedding
from ..tasks import products_embedding_enqueue
from .preview import RecommendationPreviewMixin

STATE_ATTRIBUTE = "_recommendation_embedding_state"


def products_reembed(
    model_admin: admin.ModelAdmin, request: HttpRequest, ids: Iterable[int]
) -> None:
    """Queue a forced re-embedding (after commit) and say how many products it covers."""
    ids = set(ids)
    products_embedding_enqueue(ids, force=True)
    message = ngettext(
        "%(count)d product was queued for re-embedding.",
        "%(count)d products were queued for re-embedding.",
        len(ids),
    )
    model_admin.message_user(request, message % {"count": len(ids)}, messages.SUCCESS)


def _state_hint(state: EmbeddingState) -> str:
    model_name = get_encoder().name
    return {
        EmbeddingState.FRESH: f"Embedded by the current model, {model_name}.",
        EmbeddingState.STALE: f"Changed since embedded, or not embedded by {model_name}.",
        EmbeddingState.MISSING: f"Not embedded yet; the current model is {model_name}.",
    }[state]


def _state_html(state: EmbeddingState) -> SafeString:
    return format_html('<span title="{}">{}</span>', _state_hint(state), state.label)


class EmbeddingStateFilter(admin.SimpleListFilter):
    """Products by the state of their vector, as `selectors.embedding_states` defines it."""

    title = "embedding"
    parameter_name = "embedding"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return EmbeddingState.choices

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() not in EmbeddingState.values:
            return queryset
        current = Q(
            recommendation_embedding__stale=False,
            recommendation_embedding__model_name=get_encoder().name,
        )
        # Through the reverse one-to-one join, a product without a row has a null vector too.
        missing = Q(recommendation_embedding__vector__isnull=True)
        if self.value() == EmbeddingState.MISSING:
            return queryset.filter(missing)
        if self.value() == EmbeddingState.STALE:
            return queryset.filter(~missing).exclude(current)
        return queryset.filter(~missing & current)


class RecommendationAdminMixin:
    """For the host's product admin: an "Embedding" column and filter, a re-embed action.

    ``class ProductAdmin(RecommendationAdminMixin, admin.ModelAdmin)``. The column's states for a
    changelist page come from one query, made once the page's rows are known.
    """

    def get_list_display(self, request: HttpRequest) -> tuple:
        return (*super().get_list_display(request), "recommendation_embedding_state")

    def get_list_filter(self, request: HttpRequest) -> tuple:
        return (*super().get_list_filter(request), EmbeddingStateFilter)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        if self.actions is None or IS_POPUP_VAR in request.GET:
            return actions
        if self.has_change_permission(request):
            func, name, description = self.get_action("recommendations_reembed")
            actions[name] = (func, name, description)
        return actions

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            rows = list(changelist.result_list)
            states = selectors.embedding_states(row.pk for row in rows)
            for row in rows:
                setattr(row, STATE_ATTRIBUTE, states[row.pk])
        return response

    @admin.display(description="Embedding")
    def recommendation_embedding_state(self, product: models.Model) -> SafeString:
        state = getattr(product, STATE_ATTRIBUTE, None)
        if state is None:
            state = selectors.embedding_states([product.pk])[product.pk]
        return _state_html(state)

    @admin.action(description="Re-embed selected products", permissions=["change"])
    def recommendations_reembed(self, request: HttpRequest, queryset: QuerySet) -> None:
        products_reembed(self, request, queryset.values_list("pk", flat=True))


@admin.register(ProductEmbedding)
class ProductEmbeddingAdmin(RecommendationPreviewMixin, admin.ModelAdmin):
    list_display = ("product", "state", "model_name", "embedded_at", "marked_at")
    list_filter = ("stale", "model_name")
    list_select_related = ("product",)
    fields = ("product", "state", "model_name", "content_hash", "stale", "embedded_at", "marked_at")
    readonly_fields = fields
    search_help_text = "Product title"
    date_hierarchy = "embedded_at"
    actions = ("reembed",)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [f"product__{get_adapter().title_field}"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Rows are written by the embedding service, never by hand."""
        return False

    @admin.display(description="state")
    def state(self, embedding: ProductEmbedding) -> SafeString:
        return _state_html(embedding.state(get_encoder().name))

    @admin.action(description="Re-embed selected products", permissions=["change"])
    def reembed(self, request: HttpRequest, queryset: QuerySet[ProductEmbedding]) -> None:
        products_reembed(self, request, queryset.values_list("product_id", flat=True))
