"""Template context shared by every store page: the header's cart count and category nav."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .cart import cart_count
from .catalog import nav_categories


def store(request: HttpRequest) -> dict:
    """The categories stay lazy, so pages that do not render the header skip reading them."""
    return {
        "cart_count": cart_count(request.session) if hasattr(request, "session") else 0,
        "nav_categories": SimpleLazyObject(nav_categories),
    }
