"""Clicks name the list they came from (its impression token), and count once per card of it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0009_privacy"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendationevent",
            name="impression",
            field=models.CharField(
                blank=True,
                help_text="The list shown (its signed token's id); a click names the one it came "
                "from.",
                max_length=32,
            ),
        ),
        migrations.AddConstraint(
            model_name="recommendationevent",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "click"), models.Q(("impression", ""), _negated=True)),
                fields=("impression", "product"),
                name="rec_event_click_once",
            ),
        ),
    ]
