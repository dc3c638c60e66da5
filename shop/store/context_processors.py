"""Template context shared by every store page."""

from django.http import HttpRequest


def store(request: HttpRequest) -> dict:
    return {}
