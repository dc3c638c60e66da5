"""A reason read against its evidence: the facts indexed, the names in the reason masked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from ..evidence import Evidence
from ..vocabulary import TOKEN, Vocabulary, name_key, name_tokens, name_variants
from .lexicon import CJK, NEUTRAL, PHRASE_END, ZH_CATEGORY_TERMS, ZH_TERMS, stem
from .numbers import decimal, number_claims, trend_numbers

MASK = "§"
VALUE = frozenset({"value"})


@dataclass(frozen=True)
class Facts:
    """The evidence, indexed the ways the checks ask."""

    names: dict[str, frozenset[str]]  # name key → roles: product, history:i, together:i, page
    name_words: tuple[tuple[str, frozenset[str]], ...]
    words: frozenset[str]  # stems of every word of the evidence's text
    numbers: frozenset[Decimal]  # any number the evidence holds
    money: frozenset[Decimal]  # the price and the limits of the request
    counts: frozenset[Decimal]  # shoppers
    trend: frozenset[Decimal]  # the ways to say the trend
    units: dict[str, frozenset[Decimal]]  # "person" → {2}, "l" → {40}: numbers with their unit
    text: str  # the evidence's text, lower-cased, for Chinese terms the shop wrote itself


@dataclass
class Reading:
    """The reason as tokens, the evidence's names among them marked with their roles."""

    text: str
    chinese: bool
    tokens: list[tuple[str, int, int]]
    roles: list[frozenset[str]]  # per token: "value", "product", "history:0", ... or empty
    hits: list[tuple[int, int, str]]  # catalog names the evidence lacks: start, end, kind
    masked: str  # lower-cased, every name of the evidence replaced by MASK

    def named(self) -> frozenset[str]:
        return frozenset().union(*self.roles) - {"value"}

    def free(self) -> list[str]:
        """Tokens that are neither a name of the evidence nor a catalog name."""
        hit = {k for i, j, _ in self.hits for k in range(i, j)}
        return [t for k, (t, _, _) in enumerate(self.tokens) if not self.roles[k] and k not in hit]


def evidence_facts(evidence: Evidence, vocabulary: Vocabulary) -> Facts:
    product = evidence.product
    brands = vocabulary.brands | ({name_key(product.brand)} if product.brand else set())
    named: list[tuple[str, str]] = [("product", product.name)]
    named += [(f"history:{i}", link.name) for i, link in enumerate(evidence.history)]
    named += [(f"together:{i}", item.name) for i, item in enumerate(evidence.together)]
    named += [("page", evidence.page_product)] if evidence.page_product else []
    values = [product.brand or "", *(product.category or "").split(">")]
    values += [value for value in product.attributes.values() if isinstance(value, str)]
    values += [value for link in evidence.history for value in link.shared]
    values += list(evidence.shared_with_page)
    values += [c.value for c in evidence.constraints if c.kind in ("brand", "category", "word")]
    names: dict[str, set[str]] = {}
    for role, name in named:
        for key in name_variants(name, brands):
            names.setdefault(key, set()).add(role)
    for value in values:
        key = name_key(value)
        if key and not key.replace(" ", "").isdigit():
            names.setdefault(key, set()).add("value")
    # An attribute's name is a word of the evidence where its value affirms it ("waterproof":
    # "yes"), not where it denies it ("waterproof": "no").
    keys = [k.replace("_", " ") for k, v in product.attributes.items() if _affirms(v)]
    text = " ".join([name for _, name in named] + values + keys).lower()
    words = {stem(token) for token in name_tokens(text) if not CJK.match(token)}
    words |= {stem(w) for term, _, gloss in ZH_TERMS if term in text for w in gloss.split()}
    if product.in_stock or any(c.kind == "in_stock" for c in evidence.constraints):
        words |= {"stock", "available"}
    if product.rating is not None:
        words |= {stem(w) for w in ("rated", "rating", "stars", "reviews", "out")}
    money = {decimal(c.value) for c in evidence.constraints if c.kind.endswith("_price")}
    money = {n for n in (*money, decimal(product.price)) if n is not None}
    counts = {Decimal(item.shoppers) for item in evidence.together}
    counts |= {Decimal(evidence.shoppers)} if evidence.shoppers is not None else set()
    trend = trend_numbers(evidence.trend) if evidence.trend is not None else set()
    units: dict[str, set[Decimal]] = {}
    for _, value, _, unit in number_claims(text):
        units.setdefault(unit, set()).add(value)
    numbers = set().union(*units.values(), money, counts, trend)
    if product.rating is not None:
        numbers |= {Decimal(str(round(product.rating, 1))), Decimal(5)}
    return Facts(
        names={key: frozenset(roles) for key, roles in names.items()},
        name_words=tuple((role, frozenset(name_tokens(name))) for role, name in named),
        words=frozenset(words),
        numbers=frozenset(numbers),
        money=frozenset(money),
        counts=frozenset(counts),
        trend=frozenset(trend),
        units={unit: frozenset(values) for unit, values in units.items() if unit},
        text=text,
    )


def _affirms(value: object) -> bool:
    return bool(value) and str(value).strip().lower() not in ("no", "false", "none", "0")


def read(text: str, chinese: bool, facts: Facts, vocabulary: Vocabulary) -> Reading:
    tokens = [(m.group().lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]
    roles: list[frozenset[str]] = [frozenset()] * len(tokens)
    catalog = (
        ("product", vocabulary.products),
        ("brand", vocabulary.brands),
        ("category", vocabulary.categories),
        ("attribute", vocabulary.attribute_values),
    )

    def known(key: str) -> bool:
        return key in facts.names or any(key in names for _, names in catalog)

    # The longest name wins, the evidence's or the catalog's: "cycling" is a value of the
    # evidence, "Echelon Cycling Jersey" another product.
    hits = []
    for start, end in runs(text, tokens):
        for i, j, key in _longest(tokens, start, end, known):
            if key in facts.names:
                roles[i:j] = [facts.names[key]] * (j - i)
            else:
                hits.append((i, j, next(kind for kind, names in catalog if key in names)))
    hits = _mask_partial_names(text, tokens, roles, hits, facts)
    kept = []
    for i, j, kind in hits:
        stems = {stem(token) for token, _, _ in tokens[i:j]}
        if j - i == 1 and stems <= NEUTRAL:
            continue
        if kind != "brand" and stems <= facts.words:
            roles[i:j] = [VALUE] * (j - i)  # generic words the evidence uses
        else:
            kept.append((i, j, kind))
    masked, cursor = [], 0
    for (_, start, end), role in zip(tokens, roles, strict=True):
        if role:
            masked += [text[cursor:start], MASK]
            cursor = end
    masked.append(text[cursor:])
    return Reading(text, chinese, tokens, roles, kept, "".join(masked).lower())


def runs(text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Stretches of tokens a name may span: no phrase-ending punctuation, no Chinese between."""
    runs, start = [], 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or PHRASE_END.search(text[tokens[i - 1][2] : tokens[i][1]]):
            runs.append((start, i))
            start = i
    return runs


def _longest(
    tokens: list[tuple[str, int, int]], start: int, end: int, known: Callable[[str], bool]
) -> Iterable[tuple[int, int, str]]:
    """Known keys in tokens[start:end], the longest at each place, left to right."""
    i = start
    while i < end:
        for j in range(min(end, i + 12), i, -1):
            key = " ".join(token for token, _, _ in tokens[i:j])
            if known(key):
                yield i, j, key
                i = j
                break
        else:
            i += 1


def _mask_partial_names(
    text: str,
    tokens: list[tuple[str, int, int]],
    roles: list[frozenset[str]],
    hits: list[tuple[int, int, str]],
    facts: Facts,
) -> list[tuple[int, int, str]]:
    """Two or more consecutive words of one evidence name, two of them not phrasing words, are
    that name: "Summit Backpack" or "Northpeak 背包" for "Northpeak Summit 40L Backpack".
    Returns the catalog hits that remain: a hit inside such a span was a word of the name; a
    span inside a longer hit is part of another product's name."""
    starts = {start: k for k, (_, start, _) in enumerate(tokens)}
    for role, words in facts.name_words:
        stems = {stem(word) for word in words}
        chinese = {
            starts[p]
            for term, gloss in ZH_CATEGORY_TERMS.items()
            if stems & {stem(w) for w in gloss.split()}
            for match in re.finditer(term, text)
            for p in range(match.start(), match.end())
            if p in starts
        }
        i = 0
        while i < len(tokens):
            j = i
            while (
                j < len(tokens)
                and roles[j] <= VALUE
                and (stem(tokens[j][0]) in stems or j in chinese)
            ):
                j += 1
            overlapping = [hit for hit in hits if hit[0] < j and hit[1] > i]
            inside = all(i <= start and end <= j for start, end, _ in overlapping)
            if inside and sum(stem(t) not in NEUTRAL for t, _, _ in tokens[i:j]) >= 2:
                roles[i:j] = [frozenset({role})] * (j - i)
                hits = [hit for hit in hits if hit not in overlapping]
            i = max(j, i + 1)
    return hits
