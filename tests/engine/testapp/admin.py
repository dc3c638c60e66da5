"""The host's product admin, as the engine asks: with search fields, so that the engine's product
fields are autocompletes, and with its embedding column, filter and action."""

from django.contrib import admin

from recommendations.admin import RecommendationAdminMixin

from .models import Product


@admin.register(Product)
class ProductAdmin(RecommendationAdminMixin, admin.ModelAdmin):
    list_display = ("title", "price", "stock", "is_active")
    search_fields = ("title",)
    ordering = ("title",)
