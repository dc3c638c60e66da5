"""The preview page: what each widget would show for a product, a shopper and a request.

Staff check the engine here before a widget goes live; every section lists each product's score,
strategy, reason and the facts behind the reason.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path

from .. import selectors
from ..factories import get_adapter
from ..presentation import (
    DESCRIBE_PLACEHOLDER,
    QUERY_MAX_LENGTH,
    constraints_in_words,
    product_card,
    recommendation_cards,
)
from ..ranking import Recommendation
from ..reasons.serve import reason_language
from ..reasons.words import facts_in_words
from .shoppers import shopper_key_lookup

PRODUCT_CHOICES_SHOWN = 20
PREVIEW_K = 8

# The single signals behind "for you", shown next to it so an admin sees what each contributes.
SHOPPER_SECTIONS = [
    ("collaborative", "Collaborative only"),
    ("content", "Content only"),
    ("recently_viewed", "Recently viewed"),
]


class PreviewForm(forms.Form):
    product = forms.CharField(
        required=False, help_text="A product id, or words of its title.", max_length=200
    )
    shopper = forms.CharField(
        required=False, help_text="A key such as u:12 or s:…, or a username.", max_length=150
    )
    q = forms.CharField(
        label="Request in plain words",
        required=False,
        max_length=QUERY_MAX_LENGTH,
        help_text=f"For example: {DESCRIBE_PLACEHOLDER}.",
    )
    k = forms.IntegerField(
        label="Results",
        required=False,
        min_value=1,
        initial=PREVIEW_K,
        help_text="How many each widget shows; capped at the MAX_K setting.",
    )


class RecommendationPreviewMixin:
    """Adds the preview page (``admin:recommendations_preview``) to a model admin's URLs."""

    def get_urls(self) -> list[URLPattern]:
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name="recommendations_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest) -> HttpResponse:
        """What each widget would show for a product, a shopper and a request, with scores."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = PreviewForm(request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Preview recommendations",
            "form": form,
            "counts": selectors.embedding_state_counts(),
        }
        if form.is_valid():
            context.update(_preview(form.cleaned_data))
        return TemplateResponse(request, "admin/recommendations/preview.html", context)


def _preview(data: dict[str, Any]) -> dict[str, Any]:
    k, sections, notes, choices = data["k"] or PREVIEW_K, [], [], []
    if data["product"]:
        products = _products_matching(data["product"])
        if len(products) == 1:
            product = products[0]
            state = selectors.embedding_states([product.pk])[product.pk]
            sections.append(
                _section(
                    f"Similar products to “{product}” (its embedding: {state.label.lower()})",
                    selectors.similar_products(product.pk, k=k),
                )
            )
            sections.append(
                _section(
                    f"Frequently bought together with “{product}”",
                    selectors.recommend("fbt", product_id=product.pk, k=k),
                )
            )
        elif products:
            choices = [product_card(p) for p in products]
        else:
            notes.append(f"No product matches “{data['product']}”.")
    if data["shopper"]:
        shopper = shopper_key_lookup(data["shopper"])
        if shopper is None:
            notes.append(f"No user is named “{data['shopper']}”.")
        else:
            if not selectors.shopper_has_vector(shopper):
                notes.append(f"{shopper} has no vector yet: for-you shows popular products.")
            sections.append(_section(f"Recommended for {shopper}", selectors.for_you(shopper, k=k)))
            for strategy, title in SHOPPER_SECTIONS:
                sections.append(
                    _section(
                        f"{title} for {shopper}",
                        selectors.recommend(strategy, shopper=shopper, k=k),
                    )
                )
    if data["q"]:
        limits = ", ".join(constraints_in_words(data["q"])) or "none"
        title = f"Request “{data['q']}” (limits read from it: {limits})"
        sections.append(_section(title, selectors.search_products(data["q"], k=k)))
    return {"sections": sections, "notes": notes, "product_choices": choices}


def _products_matching(value: str) -> list[models.Model]:
    adapter = get_adapter()
    queryset = adapter.queryset()
    if value.strip().isdigit():
        return list(queryset.filter(pk=int(value)))
    title = adapter.title_field
    matching = queryset.filter(**{f"{title}__icontains": value.strip()}).order_by(title, "pk")
    return list(matching[:PRODUCT_CHOICES_SHOWN])


def _section(title: str, recommendations: list[Recommendation]) -> dict[str, Any]:
    """Each row with its reason and, instead of raw scores, the facts behind it in words."""
    rows = recommendation_cards(recommendations)
    language = reason_language()
    for row, recommendation in zip(rows, recommendations, strict=True):
        evidence = recommendation.evidence
        row["facts"] = facts_in_words(evidence, language) if evidence is not None else []
    return {"title": title, "rows": rows}
