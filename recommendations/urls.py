"""Public pages of the engine; a host includes them, e.g. under ``recommendations/``."""

from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    path("ask/", views.ask, name="ask"),
]
