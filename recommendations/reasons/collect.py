"""From bases to evidence: the names, actions, dates and counts behind each final product.

Strategies rank on ids and scores and record a `Basis` per product; only the final list is
turned into evidence here, in a fixed handful of queries whatever its length.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

from ..conf import app_settings
from ..factories import get_adapter
from ..models import Interaction
from ..product_rows import product_summary, products_read
from ..request_memo import memoised
from .evidence import Basis, Evidence, HistoryLink, ProductFacts, Together, when_bucket

# Attribute values longer than this are descriptions, not facts a sentence can name.
ATTRIBUTE_MAX_CHARS = 40
NUMBER = re.compile(r"[\d.,\s]+")
# Searches read per shopper, and the longest text a reason may quote.
SEARCHES_READ = 5
SEARCH_MAX_CHARS = 60
# Distinct shoppers counted for "chosen by N shoppers recently".
POPULAR_DAYS = 30

TOGETHER_SQL = """
SELECT r.product_id, a.product_id,
       COUNT(DISTINCT r.shopper) FILTER (
           WHERE r.kind = 'purchase' AND a.kind = 'purchase'
             AND r.created_at > a.created_at) AS next,
       COUNT(DISTINCT r.shopper) FILTER (
           WHERE r.kind = 'purchase' AND a.kind = 'purchase'
             AND abs(EXTRACT(EPOCH FROM r.created_at - a.created_at)) <= %(basket)s) AS together,
       COUNT(DISTINCT r.shopper) AS viewed
FROM recommendations_interaction r
JOIN recommendations_interaction a ON a.shopper = r.shopper
WHERE r.product_id = ANY(%(products)s) AND a.product_id = ANY(%(anchors)s)
  AND r.product_id <> a.product_id AND r.shopper <> %(shopper)s
GROUP BY r.product_id, a.product_id
"""


def product_facts(product: models.Model, *, rating: float | None = None) -> ProductFacts:
    """What the shop says of the product; a missing brand or price stays None."""
    adapter = get_adapter()
    summary = product_summary(product)
    path = adapter.category_path(product)
    attributes = {
        str(key): str(value)
        for key, value in adapter.attributes(product).items()
        if isinstance(value, str | int | float) and 0 < len(str(value)) <= ATTRIBUTE_MAX_CHARS
    }
    return ProductFacts(
        id=product.pk,
        name=summary["title"],
        brand=summary["brand"] or None,
        category=path[-1] if path else None,
        price=summary["price"] if summary["price"] not in ("", "None") else None,
        currency=summary["currency"] or None,
        in_stock=summary["in_stock"],
        rating=round(float(rating), 1) if rating is not None else None,
        attributes=attributes,
    )


def evidence_attach(recommendations: list, *, shopper: str | None) -> None:
    """Each recommendation's evidence, from its basis (a product-only one where none)."""
    if not recommendations:
        return
    bases = [r.basis or Basis(signal="catalog") for r in recommendations]
    products = {r.product.pk: r.product for r in recommendations}
    anchor_ids = {pk for basis in bases for pk in (*basis.anchors, *basis.related)}
    page_ids = {basis.page_product for basis in bases if basis.page_product is not None}
    # Anchors that are in the list themselves are loaded already.
    others = products_read((anchor_ids | page_ids) - set(products))
    ratings = get_adapter().ratings_of(list(products.values()))
    facts = {
        pk: product_facts(product, rating=ratings.get(pk))
        for pk, product in {**others, **products}.items()
    }
    actions = _actions(shopper, {pk for basis in bases for pk in basis.anchors})
    counts = _together(shopper, set(products), anchor_ids)
    popular = _shoppers([r.product.pk for r, b in zip(recommendations, bases, strict=True)
                         if b.signal in ("popular", "trending")])  # fmt: skip
    trends = _trends([r.product.pk for r, b in zip(recommendations, bases, strict=True)
                      if b.signal == "trending"])  # fmt: skip
    searches = _searches(shopper)
    today = timezone.localdate()
    for recommendation, basis in zip(recommendations, bases, strict=True):
        pk = recommendation.product.pk
        own = facts[pk]
        history = tuple(
            HistoryLink(
                name=facts[anchor].name,
                action=actions[anchor][0],
                when=when_bucket(timezone.localtime(actions[anchor][1]), today),
                product_id=anchor,
                shared=shared_values(own, facts[anchor]),
            )
            for anchor in basis.anchors
            if anchor in actions and anchor in facts
        ) + tuple(
            HistoryLink(name=text, action="searched", when=when_bucket(moment, today))
            for text, moment in _searches_matching(searches, own)[:1]
        )
        together = tuple(
            Together(name=facts[other].name, relation=relation, shoppers=n, product_id=other)
            for other in (*basis.anchors, *basis.related)
            if other in facts
            for relation, n in [counts.get((pk, other), ("", 0))]
            if n
        )
        page = facts.get(basis.page_product) if basis.page_product is not None else None
        recommendation.evidence = Evidence(
            product=own,
            signal=basis.signal,
            history=history,
            together=together,
            constraints=basis.constraints,
            page_product=page.name if page else None,
            shared_with_page=shared_values(own, page) if page else (),
            shoppers=popular.get(pk),
            trend=trends.get(pk),
        )


def shared_values(one: ProductFacts, other: ProductFacts) -> tuple[str, ...]:
    """Brand, category and attribute values both products have, in that order."""
    values = [
        value
        for value, theirs in ((one.brand, other.brand), (one.category, other.category))
        if value and value == theirs
    ]
    # A bare number ("8" of "drop mm: 8") means nothing without its name: left out.
    values += [
        value
        for key, value in one.attributes.items()
        if other.attributes.get(key) == value and not NUMBER.fullmatch(value)
    ]
    return tuple(dict.fromkeys(values))


def _actions(shopper: str | None, ids: set[int]) -> dict[int, tuple[str, Any]]:
    """The shopper's strongest action on each product, and when they last did anything to it."""
    if not shopper or not ids:
        return {}
    rows = (
        Interaction.objects.filter(shopper=shopper, product_id__in=ids)
        .values("product_id")
        .annotate(last=Max("created_at"), kinds=ArrayAgg("kind", distinct=True))
    )
    found = {}
    for row in rows:
        kinds = set(row["kinds"])
        action = (
            "bought" if Interaction.Kind.PURCHASE in kinds
            else "carted" if Interaction.Kind.CART in kinds
            else "viewed"
        )  # fmt: skip
        found[row["product_id"]] = (action, row["last"])
    return found


def _searches(shopper: str | None) -> list[tuple[str, Any]]:
    """The shopper's latest searches, newest first, with when they made them."""
    if not shopper:
        return []
    return memoised(searches_key(shopper), lambda: _searches_read(shopper))


def searches_key(shopper: str) -> tuple[str, str]:
    """The request memo's key of the shopper's searches; a new search forgets it."""
    return ("searches", shopper)


def _searches_read(shopper: str) -> list[tuple[str, Any]]:
    rows = (
        Interaction.objects.filter(shopper=shopper, kind=Interaction.Kind.SEARCH)
        .exclude(text="")
        .order_by("-created_at")
        .values_list("text", "created_at")[:SEARCHES_READ]
    )
    return [(text[:SEARCH_MAX_CHARS], timezone.localtime(at)) for text, at in rows]


def _searches_matching(searches: list[tuple[str, Any]], product: ProductFacts) -> list:
    """Searches whose every meaningful word is in the product's name, category or brand: a
    reason may then say the product matches that search."""
    text = " ".join(filter(None, [product.name, product.category, product.brand])).lower()
    found = []
    for query, moment in searches:
        words = [w for w in re.findall(r"\w{3,}", query.lower()) if not w.isdigit()]
        if words and all(re.search(rf"(?<!\w){re.escape(w)}", text) for w in words):
            found.append((query, moment))
    return found


def _together(shopper: str | None, products: set[int], anchors: set[int]) -> dict:
    """(product, other) → the strongest true relation and its count of other shoppers."""
    if not products or not anchors:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            TOGETHER_SQL,
            {
                "products": list(products),
                "anchors": list(anchors),
                "shopper": shopper or "",
                "basket": app_settings.BASKET_HOURS * 3600,
            },
        )
        rows = cursor.fetchall()
    found = {}
    for product, anchor, after, together, viewed in rows:
        if after:
            found[(product, anchor)] = ("bought_next", after)
        elif together:
            found[(product, anchor)] = ("bought_together", together)
        elif viewed > 1:
            found[(product, anchor)] = ("viewed_together", viewed)
    return found


def _shoppers(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    since = timezone.now() - timedelta(days=POPULAR_DAYS)
    rows = (
        Interaction.objects.filter(product_id__in=ids, created_at__gte=since)
        .values("product_id")
        .annotate(n=models.Count("shopper", distinct=True))
    )
    return {row["product_id"]: row["n"] for row in rows if row["n"] > 1}


def _trends(ids: list[int]) -> dict[int, float]:
    """How many times its usual daily interest a product drew in the trending window, in
    shoppers as the trend itself counts them (see `services.stats`): one visitor's sixty clicks
    are one shopper's interest, and a claim needs TRENDING_MIN_SHOPPERS recent shoppers."""
    if not ids:
        return {}
    hours = app_settings.TRENDING_HOURS
    now = timezone.now()
    recent_since = now - timedelta(hours=hours)
    rows = (
        Interaction.objects.filter(
            product_id__in=ids, weight__gt=0, created_at__gte=recent_since - timedelta(7)
        )
        .values("product_id")
        .annotate(
            recent=models.Count(
                "shopper", distinct=True, filter=models.Q(created_at__gte=recent_since)
            ),
            before=models.Count(
                "shopper", distinct=True, filter=models.Q(created_at__lt=recent_since)
            ),
        )
    )
    found = {}
    for row in rows:
        if row["recent"] < app_settings.TRENDING_MIN_SHOPPERS:
            continue
        usual = row["before"] * hours / (7 * 24)
        times = row["recent"] / max(usual, 1.0)
        if times >= 2:
            found[row["product_id"]] = float(round(Decimal(times), 0))
    return found
