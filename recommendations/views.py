"""The "describe what you want" results page: what was understood, then the matching products."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import selectors
from .conf import app_settings
from .models import Interaction
from .presentation import (
    DESCRIBE_PLACEHOLDER,
    QUERY_MAX_LENGTH,
    constraints_in_words,
    read_or_empty,
    recommendation_cards,
)
from .services import interaction_record
from .shoppers import shopper_key_for_request

ASK_RESULTS = 12


def ask(request: HttpRequest) -> HttpResponse:
    """Products for a request in plain words, with the limits read from it shown first."""
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
