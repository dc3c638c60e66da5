"""URLs of the demo shop."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("recommendations/", include("recommendations.urls")),
    path("api/", include("recommendations.api.urls")),
    path("", include("shop.store.urls")),
]
