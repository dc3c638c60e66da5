"""What the engine shows people: cards, a request's limits in words, and nothing on failure.

Widgets, the ask page, the API and the admin preview all call this module and never each other,
so a card or a limit reads the same wherever it appears.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from .conf import app_settings
from .factories import get_adapter
from .product_rows import product_summary
from .ranking import Recommendation
from .reasons.serve import reasons_attach
from .shopping_requests import ParsedRequest, request_parse
from .tasks import reasons_enqueue

logger = logging.getLogger(__name__)

# Free-text requests: the longest one read, and the example shown in an empty box.
QUERY_MAX_LENGTH = 500
DESCRIBE_PLACEHOLDER = "a gift for a runner under 50 EUR"


def guarded() -> AbstractContextManager:
    """A savepoint where there is a transaction to keep usable after an error; outside one a
    failed read harms nothing, and BEGIN and COMMIT would be two more round trips."""
    return transaction.atomic() if transaction.get_connection().in_atomic_block else nullcontext()


def read_or_empty(read: Callable[..., list], *args: Any, **kwargs: Any) -> list:
    """The read's list, or [] after a warning: a page must never break because of the engine.

    A savepoint keeps the page's transaction usable after a database error.
    """
    try:
        with guarded():
            return read(*args, **kwargs)
    except (DatabaseError, ValueError):
        logger.warning("Recommendations: %s failed, showing nothing", read.__name__, exc_info=True)
        return []


def product_card(product: models.Model) -> dict[str, Any]:
    """A product as every front end shows it: the adapter's summary, never a vector."""
    return product_summary(product)


def recommendation_card(recommendation: Recommendation) -> dict[str, Any]:
    """A product card, how the product was ranked, and why (see `reasons_explain`)."""
    evidence = recommendation.evidence
    return {
        **product_card(recommendation.product),
        "score": recommendation.score,
        "strategy": recommendation.strategy,
        "details": recommendation.details,
        "reason": recommendation.reason,
        "reason_source": recommendation.reason_source,
        "evidence": evidence.as_dict() if evidence is not None else None,
    }


def recommendation_cards(
    recommendations: list[Recommendation], *, reasons: bool = True
) -> list[dict[str, Any]]:
    """One card per recommendation, in the order ranked, each with its reason unless the
    placement (or its experiment variant) turns them off. For templates: each card holds the
    product's row too (`instance`), so a shop's card template needs no query of its own."""
    if reasons:
        reasons_explain(recommendations)
    return [
        {**recommendation_card(recommendation), "instance": recommendation.product}
        for recommendation in recommendations
    ]


def reasons_explain(recommendations: list[Recommendation]) -> None:
    """Reasons in the active language, from the cache or the templates; what is missing is
    queued for a worker unless the template generator is configured."""
    generator = app_settings.REASONS["GENERATOR"]
    enqueue = None if generator == "template" else reasons_enqueue
    try:
        with guarded():
            reasons_attach(recommendations, enqueue=enqueue)
    except DatabaseError:
        logger.warning("Reasons: the cache could not be read, showing none", exc_info=True)


def recommendation_listing(results: list[Recommendation], strategy: str) -> dict[str, Any]:
    """A list named after the strategy that answered, which differs when "for you" falls back;
    each result with its reason."""
    reasons_explain(results)
    return {
        "results": results,
        "count": len(results),
        "strategy": results[0].strategy if results else strategy,
    }


def constraints_in_words(query: str) -> list[str]:
    """The hard limits read from a request, so a person sees why results were left out."""
    parsed = request_parse(query)
    words = [price] if (price := _price_in_words(parsed)) else []
    adapter = get_adapter()
    if parsed.brand_ids:
        names = _names(adapter.brand_model(), adapter.brand_name_field, parsed.brand_ids)
        words.append(_("brand: %(names)s") % {"names": ", ".join(names)})
    if parsed.category_ids:
        # The first id is the category named; the others are below it.
        names = _names(
            adapter.category_model(), adapter.category_name_field, parsed.category_ids[:1]
        )
        words.append(_("category: %(names)s") % {"names": ", ".join(names)})
    if parsed.in_stock:
        words.append(_("in stock"))
    return words


def _price_in_words(parsed: ParsedRequest) -> str:
    low, high = parsed.min_price, parsed.max_price
    if low is not None and high is not None:
        return _("price between %(low)s and %(high)s") % {"low": low, "high": high}
    if high is not None:
        return _("price at most %(high)s") % {"high": high}
    if low is not None:
        return _("price at least %(low)s") % {"low": low}
    return ""


def _names(model: type[models.Model], name_field: str, ids: list[int]) -> list[str]:
    return [
        str(name)
        for name in model._default_manager.filter(pk__in=ids)
        .order_by(name_field)
        .values_list(name_field, flat=True)
    ]
