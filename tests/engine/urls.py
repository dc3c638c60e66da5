"""URLs of the engine's test host: the engine's pages, its API and the admin, as the README says."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("recommendations/", include("recommendations.urls")),
    path("api/", include("recommendations.api.urls")),
]
