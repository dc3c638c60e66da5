import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0008_reasons"),
    ]

    operations = [
        migrations.CreateModel(
            name="ShopperPreference",
            fields=[
                ("shopper", models.CharField(max_length=120, primary_key=True, serialize=False)),
                (
                    "personalised",
                    models.BooleanField(
                        default=True,
                        help_text="Off: only non-personal strategies (popular, trending) serve them.",
                    ),
                ),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
    ]
