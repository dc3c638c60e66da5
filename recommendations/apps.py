"""AppConfig of the recommendation engine."""

from django.apps import AppConfig


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = "Recommendations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks, receivers

        del checks  # imported for its @register side effect
        receivers.connect()
