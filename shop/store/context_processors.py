"""Template context shared by every store page: the header's cart count and category nav."""

from django.http import HttpRequest

from .cart import cart_count
from .catalog import top_categories


def store(request: HttpRequest) -> dict:
    """The category queryset stays lazy, so pages that do not render the header skip the query."""
    return {
        "cart_count": cart_count(request.session) if hasattr(request, "session") else 0,
        "nav_categories": top_categories(),
    }
