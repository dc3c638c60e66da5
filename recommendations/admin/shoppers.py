"""Rows the engine writes from shoppers' behaviour, in the admin: interactions, shopper vectors
and preferences.

Staff look them up by shopper key or username; they never edit them.
"""

from __future__ import annotations

import re

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse

from ..models import Interaction, ShopperEmbedding, ShopperPreference
from ..privacy import shopper_data_delete, shopper_data_export
from ..shoppers import user_key

SHOPPER_KEY = re.compile(r"^[usx]:\S+$")


def _shoppers_of(queryset: QuerySet) -> list[str]:
    return sorted(set(queryset.values_list("shopper", flat=True)))


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
    """Rows the engine writes from shoppers' behaviour: staff look, never edit. On a shopper's
    request they download or delete everything about the shoppers of the selected rows."""

    search_fields = ("=shopper",)
    search_help_text = "A shopper key such as u:12 or s:…, or a username"
    actions = ("shoppers_data_download", "shoppers_data_delete")

    @admin.action(description="Download these shoppers' data (JSON)", permissions=["view"])
    def shoppers_data_download(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse:
        exports = [shopper_data_export(key) for key in _shoppers_of(queryset)]
        response = JsonResponse(exports, safe=False, json_dumps_params={"indent": 2})
        response["Content-Disposition"] = 'attachment; filename="shopper-data.json"'
        return response

    @admin.action(description="Delete these shoppers' data", permissions=["erase"])
    def shoppers_data_delete(self, request: HttpRequest, queryset: QuerySet) -> None:
        shoppers = _shoppers_of(queryset)
        for key in shoppers:
            shopper_data_delete(key)
        self.message_user(
            request, f"Deleted the data of {len(shoppers)} shopper(s): {', '.join(shoppers)}."
        )

    def has_erase_permission(self, request: HttpRequest) -> bool:
        """Erasing is deleting what the engine learned: staff who may delete interactions."""
        return request.user.has_perm("recommendations.delete_interaction")

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


@admin.register(ShopperPreference)
class ShopperPreferenceAdmin(ReadOnlyShopperAdmin):
    list_display = ("shopper", "personalised", "updated_at")
    list_filter = ("personalised",)
