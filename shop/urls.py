"""URLs of the demo shop."""

from django.contrib import admin
from django.urls import include, path

from recommendations import health

# A database outage raised outside a view is a 503 too (see shop/middleware.py).
handler500 = "shop.middleware.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Load balancers and orchestrators: live = the process answers, ready = the models are loaded.
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("recommendations/", include("recommendations.urls")),
    path("api/", include("recommendations.api.urls")),
    # The language switcher posts to `set_language`; URLs carry no language prefix.
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("shop.store.urls")),
]
