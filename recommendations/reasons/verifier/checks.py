"""The checks a reason must pass, in the order `verify` runs them."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

from ..evidence import Evidence
from ..vocabulary import Vocabulary, name_key
from .history import check_history, claimed_actions
from .lexicon import (
    CJK,
    COUNT_UNITS,
    CURRENCIES,
    NEUTRAL,
    NEUTRAL_FORMS,
    NUMBER_WORDS,
    TIME_UNITS,
    TREND_UNITS,
    ZH_NEUTRAL,
    ZH_TERMS,
    stem,
)
from .numbers import number_claims, numeric
from .phrases import ENDORSEMENT, HIGH_RATING, RATING, SAME_BRAND, STARS, ZH_HANDLED
from .reading import MASK, Facts, Reading, evidence_facts, read, runs
from .verdict import PASSED, Verdict


def verify(
    text: str,
    evidence: Evidence,
    *,
    language: str,
    vocabulary: Vocabulary,
    max_words: int = 25,
    max_chars: int = 50,
) -> Verdict:
    """Whether `text` says only what `evidence` holds, in `language` ("en" or "zh-hans")."""
    if not text.strip():
        return Verdict(False, "empty", "no text")
    if not language.startswith(("en", "zh")):
        return Verdict(False, "language", f"no rules for {language!r}")
    facts = evidence_facts(evidence, vocabulary)
    reading = read(text, language.startswith("zh"), facts, vocabulary)
    checks = (
        lambda: _check_language(reading),
        lambda: _check_length(reading, max_words=max_words, max_chars=max_chars),
        lambda: _check_claims(reading, evidence),
        lambda: check_history(reading, evidence),
        lambda: _check_names(reading, evidence),
        lambda: _check_numbers(reading, facts, evidence),
        lambda: _check_words(reading, facts),
        lambda: _check_repetition(reading),
        lambda: None if _specific(reading, evidence) else Verdict(False, "vague", "names no fact"),
    )
    for check in checks:
        if verdict := check():
            return verdict
    return PASSED


def names_a_fact(text: str, evidence: Evidence, *, language: str, vocabulary: Vocabulary) -> bool:
    """Whether a reason names something of the evidence beyond the product itself: one of the
    shopper's products, another product, a value (brand, category, attribute, request word) or
    a number. "A great choice" may be true, but it tells the shopper nothing."""
    facts = evidence_facts(evidence, vocabulary)
    return _specific(read(text, language.startswith("zh"), facts, vocabulary), evidence)


def _specific(r: Reading, evidence: Evidence) -> bool:
    """Evidence with nothing but the product's name leaves nothing else to name."""
    if r.named() - {"product"} or any("value" in role for role in r.roles):
        return True
    product = evidence.product
    lowered = r.text.lower()
    if any(value and value.lower() in lowered for value in (product.brand, product.category)):
        return True
    # Numbers have passed their check by now: "twice", "34" or "€89" are facts.
    if any(numeric(t) or t.lower() in NUMBER_WORDS or t.lower() == "twice" for t, _, _ in r.tokens):
        return True
    return not (
        product.brand or product.category or product.price or product.attributes
        or evidence.history or evidence.together or evidence.constraints
        or evidence.page_product or evidence.shoppers or evidence.trend
    )  # fmt: skip


def _check_repetition(r: Reading) -> Verdict | None:
    """A small model stutters ("and also also the X"): true, but not a sentence a shop would
    print."""
    words = [
        "" if role or CJK.match(token) or numeric(token) else token.lower()
        for (token, _, _), role in zip(r.tokens, r.roles, strict=True)
    ]
    for first, second in itertools.pairwise(words):
        if first and first == second:
            return Verdict(False, "repetition", f"{first!r} twice in a row")
    return None


def _check_language(r: Reading) -> Verdict | None:
    free = r.free()
    cjk = sum(1 for t in free if CJK.match(t))
    if not r.chinese:
        return Verdict(False, "language", "Chinese in an English reason") if cjk else None
    latin = sum(1 for t in free if not CJK.match(t) and not numeric(t))
    if latin and cjk < 0.6 * (cjk + latin):
        return Verdict(False, "language", f"{cjk} Chinese characters, {latin} other words")
    return None


def _check_length(r: Reading, *, max_words: int, max_chars: int) -> Verdict | None:
    if r.chinese:
        size = len(re.sub(rf"\s|{MASK}", "", r.masked))
        if not 2 <= size <= max_chars:
            return Verdict(False, "length", f"{size} characters besides names")
        return None
    size = len(r.text.split())
    if not 2 <= size <= max_words:
        return Verdict(False, "length", f"{size} words")
    return None


def _check_claims(r: Reading, evidence: Evidence) -> Verdict | None:
    if match := ENDORSEMENT.search(r.masked):
        return Verdict(False, "claim", f"unsupported endorsement {match.group()!r}")
    rating = evidence.product.rating
    if (match := RATING.search(r.masked)) and rating is None:
        return Verdict(False, "claim", f"{match.group()!r} without a rating")
    if (match := HIGH_RATING.search(r.masked)) and (rating is None or rating < 4.5):
        return Verdict(False, "claim", f"{match.group()!r} with a rating of {rating}")
    for match in STARS.finditer(r.masked):
        stars = Decimal(5) if match[1].lower() in ("five", "五") else Decimal(match[1])
        if rating is None or stars != Decimal(str(round(rating, 1))):
            return Verdict(False, "claim", f"{match.group()!r} with a rating of {rating}")
    return None


def _check_names(r: Reading, evidence: Evidence) -> Verdict | None:
    if match := SAME_BRAND.search(r.masked):
        brand = name_key(evidence.product.brand or "")
        shared = [
            *evidence.shared_with_page,
            *(v for link in evidence.history for v in link.shared),
        ]
        if not brand or brand not in map(name_key, shared):
            return Verdict(False, "brand", f"{match.group()!r}, but no brand is shared")
    hits = r.hits + [(i, j, "product") for i, j in _unknown_names(r)]
    if not hits:
        return None
    i, j, kind = min(hits)
    name = r.text[r.tokens[i][1] : r.tokens[j - 1][2]]
    if kind == "product" and claimed_actions(r.masked):
        return Verdict(False, "history", f"the shopper has no {name!r}")
    return Verdict(False, kind, f"{name!r} is not in the evidence")


def _unknown_names(r: Reading) -> list[tuple[int, int]]:
    """Capitalised words in a row that no name of the evidence or the catalog covers, two or more
    of them not phrasing: a product the model made up, often of words of two real ones
    ("Ridgeway Tent" from "Ridgeway Tarn Sleeping Pad" and "Alpenglow Tent")."""
    hit = {k for i, j, _ in r.hits for k in range(i, j)}
    found = []
    for start, end in runs(r.text, r.tokens):
        k = start
        while k < end:
            j = k
            while j < end and not r.roles[j] and j not in hit and _name_like(r, j):
                j += 1
            if sum(stem(t) not in NEUTRAL for t, _, _ in r.tokens[k:j]) >= 2:
                found.append((k, j))
            k = j + 1
    return found


def _name_like(r: Reading, k: int) -> bool:
    token, start, _ = r.tokens[k]
    letters = not CJK.match(token) and not token.isdigit()
    return letters and (r.text[start].isupper() or any(c.isdigit() for c in token))


def _check_numbers(r: Reading, facts: Facts, evidence: Evidence) -> Verdict | None:
    """A price is the price or a limit; "3 times" the trend; "12 shoppers" a count; "2 person"
    a number the evidence gives that unit; any other number one the evidence holds."""
    currency = (evidence.product.currency or "").upper()
    for written, value, money, unit in number_claims(r.masked):
        code = CURRENCIES.get(money)
        if code and currency and code != currency:
            return Verdict(False, "number", f"{written!r} is not in {currency}")
        if money:
            allowed = facts.money
        elif unit in TREND_UNITS and facts.trend:
            allowed = facts.trend
        elif unit in COUNT_UNITS and facts.counts:
            allowed = facts.counts
        elif unit in TIME_UNITS:
            allowed = facts.units.get(unit, frozenset())
        else:
            allowed = facts.units.get(unit, facts.numbers)
        if value not in allowed:
            return Verdict(False, "number", f"{written!r} is not in the evidence")
    return None


def _check_words(r: Reading, facts: Facts) -> Verdict | None:
    free = [t for t in r.free() if not numeric(t) and t not in NUMBER_WORDS]
    if r.chinese:
        text = r.masked
        for term, kind, gloss in ZH_TERMS:
            if term in text:
                if term not in facts.text and not {stem(w) for w in gloss.split()} & facts.words:
                    return Verdict(False, kind, f"{term!r} is not in the evidence")
                text = text.replace(term, MASK)
        unknown = [t for t in free if not CJK.match(t) and stem(t) not in facts.words]
        if unknown and {stem(t) for t in unknown} & NEUTRAL:
            return Verdict(False, "language", f"English words {unknown[:3]} in a Chinese reason")
        if unknown:
            return Verdict(False, "product", f"unknown name {unknown[0]!r}")
        for pattern in ZH_HANDLED:
            text = pattern.sub(MASK, text)
        if words := re.findall(rf"[^{ZH_NEUTRAL}\W\da-z{MASK}]+", text):
            return Verdict(False, "attribute", f"unsupported words {words[0]!r}")
        return None
    unsupported = [
        t for t in free if t not in NEUTRAL_FORMS and not {stem(t)} & (NEUTRAL | facts.words)
    ]
    if not unsupported:
        return None
    if len(unsupported) >= 3 and len(unsupported) > len(free) / 2:
        return Verdict(False, "language", f"mostly words that are not English: {unsupported[:3]}")
    return Verdict(False, "attribute", f"{unsupported[0]!r} is not in the evidence")
