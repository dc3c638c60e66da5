"""URLs of the API; a project includes them under a prefix of its choice, e.g. ``api/``."""

from django.urls import path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from .privacy import MyDataView, PersonalisationView
from .views import (
    EventView,
    ForYouView,
    PlacementClickView,
    PlacementView,
    ProductViewSet,
    SearchView,
    StrategyView,
)

app_name = "recommendations_api"

router = SimpleRouter()
router.register("products", ProductViewSet, basename="product")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its script from a URL, not inline, so a Content-Security-Policy
    # without 'unsafe-inline' allows it.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name=f"{app_name}:schema"), name="docs"),
    path(
        "redoc/",
        SpectacularRedocView.as_view(
            url_name=f"{app_name}:schema", template_name="recommendations/api/redoc.html"
        ),
        name="redoc",
    ),
    path("recommendations/for-you/", ForYouView.as_view(), name="for-you"),
    path("search/", SearchView.as_view(), name="search"),
    path("recommendations/", StrategyView.as_view(), name="strategy"),
    path("events/", EventView.as_view(), name="events"),
    path("me/data/", MyDataView.as_view(), name="my-data"),
    path("me/personalisation/", PersonalisationView.as_view(), name="personalisation"),
    path("placements/<slug:name>/", PlacementView.as_view(), name="placement"),
    path("placements/<slug:name>/click/", PlacementClickView.as_view(), name="placement-click"),
    *router.urls,
]
