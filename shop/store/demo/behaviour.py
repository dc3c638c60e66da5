"""What the shoppers did: a deterministic simulation of browsing, searching, carts, orders, reviews.

Each shopper has sessions spread over the 90 days before `HISTORY_END`, at most one per hour and
more in the evening. A session browses one sub-category: mostly one of the shopper's interests,
sometimes a companion category of the persona (re-buying coffee or gels), sometimes any (noise).
Products are picked by popularity and by how well their price band suits the shopper. A checkout
becomes one order; some purchases get a review days later, rated around the product's hidden
quality. Shopper n's history depends only on the seed, n and the catalog.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from random import Random

from . import texts
from .catalog import ProductDraft
from .personas import PERSONAS, PRICE_BANDS
from .shoppers import HISTORY_DAYS, HISTORY_END, HISTORY_START, Shopper

KINDS = ("view", "search", "cart", "purchase", "review")
# How much a shopper of one price band (key) likes products of each band.
BAND_AFFINITY = {
    "budget": {"budget": 4.0, "mid": 1.5, "premium": 0.3},
    "mid": {"budget": 1.5, "mid": 4.0, "premium": 1.5},
    "premium": {"budget": 0.3, "mid": 1.5, "premium": 4.0},
}
HOUR_WEIGHTS = tuple(
    accumulate((1, 1, 1, 1, 1, 1, 2, 3, 4, 4, 4, 5, 6, 5, 4, 4, 5, 6, 8, 10, 10, 8, 5, 2))
)
NOISE_SHARE = 0.10
REPLENISH_SHARE = 0.08
SEARCH_SHARE = 0.45
MAX_VIEWS = 8
CART_CHANCE = {"interest": 0.25, "companion": 0.6, "noise": 0.05}
CHECKOUT_CHANCE = 0.65
COMPANION_ADD_ON_CHANCE = 0.35
FAVOURITE_CHANCE = 0.7
REVIEW_CHANCE = 0.3


@dataclass(frozen=True, slots=True)
class Event:
    kind: str
    timestamp: datetime
    product: ProductDraft | None = None
    query: str | None = None
    quantity: int | None = None
    rating: int | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class History:
    shopper: Shopper
    events: tuple[Event, ...]
    """In time order; purchases with the same timestamp form one order."""


class Shelf:
    """The active products of one sub-category, ready for weighted picks per price band."""

    def __init__(self, products: list[ProductDraft]) -> None:
        self.products = products
        self.cum_weights = {
            band: list(
                accumulate(
                    p.popularity * BAND_AFFINITY[band][p.attributes["price_band"]] for p in products
                )
            )
            for band in PRICE_BANDS
        }

    def pick(self, rng: Random, band: str) -> ProductDraft:
        return rng.choices(self.products, cum_weights=self.cum_weights[band])[0]


class Store:
    """Shelves by sub-category, and each persona's few favourites in its companion categories."""

    def __init__(self, products: Iterable[ProductDraft], seed: int) -> None:
        by_leaf: dict[str, list[ProductDraft]] = {}
        for product in products:
            if product.is_active:
                by_leaf.setdefault(product.leaf_key, []).append(product)
        self.shelves = {key: Shelf(items) for key, items in by_leaf.items()}
        self.leaf_keys = tuple(sorted(self.shelves))
        self.favourites = {
            (persona.name, key): Random(f"demo-favourites:{seed}:{persona.name}:{key}").sample(
                self.shelves[key].products, min(3, len(self.shelves[key].products))
            )
            for persona in PERSONAS
            for key in persona.companions
            if key in self.shelves
        }

    def pick(self, rng: Random, shopper: Shopper, key: str, *, companion: bool) -> ProductDraft:
        favourites = self.favourites.get((shopper.persona.name, key))
        if companion and favourites and rng.random() < FAVOURITE_CHANCE:
            return rng.choices(favourites, weights=(3, 2, 1)[: len(favourites)])[0]
        return self.shelves[key].pick(rng, shopper.price_band)


class Session:
    """One visit: its clock moves 10-90 s per action, so a visit stays within its hour."""

    def __init__(self, rng: Random, start: datetime) -> None:
        self.rng = rng
        self.now = start
        self.events: list[Event] = []

    def tick(self) -> datetime:
        self.now += timedelta(seconds=self.rng.randint(10, 90))
        return self.now

    def record(self, kind: str, **fields) -> None:
        self.events.append(Event(kind, self.tick(), **fields))


def session_hours(rng: Random, count: int) -> list[int]:
    """Distinct hours since `HISTORY_START`, so checkouts never share a timestamp."""
    chosen: set[int] = set()
    while len(chosen) < count:
        hour = rng.choices(range(24), cum_weights=HOUR_WEIGHTS)[0]
        chosen.add(rng.randrange(HISTORY_DAYS) * 24 + hour)
    return sorted(chosen)


def quantity_draw(rng: Random, product: ProductDraft) -> int:
    return rng.randint(1, 3) if product.consumable else 1


def session_simulate(session: Session, shopper: Shopper, store: Store) -> list[ProductDraft]:
    """Browses one sub-category and returns what was bought (empty when nothing was)."""
    rng = session.rng
    roll = rng.random()
    if roll < NOISE_SHARE:
        mood, key = "noise", rng.choice(store.leaf_keys)
    elif roll < NOISE_SHARE + REPLENISH_SHARE:
        mood, key = "companion", rng.choice(shopper.persona.companions)
    else:
        weights = [2] + [1] * (len(shopper.interests) - 1)
        mood, key = "interest", rng.choice(rng.choices(shopper.interests, weights=weights)[0])
    if key not in store.shelves:
        return []
    companion = mood == "companion"
    first = store.pick(rng, shopper, key, companion=companion)
    if rng.random() < SEARCH_SHARE:
        query = texts.search_query(
            rng, noun=first.noun, brand=first.brand_name, attributes=first.attributes
        )
        session.record("search", query=query)
    viewed = {first.number: first}
    session.record("view", product=first)
    for _ in range(min(MAX_VIEWS - 1, int(rng.expovariate(0.6)))):
        product = store.pick(rng, shopper, key, companion=companion)
        viewed[product.number] = product
        session.record("view", product=product)
    basket: dict[int, tuple[ProductDraft, int]] = {}
    for product in viewed.values():
        if rng.random() < CART_CHANCE[mood]:
            basket[product.number] = (product, quantity_draw(rng, product))
            session.record("cart", product=product, quantity=basket[product.number][1])
    if not basket or rng.random() >= CHECKOUT_CHANCE:
        return []
    if mood == "interest" and rng.random() < COMPANION_ADD_ON_CHANCE:
        extra_key = rng.choice(shopper.persona.companions)
        if extra_key in store.shelves:
            extra = store.pick(rng, shopper, extra_key, companion=True)
            session.record("view", product=extra)
            basket.setdefault(extra.number, (extra, quantity_draw(rng, extra)))
            session.record("cart", product=extra, quantity=basket[extra.number][1])
    checkout = session.tick()
    for product, quantity in basket.values():
        session.events.append(Event("purchase", checkout, product, quantity=quantity))
    return [product for product, _ in basket.values()]


def review_draw(rng: Random, product: ProductDraft, bought_at: datetime) -> Event | None:
    """None when the review would fall after the end of the history: not written yet."""
    timestamp = bought_at + timedelta(days=rng.randint(3, 20), seconds=rng.randrange(86400))
    if timestamp >= HISTORY_END:
        return None
    rating = min(5, max(1, round(rng.gauss(product.quality, 0.8))))
    text = texts.review_text(
        rng,
        rating=rating,
        noun=product.noun,
        feature=rng.choice(product.features),
        use=product.attributes["use"],
    )
    return Event("review", timestamp, product, rating=rating, text=text)


def history_simulate(shopper: Shopper, store: Store, seed: int) -> History:
    rng = Random(f"demo-behaviour:{seed}:{shopper.number}")
    sessions = min(40, max(1, round(rng.uniform(3, 12) * shopper.activity)))
    events: list[Event] = []
    reviewed: set[int] = set()
    for hour in session_hours(rng, sessions):
        session = Session(rng, HISTORY_START + timedelta(hours=hour, seconds=rng.randrange(1200)))
        bought = session_simulate(session, shopper, store)
        events.extend(session.events)
        for product in bought:
            if product.number in reviewed or rng.random() >= REVIEW_CHANCE:
                continue
            review = review_draw(rng, product, session.now)
            if review is not None:
                reviewed.add(product.number)
                events.append(review)
    events.sort(key=lambda event: event.timestamp)
    return History(shopper, tuple(events))


def histories_simulate(
    products: Iterable[ProductDraft], shoppers: Iterable[Shopper], seed: int
) -> Iterator[History]:
    store = Store(products, seed)
    for shopper in shoppers:
        yield history_simulate(shopper, store, seed)
