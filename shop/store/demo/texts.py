"""Shop copy: sentences of descriptions, reviews and search queries, composed from vocabulary."""

from __future__ import annotations

from functools import cache
from random import Random
from typing import Any

# Words a title keeps in lower case: units and short joiners read wrong as "Mm" or "And".
LOWER_IN_TITLES = {
    "a", "and", "as", "by", "for", "in", "of", "on", "or", "per", "the", "to", "with",
    "g", "kg", "l", "ml", "mm", "cm", "h", "min",
}  # fmt: skip
TITLE_PREFIXES = {"women": "Women's ", "men": "Men's ", "kids": "Kids' "}
# Audiences that need no "for ..." in a sentence: a product for everyone.
GENERAL_AUDIENCES = {"unisex", "adults"}
UNITS = {
    "mm": "mm", "cm": "cm", "m": "m", "g": "g", "kg": "kg", "l": "l", "ml": "ml", "w": "W",
    "h": "h", "c": "°C", "mah": "mAh", "min": "min", "bar": "bar", "days": "days",
}  # fmt: skip

REVIEW_OPENERS = {
    5: ("Absolutely love this {noun}.", "Best {noun} I have owned.", "Five stars, no doubt."),
    4: ("Really good {noun}.", "Very happy with it overall.", "Solid {noun}, would recommend."),
    3: ("It's okay.", "Decent {noun} for the price.", "Mixed feelings about this one."),
    2: ("Disappointed.", "Not great, sadly.", "Expected more from this {noun}."),
    1: ("Would not buy again.", "Sent it back.", "Avoid this {noun}."),
}
REVIEW_DETAILS = {
    5: (
        "The {feature} makes a real difference for {use}.",
        "Perfect for {use}, and the {feature} is brilliant.",
    ),
    4: (
        "Works well for {use}; the {feature} took a little getting used to.",
        "Great for {use}, though the {feature} could be better.",
    ),
    3: (
        "The {feature} is fine but nothing special for {use}.",
        "Does the job for {use}, no more.",
    ),
    2: (
        "The {feature} gave up after a few weeks of {use}.",
        "Did not hold up to {use} as promised.",
    ),
    1: (
        "The {feature} failed on the first day.",
        "Poor quality and no good for {use} at all.",
    ),
}


def title_case(text: str) -> str:
    """Capitalises first letters only, so "grippy Vibram outsole" keeps its brand's spelling."""
    result = []
    for position, word in enumerate(text.split(" ")):
        keep = word[:1].isdigit() or (position > 0 and word in LOWER_IN_TITLES)
        result.append(word if keep else word[:1].upper() + word[1:])
    return " ".join(result)


@cache
def in_sentence(noun: str) -> str:
    """Lower-cases a title-cased noun for a sentence but keeps acronyms ("GPS running watch").

    Cached: a few dozen nouns are written into hundreds of thousands of sentences.
    """
    return " ".join(
        "-".join(part if acronym(part) else part.lower() for part in word.split("-"))
        for word in noun.split(" ")
    )


def acronym(word: str) -> bool:
    """GPS, GaN, 3D and the C of USB-C keep their case in a sentence."""
    return len(word) == 1 or any(c.isdigit() for c in word) or sum(c.isupper() for c in word) > 1


def plural(noun: str) -> bool:
    """Earbuds, tights and gloves are "are", not "is a"."""
    last = noun.split(" ")[-1]
    return last.endswith("s") and not last.endswith("ss")


def with_article(word: str, *, noun: str) -> str:
    """The article for `word` placed before `noun`, none before a plural."""
    if plural(noun):
        return word
    return f"an {word}" if word[:1].lower() in "aeiou" else f"a {word}"


def audience_title_prefix(audience: str, noun: str) -> str:
    prefix = TITLE_PREFIXES.get(audience, "")
    return "" if prefix.strip() in noun else prefix


def audience_phrase(audience: str) -> str:
    return "" if audience in GENERAL_AUDIENCES else f" for {audience}"


def spec_sentence(specs: dict[str, Any], colour: str | None) -> str:
    """`drop_mm: 6` reads as "drop: 6 mm": the unit is the last part of the attribute name.

    Without a colour (coffee, dog food: the colour is only the packaging's) and without specs the
    sentence is empty.
    """
    parts = []
    for name, value in specs.items():
        label, _, unit = name.rpartition("_")
        if label and unit in UNITS:
            parts.append(f"{label.replace('_', ' ')}: {value} {UNITS[unit]}")
        else:
            parts.append(f"{name.replace('_', ' ')}: {value}")
    if colour:
        parts.append(f"colour: {colour}")
    return "Details – " + "; ".join(parts) + "." if parts else ""


def search_query(rng: Random, *, noun: str, brand: str, attributes: dict[str, Any]) -> str:
    """What a shopper types: a product type, narrowed by brand, material, colour or purpose."""
    noun = in_sentence(noun)
    return rng.choice(
        (
            noun,
            noun,
            f"{brand.lower()} {noun}",
            f"{attributes['material']} {noun}",
            f"{attributes['colour']} {noun}",
            f"{noun} for {attributes['use']}",
        )
    )


def review_text(rng: Random, *, rating: int, noun: str, feature: str, use: str) -> str:
    words = {"noun": in_sentence(noun), "feature": feature, "use": use}
    opener = rng.choice(REVIEW_OPENERS[rating]).format(**words)
    detail = rng.choice(REVIEW_DETAILS[rating]).format(**words)
    return f"{opener} {detail}"
