"""Health checks for load balancers and orchestrators: alive, and ready to serve."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from .warmup import models_warm_state

# Seconds a client may wait before asking again while the encoder loads.
RETRY_AFTER = 5


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    """The process answers: restarting it would not help while this is 200."""
    return JsonResponse({"status": "live"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    """200 only once this process has its text encoder and the active model version loaded, so
    no shopper waits for them."""
    state = models_warm_state()
    if state is None:
        return JsonResponse(
            {"status": "warming up", "detail": "the models are not loaded yet"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER)},
        )
    return JsonResponse(
        {
            "status": "ready",
            "encoder": state["encoder"],
            "model_version": state["model_version"],
            "warm_up_seconds": state["seconds"],
        }
    )
