"""The shopper's "Your data" page: see, download and delete what the recommendations know about
them, and switch personalisation off. Signed-in shoppers act on their account, visitors on their
session; the engine's privacy services do the work."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from recommendations.privacy import (
    personalisation_set,
    shopper_data_delete,
    shopper_data_export,
)
from recommendations.shoppers import shopper_key_for_request

SUMMARY = ("events", "searches", "learned_factors", "experiment_assignments", "reasons")


@require_GET
def your_data(request: HttpRequest) -> HttpResponse:
    export = shopper_data_export(shopper_key_for_request(request))
    counts = {name: len(export[name]) for name in SUMMARY}
    counts["placement_events"] = len(export["placement_events"])
    context = {
        "counts": counts,
        "holds_anything": any(counts.values()) or export["shopper_vector"] is not None,
        "vector": export["shopper_vector"],
        "personalised": export["personalised"],
    }
    return render(request, "store/your_data.html", context)


@require_GET
def your_data_download(request: HttpRequest) -> JsonResponse:
    export = shopper_data_export(shopper_key_for_request(request))
    response = JsonResponse(export, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="my-recommendation-data.json"'
    return response


@require_POST
def your_data_delete(request: HttpRequest) -> HttpResponse:
    shopper = shopper_key_for_request(request)
    if shopper is not None:
        shopper_data_delete(shopper)
    messages.success(request, _("Everything the recommendations knew about you is deleted."))
    return redirect("store:your_data")


@require_POST
def your_data_personalisation(request: HttpRequest) -> HttpResponse:
    """A missing or unknown choice keeps the current one: only "on" and "off" change it."""
    choice = request.POST.get("personalised")
    if choice not in {"on", "off"}:
        messages.error(request, _("Choose whether recommendations may be personal."))
        return redirect("store:your_data")
    enabled = choice == "on"
    personalisation_set(shopper_key_for_request(request, create_session=True), enabled=enabled)
    messages.success(
        request,
        _("Recommendations are personal again.")
        if enabled
        else _("Personalisation is off: you see what is popular, not what you did."),
    )
    return redirect("store:your_data")
