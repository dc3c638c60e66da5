"""Placements for "what's next" after a purchase or with a full cart (the sequence model)."""

from django.db import migrations
from django.utils.translation import gettext_noop

PLACEMENTS = [
    ("cart-next", gettext_noop("What shoppers get next"), "sequential", 6),
    ("order-next", gettext_noop("What’s next"), "sequential", 6),
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
        ("store", "0002_recommendation_placements"),
        ("recommendations", "0007_sequential"),
    ]
    operations = [migrations.RunPython(create, remove)]
