"""pg_trgm for typo-tolerant search, and a trigram index on the product titles it reads."""

from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "recommendations_title_trgm"


def _title(apps, schema_editor) -> tuple[str, str]:
    from recommendations.factories import get_adapter

    model = apps.get_model(settings.RECOMMENDATIONS_PRODUCT_MODEL)
    field = model._meta.get_field(get_adapter().title_field)
    quote = schema_editor.quote_name
    return quote(model._meta.db_table), quote(field.column)


def index_create(apps, schema_editor) -> None:
    table, column = _title(apps, schema_editor)
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ({column} gin_trgm_ops)"
    )


def index_drop(apps, schema_editor) -> None:
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("recommendations", "0010_trust_signals"),
        migrations.swappable_dependency(settings.RECOMMENDATIONS_PRODUCT_MODEL),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(index_create, index_drop),
    ]
