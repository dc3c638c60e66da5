"""The demo catalog as plain data: categories, brands and products composed from the vocabulary.

Product number n depends only on the seed and n, so a larger catalog extends a smaller one, and the
same seed gives the same catalog in any process (string seeds hash with SHA-512, not `hash()`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from random import Random
from typing import Any

from django.utils.text import slugify

from . import texts
from .personas import PRICE_BANDS
from .vocabulary import DEPARTMENTS, Department, Leaf

OUT_OF_STOCK_SHARE = 0.08
INACTIVE_SHARE = 0.02


@dataclass(frozen=True, slots=True)
class CategoryDraft:
    slug: str
    name: str
    parent_slug: str | None
    description: str
    depth: int


@dataclass(frozen=True, slots=True)
class BrandDraft:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class ProductDraft:
    """A product row plus what the behaviour simulation needs to know about it."""

    number: int
    external_id: str
    title: str
    slug: str
    description: str
    category_slug: str
    brand_name: str
    price: Decimal
    stock: int
    attributes: dict[str, Any]
    is_active: bool
    leaf_key: str
    noun: str
    features: tuple[str, ...]
    consumable: bool
    popularity: float
    quality: float


def category_slug(path: tuple[str, ...]) -> str:
    return slugify(" ".join(path))


def leaves_interleaved() -> tuple[tuple[Department, Leaf], ...]:
    """One sub-category of each department in turn: even a small catalog spans every department."""
    rounds = max(len(d.leaves) for d in DEPARTMENTS)
    return tuple((d, d.leaves[r]) for r in range(rounds) for d in DEPARTMENTS if r < len(d.leaves))


def categories_build() -> tuple[CategoryDraft, ...]:
    """The whole tree, parents first; intermediate levels (Beauty > Makeup) come from leaf paths."""
    drafts: dict[str, CategoryDraft] = {}
    for dept in DEPARTMENTS:
        brands = ", ".join(dept.brands)
        for leaf in dept.leaves:
            for depth in range(len(leaf.path)):
                path = leaf.path[: depth + 1]
                slug = category_slug(path)
                if slug in drafts:
                    continue
                if depth == 0:
                    description = dept.blurb
                elif path == leaf.path:
                    description = f"{path[-1]} by {brands}."
                else:
                    description = f"{path[-1]} in {dept.name}."
                parent = category_slug(path[:-1]) if depth else None
                drafts[slug] = CategoryDraft(slug, path[-1], parent, description, depth)
    return tuple(sorted(drafts.values(), key=lambda c: (c.depth, c.slug)))


def brands_build() -> tuple[BrandDraft, ...]:
    return tuple(BrandDraft(slugify(name), name) for d in DEPARTMENTS for name in d.brands)


def price_draw(rng: Random, *, low: int, high: int, tier: str) -> tuple[Decimal, str]:
    """Log-uniform within the type's range, in the brand's third of it with some overlap.

    Returns the shelf price (ending in .99 or .49 like a real shop) and its price band.
    """
    position = (PRICE_BANDS.index(tier) + rng.uniform(-0.35, 1.35)) / 3
    position = min(max(position, 0.0), 1.0)
    raw = low * (high / low) ** position
    if raw < 10:
        shelf = int(raw) + (0.49 if raw % 1 < 0.5 else 0.99)
    elif raw < 100:
        shelf = int(raw) + 0.99
    elif raw < 1000:
        shelf = round(raw / 5) * 5 - 0.01
    else:
        shelf = round(raw / 50) * 50 - 0.01
    band = PRICE_BANDS[min(int(position * 3), 2)]
    return Decimal(f"{shelf:.2f}"), band


def stock_draw(rng: Random) -> int:
    """Some products sold out, most a few dozen, bestsellers a few hundred."""
    if rng.random() < OUT_OF_STOCK_SHARE:
        return 0
    return rng.randint(1, 40) if rng.random() < 0.7 else rng.randint(40, 400)


def product_build(
    number: int, seed: int, slots: tuple[tuple[Department, Leaf], ...]
) -> ProductDraft:
    rng = Random(f"demo-product:{seed}:{number}")
    dept, leaf = slots[(number - 1) % len(slots)]
    kind = rng.choice(leaf.types)
    brand, tier = rng.choice(tuple(dept.brands.items()))
    audience = rng.choice(kind.audiences + leaf.audiences)
    features = tuple(rng.sample(kind.features + leaf.features, 3))
    price, band = price_draw(rng, low=kind.low, high=kind.high, tier=tier)
    attributes: dict[str, Any] = {
        "material": rng.choice(kind.materials + leaf.materials),
        "use": rng.choice(kind.uses + leaf.uses),
        "audience": audience,
        "style": rng.choice(leaf.styles),
        "colour": rng.choice(kind.colours or dept.colours),
        "price_band": band,
        "brand_tier": tier,
        "product_type": kind.noun,
    }
    specs = {name: rng.choice(values) for name, values in kind.specs.items()}
    attributes.update(specs)
    words = {
        "brand": brand,
        "model": rng.choice(leaf.models or dept.models),
        "edition": rng.choice(dept.editions),
        "noun": kind.noun,
        "feature_1": texts.title_case(features[0]),
        "feature_2": texts.title_case(features[1]),
    }
    title = dept.title.format(**words, audience=texts.audience_title_prefix(audience, kind.noun))
    opener = dept.opener.format(
        **words | {"noun": texts.in_sentence(kind.noun)},
        style=texts.with_article(attributes["style"], noun=kind.noun),
        verb="are" if texts.plural(kind.noun) else "is",
        audience=texts.audience_phrase(audience),
        use=attributes["use"],
    )
    details = dept.details.format(
        material=attributes["material"],
        features=f"{features[0]}, {features[1]} and {features[2]}",
    )
    # Worth mentioning only where there is a choice: not for coffee beans or a one-colour book.
    choice = not kind.consumable and len(kind.colours or dept.colours) > 1
    colour = attributes["colour"] if choice else None
    paragraphs = (opener, details, texts.spec_sentence(specs, colour), rng.choice(dept.promises))
    description = "\n\n".join(p for p in paragraphs if p)
    name = title.split(" – ")[0]
    return ProductDraft(
        number=number,
        external_id=f"demo-{number:06d}",
        title=title,
        slug=f"{slugify(name)[:200]}-{number:06d}",
        description=description,
        category_slug=category_slug(leaf.path),
        brand_name=brand,
        price=price,
        stock=stock_draw(rng),
        attributes=attributes,
        is_active=rng.random() >= INACTIVE_SHARE,
        leaf_key=leaf.key,
        noun=kind.noun,
        features=features,
        consumable=kind.consumable,
        popularity=rng.lognormvariate(0, 1),
        quality=rng.gauss(4.0, 0.6),
    )


def products_build(*, products: int, seed: int) -> Iterator[ProductDraft]:
    slots = leaves_interleaved()
    for number in range(1, products + 1):
        yield product_build(number, seed, slots)
