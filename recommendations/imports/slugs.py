"""Unique slugs for the rows an import creates: products, categories and brands."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import FieldDoesNotExist
from django.db import models


def has_field(model: type[models.Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def slug_values(
    model: type[models.Model], name: str, bases: list[str], *, reserved: Collection[str] = ()
) -> list[dict[str, str]]:
    """For each base, {name: the first of base, base-2, base-3… that neither the table, an
    earlier base nor `reserved` (slugs the file gives other rows) has}; an empty dict each when
    the model has no such field."""
    if not has_field(model, name):
        return [{} for _ in bases]
    max_length = model._meta.get_field(name).max_length
    bases = [base[:max_length].strip("-") for base in bases]
    manager = model._default_manager
    taken = set(manager.filter(**{f"{name}__in": bases}).values_list(name, flat=True))
    slugs = []
    for base in bases:
        candidate, number = base, 1
        while (
            candidate in taken
            or candidate in reserved
            or (number > 1 and manager.filter(**{name: candidate}).exists())
        ):
            number += 1
            suffix = f"-{number}"
            candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
        taken.add(candidate)
        slugs.append({name: candidate})
    return slugs
