"""Who the synthetic shoppers are: tastes that make their history coherent and learnable.

`interests` are what a persona's content explains (a trail runner browses trail shoes).
`companions` are what only behaviour explains: categories far from the interests, bought alongside
them by many shoppers of the persona (trail runners also buy energy gels and GPS watches, new
parents buy coffee). Companion purchases concentrate on a few persona favourites, so collaborative
filtering finds item-to-item signal that no product text contains.
"""

from __future__ import annotations

from dataclasses import dataclass

PRICE_BANDS = ("budget", "mid", "premium")


@dataclass(frozen=True)
class Persona:
    name: str
    interests: tuple[tuple[str, ...], ...]
    companions: tuple[str, ...]
    price_weights: tuple[int, int, int]
    """Relative chance of a shopper being budget, mid or premium minded."""


def persona(
    name: str, *interests: str, companions: str, price_weights: tuple[int, int, int]
) -> Persona:
    """Interests are `;`-separated sets of sub-categories, the first one every shopper has."""
    return Persona(
        name=name,
        interests=tuple(tuple(part.strip() for part in i.split(";")) for i in interests),
        companions=tuple(part.strip() for part in companions.split(";")),
        price_weights=price_weights,
    )


PERSONAS: tuple[Persona, ...] = (
    persona(
        "trail runner",
        "Running > Trail running shoes; Running > Running apparel",
        "Running > Hydration; Outdoor > Headlamps & lanterns",
        "Books > Outdoor & travel",
        companions="Running > Sports nutrition; Electronics > Wearables",
        price_weights=(2, 5, 3),
    ),
    persona(
        "camper",
        "Outdoor > Tents; Outdoor > Sleeping bags",
        "Outdoor > Backpacks; Outdoor > Camp kitchen",
        "Outdoor > Headlamps & lanterns",
        companions="Electronics > Power & charging; Kitchen > Coffee & tea",
        price_weights=(3, 5, 2),
    ),
    persona(
        "cyclist",
        "Cycling > Helmets; Cycling > Cycling apparel",
        "Cycling > Bike lights; Cycling > Tools & maintenance",
        "Cycling > Bike computers",
        companions="Running > Sports nutrition; Electronics > Power & charging",
        price_weights=(2, 4, 4),
    ),
    persona(
        "fitness fan",
        "Fitness > Strength training; Fitness > Recovery",
        "Fitness > Yoga",
        "Fitness > Cardio machines",
        companions="Running > Sports nutrition; Electronics > Headphones",
        price_weights=(3, 5, 2),
    ),
    persona(
        "home cook",
        "Kitchen > Cookware; Kitchen > Knives",
        "Kitchen > Bakeware; Kitchen > Small appliances",
        "Books > Cookbooks",
        companions="Garden > Plants & seeds; Home > Decor",
        price_weights=(2, 5, 3),
    ),
    persona(
        "gamer",
        "Electronics > Gaming > Controllers; Electronics > Gaming > Headsets",
        "Electronics > Gaming > Keyboards & mice",
        "Home > Home office",
        companions="Home > Lighting; Toys > Board games",
        price_weights=(3, 4, 3),
    ),
    persona(
        "new parent",
        "Baby > Strollers; Baby > Nursery",
        "Baby > Feeding; Baby > Baby clothing",
        "Toys > Baby & toddler toys; Books > Children's books",
        companions="Kitchen > Coffee & tea; Home > Bedding",
        price_weights=(3, 5, 2),
    ),
    persona(
        "gardener",
        "Garden > Garden tools; Garden > Plants & seeds",
        "Garden > Watering",
        "Garden > Outdoor furniture; Garden > Grills & BBQ",
        companions="Beauty > Skincare; Fashion > Outerwear",
        price_weights=(4, 4, 2),
    ),
    persona(
        "beauty fan",
        "Beauty > Skincare; Beauty > Makeup > Face",
        "Beauty > Makeup > Nails; Beauty > Makeup > Lips",
        "Beauty > Haircare; Beauty > Fragrance",
        companions="Fashion > Bags; Home > Decor",
        price_weights=(3, 4, 3),
    ),
    persona(
        "pet owner",
        "Pets > Pet food; Pets > Dogs",
        "Pets > Cats",
        companions="Fashion > Outerwear; Outdoor > Headlamps & lanterns",
        price_weights=(4, 4, 2),
    ),
    persona(
        "bookworm",
        "Books > Fiction",
        "Books > Science & technology",
        "Toys > Puzzles",
        companions="Kitchen > Coffee & tea; Home > Lighting",
        price_weights=(4, 4, 2),
    ),
    persona(
        "remote worker",
        "Home > Home office; Electronics > Headphones",
        "Electronics > Smart home",
        "Home > Storage",
        companions="Kitchen > Coffee & tea; Garden > Plants & seeds",
        price_weights=(2, 5, 3),
    ),
    persona(
        "fashion lover",
        "Fashion > Women's clothing; Fashion > Shoes",
        "Fashion > Bags; Fashion > Accessories",
        "Fashion > Men's clothing; Fashion > Outerwear",
        companions="Beauty > Fragrance; Home > Decor",
        price_weights=(2, 4, 4),
    ),
)
