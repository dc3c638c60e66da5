"""Rows the engine writes from shoppers' behaviour, in the admin: interactions and shopper vectors.

Staff look them up by shopper key or username; they never edit them.
"""

from __future__ import annotations

import re

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from ..models import Interaction, ShopperEmbedding
from ..shoppers import user_key

SHOPPER_KEY = re.compile(r"^[usx]:\S+$")


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
