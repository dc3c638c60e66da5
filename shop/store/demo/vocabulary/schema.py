"""The shape of the hand-written catalog vocabulary, and helpers that keep it terse to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

DEFAULT_TITLE = "{brand} {model}{edition} {audience}{noun} – {feature_1}, {feature_2}"
DEFAULT_OPENER = "The {brand} {model}{edition} {verb} {style} {noun}{audience}, perfect for {use}."
DEFAULT_DETAILS = "Made with {material}. Highlights: {features}."


def words(text: str) -> tuple[str, ...]:
    """Comma-separated choices: one vocabulary line stays one line after formatting."""
    return tuple(item.strip() for item in text.split(",") if item.strip())


@dataclass(frozen=True)
class ProductType:
    """One kind of product: its name, typical price range in EUR and what sets it apart.

    Its materials, features, uses and audiences add to those its sub-category shares, so a tea
    never gets the espresso machine's steam wand. `specs` are type-specific attributes.
    """

    noun: str
    low: int
    high: int
    materials: tuple[str, ...] = ()
    features: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    """Replace the department's colours where those make no sense (a rattan basket is natural)."""
    specs: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    consumable: bool = False
    """Bought again and again (coffee, gels, dog food), so a basket may hold several."""


def kind(
    noun: str,
    low: int,
    high: int,
    *,
    materials: str = "",
    features: str = "",
    uses: str = "",
    audiences: str = "",
    colours: str = "",
    consumable: bool = False,
    **specs: Any,
) -> ProductType:
    """Specs are given as comma-separated text or as tuples (numbers stay numbers)."""
    return ProductType(
        noun,
        low,
        high,
        materials=words(materials),
        features=words(features),
        uses=words(uses),
        audiences=words(audiences),
        colours=words(colours),
        specs={name: words(v) if isinstance(v, str) else v for name, v in specs.items()},
        consumable=consumable,
    )


@dataclass(frozen=True)
class Leaf:
    """A sub-category products are filed in, with the words its product types share."""

    path: tuple[str, ...]
    types: tuple[ProductType, ...]
    materials: tuple[str, ...]
    features: tuple[str, ...]
    uses: tuple[str, ...]
    audiences: tuple[str, ...]
    styles: tuple[str, ...]
    models: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return " > ".join(self.path)


def leaf(
    path: str,
    *types: ProductType,
    styles: str,
    materials: str = "",
    features: str = "",
    uses: str = "",
    audiences: str = "",
    models: str = "",
) -> Leaf:
    """`models` overrides the department's model names where they would not fit (book titles)."""
    return Leaf(
        path=tuple(part.strip() for part in path.split(">")),
        types=types,
        materials=words(materials),
        features=words(features),
        uses=words(uses),
        audiences=words(audiences),
        styles=words(styles),
        models=words(models),
    )


@dataclass(frozen=True)
class Department:
    """A top-level category: brands by price tier, model names, colours and closing lines.

    `title`, `opener` and `details` are format strings for a product's title and copy.
    """

    name: str
    blurb: str
    brands: dict[str, str]
    models: tuple[str, ...]
    editions: tuple[str, ...]
    colours: tuple[str, ...]
    promises: tuple[str, ...]
    leaves: tuple[Leaf, ...]
    title: str = DEFAULT_TITLE
    opener: str = DEFAULT_OPENER
    details: str = DEFAULT_DETAILS


def department(
    name: str,
    *leaves: Leaf,
    blurb: str,
    budget: str,
    mid: str,
    premium: str,
    editions: str,
    colours: str,
    promises: tuple[str, ...],
    models: str = "",
    title: str = DEFAULT_TITLE,
    opener: str = DEFAULT_OPENER,
    details: str = DEFAULT_DETAILS,
) -> Department:
    """Brands are listed per price tier; in `editions` a "-" stands for a model without suffix."""
    brands = {}
    for tier, names in (("budget", budget), ("mid", mid), ("premium", premium)):
        brands.update(dict.fromkeys(words(names), tier))
    return Department(
        name=name,
        blurb=blurb,
        brands=brands,
        models=words(models),
        editions=tuple("" if e == "-" else f" {e}" for e in words(editions)),
        colours=words(colours),
        promises=promises,
        leaves=leaves,
        title=title,
        opener=opener,
        details=details,
    )
