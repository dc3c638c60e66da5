"""The catalog of the host that the engine's tests install the engine into."""

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tests.engine.testapp"
    label = "testapp"
    default_auto_field = "django.db.models.BigAutoField"
