"""The hand-written words the demo catalog is made of: departments, sub-categories, brands."""

from . import home_living, outdoor_sports, style_family, tech_play
from .schema import Department, Leaf, ProductType

DEPARTMENTS: tuple[Department, ...] = (
    *outdoor_sports.DEPARTMENTS,
    *home_living.DEPARTMENTS,
    *tech_play.DEPARTMENTS,
    *style_family.DEPARTMENTS,
)

__all__ = ["DEPARTMENTS", "Department", "Leaf", "ProductType"]
