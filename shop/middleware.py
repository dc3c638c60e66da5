"""While the database is down, pages answer a friendly 503 with ``Retry-After``, the API in JSON.

Nothing has to be restarted when it is back: connections are health-checked before reuse
(``CONN_HEALTH_CHECKS``) and a broken one is replaced at the next request. The middleware answers
for errors raised by views; ``server_error``, the project's ``handler500``, for those raised in
other middleware (a session saved after the response), which Django turns into a 500 before any
middleware could see them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.views import APIView

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# A restarted database is usually back within this many seconds.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_ERRORS):
        return database_unavailable(request, exception)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Rendered without context processors or the session: they would need the database too."""
    logger.error("Database unavailable for %s %s: %s", request.method, request.path, exception)
    if _is_api(request):
        response: HttpResponse = JsonResponse(
            {"detail": _("The service is temporarily unavailable. Please retry shortly.")},
            status=503,
        )
    else:
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _is_api(request: HttpRequest) -> bool:
    match = request.resolver_match
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
    view_class = getattr(match.func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)
