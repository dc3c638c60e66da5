"""Admin of the engine: embedding states, interactions, a preview of every widget.

`RecommendationAdminMixin` is for the host's own product admin; everything else registers here.
Actions and pages only call selectors and services. Vectors are never shown: they mean nothing
to a person and are large.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from . import admin_placements, selectors  # noqa: F401  (registers placement admin)
from .factories import get_adapter, get_encoder
from .models import EmbeddingState, Interaction, ProductEmbedding, ShopperEmbedding
from .ranking import Recommendation
from .services import products_embedding_enqueue
from .shoppers import user_key
from .templatetags.recommendations import recommendation_cards
from .views import constraints_in_words

STATE_ATTRIBUTE = "_recommendation_embedding_state"
SHOPPER_KEY = re.compile(r"^[usx]:\S+$")
PRODUCT_CHOICES_SHOWN = 20
PREVIEW_K = 8


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


def shopper_key_lookup(value: str) -> str | None:
    """A shopper key as typed (``u:12``, ``s:…``, ``x:…``), or the key of the user so named."""
    value = value.strip()
    if SHOPPER_KEY.match(value):
        return value
    user_model = get_user_model()
    pk = (
        user_model._default_manager.filter(**{user_model.USERNAME_FIELD: value})
        .values_list("pk", flat=True)
        .first()
    )
    return user_key(pk) if pk is not None else None


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


# The single signals behind "for you", shown next to it so an admin sees what each contributes.
SHOPPER_SECTIONS = [
    ("collaborative", "Collaborative only"),
    ("content", "Content only"),
    ("recently_viewed", "Recently viewed"),
]


class PreviewForm(forms.Form):
    product = forms.CharField(
        required=False, help_text="A product id, or words of its title.", max_length=200
    )
    shopper = forms.CharField(
        required=False, help_text="A key such as u:12 or s:…, or a username.", max_length=150
    )
    q = forms.CharField(
        label="Request in plain words",
        required=False,
        max_length=500,
        help_text="For example: a gift for a runner under 50 EUR.",
    )
    k = forms.IntegerField(
        label="Results",
        required=False,
        min_value=1,
        initial=PREVIEW_K,
        help_text="How many each widget shows; capped at the MAX_K setting.",
    )


@admin.register(ProductEmbedding)
class ProductEmbeddingAdmin(admin.ModelAdmin):
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

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name="recommendations_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """What each widget would show for a product, a shopper and a request, with scores."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PreviewForm(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Preview recommendations",
            "form": form,
            "counts": selectors.embedding_state_counts(),
        }
        if form.is_valid():
            context.update(self._preview(form.cleaned_data))
        return TemplateResponse(request, "admin/recommendations/preview.html", context)

    def _preview(self, data: dict[str, Any]) -> dict[str, Any]:
        k, sections, notes, choices = data["k"] or PREVIEW_K, [], [], []
        if data["product"]:
            products = _products_matching(data["product"])
            if len(products) == 1:
                product = products[0]
                state = selectors.embedding_states([product.pk])[product.pk]
                sections.append(
                    _section(
                        f"Similar products to “{product}” (its embedding: {state.label.lower()})",
                        selectors.similar_products(product.pk, k=k),
                    )
                )
                sections.append(
                    _section(
                        f"Frequently bought together with “{product}”",
                        selectors.recommend("fbt", product_id=product.pk, k=k),
                    )
                )
            elif products:
                choices = [get_adapter().summary(p) for p in products]
            else:
                notes.append(f"No product matches “{data['product']}”.")
        if data["shopper"]:
            shopper = shopper_key_lookup(data["shopper"])
            if shopper is None:
                notes.append(f"No user is named “{data['shopper']}”.")
            else:
                if not selectors.shopper_has_vector(shopper):
                    notes.append(f"{shopper} has no vector yet: for-you shows popular products.")
                sections.append(
                    _section(f"Recommended for {shopper}", selectors.for_you(shopper, k=k))
                )
                for strategy, title in SHOPPER_SECTIONS:
                    sections.append(
                        _section(
                            f"{title} for {shopper}",
                            selectors.recommend(strategy, shopper=shopper, k=k),
                        )
                    )
        if data["q"]:
            limits = ", ".join(constraints_in_words(data["q"])) or "none"
            title = f"Request “{data['q']}” (limits read from it: {limits})"
            sections.append(_section(title, selectors.search_products(data["q"], k=k)))
        return {"sections": sections, "notes": notes, "product_choices": choices}


def _products_matching(value: str) -> list[models.Model]:
    adapter = get_adapter()
    queryset = adapter.queryset()
    if value.strip().isdigit():
        return list(queryset.filter(pk=int(value)))
    title = adapter.title_field
    matching = queryset.filter(**{f"{title}__icontains": value.strip()}).order_by(title, "pk")
    return list(matching[:PRODUCT_CHOICES_SHOWN])


def _section(title: str, recommendations: list[Recommendation]) -> dict[str, Any]:
    return {"title": title, "rows": recommendation_cards(recommendations)}


class ReadOnlyShopperAdmin(admin.ModelAdmin):
    """Rows the engine writes from shoppers' behaviour: staff look, never edit."""

    search_fields = ("=shopper",)
    search_help_text = "A shopper key such as u:12 or s:…, or a username"

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        key = shopper_key_lookup(search_term) if search_term.strip() else None
        if key is None:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(shopper=key), False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False


@admin.register(Interaction)
class InteractionAdmin(ReadOnlyShopperAdmin):
    list_display = ("shopper", "kind", "product", "weight", "source", "created_at")
    list_filter = ("kind", "source")
    list_select_related = ("product",)
    date_hierarchy = "created_at"
    # Counting every interaction on each page load is slow on a busy shop.
    show_full_result_count = False


@admin.register(ShopperEmbedding)
class ShopperEmbeddingAdmin(ReadOnlyShopperAdmin):
    list_display = ("shopper", "model_name", "interaction_count", "update_pending", "updated_at")
    list_filter = ("update_pending", "model_name")
    exclude = ("vector",)
