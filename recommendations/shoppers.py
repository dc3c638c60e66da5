"""Shopper keys: one string for an account, an anonymous session or an imported shopper."""

from __future__ import annotations

from django.http import HttpRequest


def shopper_key(*, user=None, session_key: str | None = None) -> str | None:
    if user is not None and getattr(user, "is_authenticated", False):
        return f"u:{user.pk}"
    if session_key:
        return f"s:{session_key}"
    return None


def user_key(user_id: int) -> str:
    return f"u:{user_id}"


def session_shopper_key(session_key: str) -> str:
    return f"s:{session_key}"


def external_key(external_id: str) -> str:
    return f"x:{external_id}"


def shopper_key_for_request(request: HttpRequest, *, create_session: bool = False) -> str | None:
    """The caller's own key; with ``create_session`` an anonymous visitor gets a session."""
    session = getattr(request, "session", None)
    if session is not None and session.session_key is None and create_session:
        session.save()
    return shopper_key(
        user=getattr(request, "user", None),
        session_key=session.session_key if session is not None else None,
    )


SIMULATED_PREFIX = "sim:"


def simulated_key(name: str) -> str:
    """A made-up shopper (a demo's simulated traffic): the admin marks what such keys did."""
    return f"{SIMULATED_PREFIX}{name}"
