"""The synthetic shoppers: accounts, addresses and tastes, as plain data.

Shopper n depends only on the seed and n, like products. Personas rotate (shopper 1 is the first
persona, shopper 2 the second, ...) so every persona is present even in a small demo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from .personas import PERSONAS, PRICE_BANDS, Persona

# Fixed, so re-seeding on another day rewrites the same history instead of adding a new one.
HISTORY_END = datetime.fromisoformat("2026-11-01T00:00:00+00:00")
HISTORY_DAYS = 90
HISTORY_START = HISTORY_END - timedelta(days=HISTORY_DAYS)

FIRST_NAMES = (
    "Emma", "Liam", "Sofia", "Noah", "Mia", "Lucas", "Hannah", "Elias", "Léa", "Finn", "Clara",
    "Mateo", "Ines", "Oskar", "Amira", "Jonas", "Zoe", "Leon", "Freya", "Hugo", "Nora", "Milan",
    "Ava", "Theo", "Maja", "Ben", "Alba", "Felix", "Chiara", "Arjun", "Yuki", "Sam", "Priya",
    "Tomás", "Elif", "Jakob", "Aino", "Luca", "Ida", "Marek",
)  # fmt: skip
LAST_NAMES = (
    "Müller", "Rossi", "García", "Dubois", "Jensen", "Novak", "Kowalski", "Silva", "Nielsen",
    "Fischer", "Bianchi", "Martin", "Lindqvist", "Horvat", "Janssen", "Costa", "Weber", "Moreau",
    "Berg", "Schmidt", "Romero", "Virtanen", "Murphy", "Okafor", "Yilmaz", "Sato", "Larsen",
    "Ferrari", "Keller", "Andersen",
)  # fmt: skip
STREETS = (
    "Lindenstraße", "Rue des Fleurs", "Via Roma", "Kastanjelaan", "Calle Mayor", "High Street",
    "Storgatan", "Harbour Road", "Bergweg", "Rua Augusta", "Mill Lane", "Kirkegade",
)  # fmt: skip
CITIES = (
    ("10115", "Berlin"), ("75011", "Paris"), ("00184", "Rome"), ("1012 AB", "Amsterdam"),
    ("28013", "Madrid"), ("D02 X285", "Dublin"), ("111 22", "Stockholm"), ("1010", "Vienna"),
    ("1100-048", "Lisbon"), ("8001", "Zurich"), ("1050", "Copenhagen"), ("00100", "Helsinki"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Shopper:
    number: int
    username: str
    first_name: str
    last_name: str
    email: str
    address: str
    date_joined: datetime
    persona: Persona
    interests: tuple[tuple[str, ...], ...]
    price_band: str
    activity: float
    """How many shopping sessions relative to an average shopper (some browse a lot)."""


def shopper_username(number: int) -> str:
    return f"shopper{number:04d}"


def shopper_build(number: int, seed: int) -> Shopper:
    rng = Random(f"demo-shopper:{seed}:{number}")
    persona = PERSONAS[(number - 1) % len(PERSONAS)]
    extra = rng.sample(persona.interests[1:], rng.randint(0, min(2, len(persona.interests) - 1)))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    postcode, city = rng.choice(CITIES)
    username = shopper_username(number)
    return Shopper(
        number=number,
        username=username,
        first_name=first,
        last_name=last,
        email=f"{username}@example.com",
        address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}\n{postcode} {city}",
        date_joined=HISTORY_START
        - timedelta(days=rng.randint(1, 700), seconds=rng.randrange(86400)),
        persona=persona,
        interests=(persona.interests[0], *extra),
        price_band=rng.choices(PRICE_BANDS, weights=persona.price_weights)[0],
        activity=rng.lognormvariate(0, 0.6),
    )


def shoppers_build(*, users: int, seed: int) -> list[Shopper]:
    return [shopper_build(number, seed) for number in range(1, users + 1)]
