"""Numbers in text: amounts with their currency or unit, spelled and Chinese numbers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .lexicon import NUMBER_WORDS, UNITS, ZH_DIGITS, stem

AMOUNT = re.compile(
    r"(?P<pre>[€$£¥])?\s*(?<![0-9A-Za-z.])(?P<num>\d+(?:[.,]\d+)*)(?P<pct>\s*%)?"
    r"(?:\s*(?P<post>euros?|eur|usd|dollars?|gbp|pounds?|欧元|美元|英镑|人民币|元|块)(?![a-z]))?",
    re.IGNORECASE,
)
SPELLED = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
UNIT_AFTER = re.compile(r"[\s-]*(个月|小时|[a-z]+|[×倍位名人次天周月年])", re.IGNORECASE)
ZH_NUMBER = re.compile(
    r"(十[一二三四五六七八九]?|[两二三四五六七八九]十?[一二三四五六七八九]?)(?=[位个名人款件倍次颗星])"
)


def decimal(text: str | None) -> Decimal | None:
    """ "1,299" and "1299.00" are 1299; "89,99" is 89.99."""
    if text is None:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def trend_numbers(trend: float) -> set[Decimal]:
    """The ways to say "2.5 times its usual rate": 2.5, 150% (more), or a whole number it
    rounds to (2 or 3)."""
    numbers = {Decimal(str(round(trend, 1))), Decimal(round((trend - 1) * 100))}
    numbers.add(Decimal(round((trend - 1) * 10) * 10))
    whole, fraction = divmod(trend, 1)
    if fraction <= 0.5:
        numbers.add(Decimal(int(whole)))
    if fraction >= 0.5:
        numbers.add(Decimal(int(whole) + 1))
    return numbers


def numeric(token: str) -> bool:
    return any(c.isdigit() for c in token) or token in UNITS


def number_claims(text: str) -> Iterable[tuple[str, Decimal, str, str]]:
    """(as written, value, currency, unit) for each number in `text`, spelled ones too; the unit
    is the word after it, stemmed ("2 person" → "person"), or "%"."""
    for match in AMOUNT.finditer(text):
        if (value := decimal(match["num"])) is not None:
            currency = (match["pre"] or match["post"] or "").lower()
            unit = "%" if match["pct"] else _unit_after(text, match.end())
            yield match.group().strip(), value, currency, unit
    for match in SPELLED.finditer(text):
        word = match.group().lower()
        unit = "x" if word in ("twice", "double", "triple") else _unit_after(text, match.end())
        yield word, Decimal(NUMBER_WORDS[word]), "", unit
    for match in ZH_NUMBER.finditer(text):
        yield match.group(), Decimal(_zh_number(match.group())), "", _unit_after(text, match.end())


def _unit_after(text: str, position: int) -> str:
    match = UNIT_AFTER.match(text, position)
    return stem(match[1].lower()) if match else ""


def _zh_number(text: str) -> int:
    tens, ten, ones = text.partition("十")
    if not ten:
        return ZH_DIGITS[text]
    return ZH_DIGITS.get(tens, 1) * 10 + ZH_DIGITS.get(ones, 1 if ones == "一" else 0)
