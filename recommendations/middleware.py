"""The engine's middleware: `ShopperSessionMiddleware` remembers an anonymous visitor's session
key inside the session, so that on login (when Django gives the session a new key) their history
can be moved to the account; `RequestMemoMiddleware` lets the widgets of one page share what
they read, and writes their impressions after the response (see `request_memo`)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .receivers import ANONYMOUS_KEY
from .request_memo import request_scope


class ShopperSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if (
            session is not None
            and session.session_key
            and not (user is not None and user.is_authenticated)
            and session.get(ANONYMOUS_KEY) != session.session_key
        ):
            session[ANONYMOUS_KEY] = session.session_key
            session.save()
        return response


class RequestMemoMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope() as scope:
            response = self.get_response(request)
        # Run by `close()`, which the server calls once the body is sent; Django offers no
        # public hook at that moment (request_finished has no request or response).
        response._resource_closers.append(scope.flush)
        return response
