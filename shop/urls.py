"""URLs of the demo shop."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("recommendations/", include("recommendations.urls")),
    path("api/", include("recommendations.api.urls")),
    # The language switcher posts to `set_language`; URLs carry no language prefix.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("shop.store.urls")),
]
