"""AppConfig of the demo store."""

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "shop.store"
    label = "store"
    verbose_name = "Store"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from .catalog import nav_categories_forget
        from .models import Category

        for signal in (post_save, post_delete):
            signal.connect(nav_categories_forget, sender=Category, dispatch_uid="store-nav")
