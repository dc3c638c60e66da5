"""The "describe what you want" results page: what was understood, then the matching products."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

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
from .search import query_clean, search_problems
from .services import interaction_record
from .shoppers import shopper_key_for_request

ASK_RESULTS = 12


def ask(request: HttpRequest) -> HttpResponse:
    """Products for a request in plain words, with the limits read from it shown first; the
    closest products, said to be related, when nothing matches."""
    query = query_clean(request.GET.get("q", ""))
    context = {
        "base_template": app_settings.BASE_TEMPLATE,
        "query": query[:QUERY_MAX_LENGTH],
        "constraints": [],
        "notices": [],
        "cards": [],
        "related": False,
        "searched_for": "",
        "message": "",
    }
    if not query:
        context["message"] = _("Tell us what you are looking for, for example “%(example)s”.") % {
            "example": DESCRIBE_PLACEHOLDER
        }
    elif len(query) > QUERY_MAX_LENGTH:
        context["message"] = _(
            "Please describe it in at most %(limit)d characters; yours has %(length)d."
        ) % {"limit": QUERY_MAX_LENGTH, "length": len(query)}
    else:
        context["notices"] = read_or_empty(search_problems, query)
        context["constraints"] = read_or_empty(constraints_in_words, query)
        found = read_or_empty(selectors.search_products, query, k=ASK_RESULTS)
        context["cards"] = recommendation_cards(found)
        if found:
            context["related"] = found[0].details.get("related", False)
            context["searched_for"] = found[0].details.get("searched_for", "")
        # The shopper's own words count towards their vector, as store searches do.
        shopper = shopper_key_for_request(request, create_session=True)
        interaction_record(shopper=shopper, kind=Interaction.Kind.SEARCH, text=query)
        if not found and not context["notices"]:
            context["message"] = _("Nothing matches yet. Try other words or fewer limits.")
    return render(request, "recommendations/ask.html", context)
