"""The "describe what you want" results page: what was understood, then the matching products."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .conf import app_settings
from .factories import get_adapter
from .models import Interaction
from .queries import ParsedRequest, request_parse
from .services import interaction_record
from .shoppers import shopper_key_for_request
from .templatetags.recommendations import (
    DESCRIBE_PLACEHOLDER,
    QUERY_MAX_LENGTH,
    read_or_empty,
    recommendation_cards,
)

ASK_RESULTS = 12


def ask(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    context = {
        "base_template": app_settings.BASE_TEMPLATE,
        "query": query[:QUERY_MAX_LENGTH],
        "constraints": [],
        "cards": [],
        "message": "",
    }
    if not query:
        context["message"] = (
            f"Tell us what you are looking for, for example “{DESCRIBE_PLACEHOLDER}”."
        )
    elif len(query) > QUERY_MAX_LENGTH:
        context["message"] = (
            f"Please describe it in at most {QUERY_MAX_LENGTH} characters; yours has {len(query)}."
        )
    else:
        context["constraints"] = read_or_empty(constraints_in_words, query)
        found = read_or_empty(selectors.search_products, query, k=ASK_RESULTS)
        context["cards"] = recommendation_cards(found)
        # The shopper's own words count towards their vector, as store searches do.
        shopper = shopper_key_for_request(request, create_session=True)
        interaction_record(shopper=shopper, kind=Interaction.Kind.SEARCH, text=query)
        if not found:
            context["message"] = "Nothing matches yet. Try other words or fewer limits."
    return render(request, "recommendations/ask.html", context)


def constraints_in_words(query: str) -> list[str]:
    """The hard limits read from the request, so a shopper sees why results were left out."""
    parsed = request_parse(query)
    words = [price] if (price := _price_in_words(parsed)) else []
    adapter = get_adapter()
    if parsed.brand_ids:
        names = _names(adapter.brand_model(), adapter.brand_name_field, parsed.brand_ids)
        words.append(f"brand: {', '.join(names)}")
    if parsed.category_ids:
        # The first id is the category named; the others are below it.
        names = _names(
            adapter.category_model(), adapter.category_name_field, parsed.category_ids[:1]
        )
        words.append(f"category: {', '.join(names)}")
    if parsed.in_stock:
        words.append("in stock")
    return words


def _price_in_words(parsed: ParsedRequest) -> str:
    low, high = parsed.min_price, parsed.max_price
    if low is not None and high is not None:
        return f"price between {low} and {high}"
    if high is not None:
        return f"price at most {high}"
    if low is not None:
        return f"price at least {low}"
    return ""


def _names(model, name_field: str, ids: list[int]) -> list[str]:
    return [
        str(name)
        for name in model._default_manager.filter(pk__in=ids)
        .order_by(name_field)
        .values_list(name_field, flat=True)
    ]
