"""Form fields shared by the placement and experiment admins: strategies and products."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest

from ..factories import get_adapter
from ..ranking import strategy_names


class ProductLookupMixin:
    """The ``raw_id_fields`` as autocomplete when the host's product admin can search."""

    def get_autocomplete_fields(self, request: HttpRequest) -> tuple[str, ...]:
        product_admin = self.admin_site._registry.get(get_adapter().model)
        return self.raw_id_fields if product_admin and product_admin.search_fields else ()


class StrategyChoiceMixin:
    """Strategy names as a select of the ones in settings; the model's `clean` checks too."""

    strategy_fields: tuple[str, ...] = ()

    def formfield_for_dbfield(self, db_field: models.Field, request: HttpRequest, **kwargs: Any):
        if db_field.name in self.strategy_fields:
            return forms.ChoiceField(
                choices=lambda: [(name, name) for name in strategy_names()],
                label=db_field.verbose_name.capitalize(),
                help_text=db_field.help_text,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)
