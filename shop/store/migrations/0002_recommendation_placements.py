"""The demo store's recommendation placements: where widgets go and which strategy fills them."""

from django.db import migrations
from django.utils.translation import gettext_noop

PLACEMENTS = [
    ("home", gettext_noop("Recommended for you"), "for_you", 8),
    ("product", gettext_noop("Similar products"), "similar", 6),
    ("product-bought-together", gettext_noop("Frequently bought together"), "fbt", 4),
    ("cart", gettext_noop("Complete your order"), "fbt", 6),
]


def create(apps, schema_editor):
    Placement = apps.get_model("recommendations", "Placement")
    for name, title, strategy, k in PLACEMENTS:
        Placement.objects.get_or_create(
            name=name, defaults={"title": title, "default_strategy": strategy, "k": k}
        )


def remove(apps, schema_editor):
    Placement = apps.get_model("recommendations", "Placement")
    Placement.objects.filter(name__in=[name for name, *_ in PLACEMENTS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0001_initial"),
        ("recommendations", "0005_placements"),
    ]
    operations = [migrations.RunPython(create, remove)]
