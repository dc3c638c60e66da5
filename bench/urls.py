"""The shop's URLs and `/bench/floor/`; served only by the bench (`bench.settings`)."""

from django.urls import path

from shop.urls import handler500
from shop.urls import urlpatterns as shop_urlpatterns

from .floor import FloorView

__all__ = ["handler500", "urlpatterns"]

urlpatterns = [path("bench/floor/", FloorView.as_view(), name="bench-floor"), *shop_urlpatterns]
