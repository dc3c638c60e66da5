"""System checks: misconfiguration is reported at start-up in one clear line."""

from __future__ import annotations

from django.apps import apps
from django.core.checks import Error, register
from django.db import connections
from django.db.utils import DatabaseError

from .conf import app_settings


@register("recommendations")
def check_product_model(app_configs=None, **kwargs) -> list[Error]:
    name = app_settings.PRODUCT_MODEL
    try:
        apps.get_model(name or "")
    except (LookupError, ValueError):
        return [
            Error(
                f"RECOMMENDATIONS['PRODUCT_MODEL'] is {name!r}, which is not an installed model.",
                hint="Set it to 'app_label.ModelName' of your product model.",
                id="recommendations.E001",
            )
        ]
    return []


@register("recommendations")
def check_vector_extension(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """Runs on a plain `manage.py check`, not only with --database, so the advice is seen early."""
    errors = []
    for alias in databases or ["default"]:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
                available = cursor.fetchone() is not None
        except DatabaseError as exc:
            errors.append(
                Error(
                    f"Database {alias!r} cannot be reached: {exc}".splitlines()[0],
                    id="recommendations.E002",
                )
            )
            continue
        if not available:
            errors.append(
                Error(
                    f"Database {alias!r} lacks the pgvector 'vector' extension.",
                    hint="Install pgvector on that PostgreSQL server (or unset DATABASE_URL).",
                    id="recommendations.E003",
                )
            )
    return errors
