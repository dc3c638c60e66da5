"""The project package as an app, so its management commands (rundemo, embedded_services) load."""

from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    default_auto_field = "django.db.models.BigAutoField"
