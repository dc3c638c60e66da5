"""Natural-language shopping requests: hard constraints out, meaning left for the vector.

"waterproof hiking jacket under 100" becomes max_price=100 and the text "waterproof hiking
jacket"; "送给跑步爱好者的礼物 200元以下" becomes max_price=200 and an English gloss for
the encoder.
Prices, stock, brands and categories become SQL filters, so every result meets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.cache import cache
from django.utils.translation import gettext as _

from .factories import get_adapter

# "1,500" (thousands), "12.50" or "12,50", and "1e3" so that "1e400" is read whole, not as 1.
NUMBER = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:[.,]\d+)?(?:e[+-]?\d+)?)"
THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
CURRENCY_WORDS = r"(?:\s*(?:eur|euros?|usd|dollars?|gbp|pounds?|€|\$|£|元|块钱?|欧元?|美元))?"
PREFIX_CURRENCY = r"(?:[€$£]\s*)?"

AMOUNT = rf"{PREFIX_CURRENCY}{NUMBER}{CURRENCY_WORDS}"
BELOW = r"under|below|less\s+than|cheaper\s+than|up\s+to|max(?:imum)?|at\s+most|no\s+more\s+than"
ABOVE = r"over|above|more\s+than|at\s+least|min(?:imum)?|from"

# Order matters: ranges before single bounds.
PRICE_PATTERNS: list[tuple[str, str]] = [
    (rf"between\s+{AMOUNT}\s+and\s+{AMOUNT}", "range"),
    (rf"(?:from\s+)?{AMOUNT}\s*(?:-|–|to)\s*{AMOUNT}", "range"),
    (rf"(?:价格)?(?:在)?{AMOUNT}\s*(?:到|至|-|~)\s*{AMOUNT}(?:之间)?", "range"),
    (rf"(?:{BELOW}|within|<=?)\s*{AMOUNT}", "max"),
    (rf"(?:低于|少于|不超过|不到|小于|最多|预算)\s*{AMOUNT}(?:以内|以下)?", "max"),
    (rf"{AMOUNT}\s*(?:以内|以下|之内)", "max"),
    (rf"(?:{ABOVE}|>=?)\s*{AMOUNT}", "min"),
    (rf"(?:高于|多于|超过|不低于|至少)\s*{AMOUNT}(?:以上)?", "min"),
    (rf"{AMOUNT}\s*以上", "min"),
]
IN_STOCK = re.compile(r"\b(?:in\s+stock|available\s+now|ships\s+now)\b|有货|现货|有库存", re.I)

# A small shop glossary so a Chinese request reaches an English-trained encoder with its meaning.
ZH_GLOSSARY = {
    "跑步": "running", "跑鞋": "running shoes", "越野跑": "trail running", "徒步": "hiking",
    "登山": "hiking mountaineering", "露营": "camping", "帐篷": "tent", "睡袋": "sleeping bag",
    "夹克": "jacket", "外套": "jacket", "防水": "waterproof", "鞋": "shoes", "背包": "backpack",
    "礼物": "gift", "送给": "gift for", "男士": "men's", "女士": "women's", "儿童": "kids",
    "孩子": "kids", "婴儿": "baby", "厨房": "kitchen", "锅": "pan cookware", "咖啡": "coffee",
    "刀": "knife", "手表": "watch", "耳机": "headphones", "游戏": "gaming", "自行车": "bicycle",
    "骑行": "cycling", "头盔": "helmet", "健身": "fitness", "瑜伽": "yoga", "哑铃": "dumbbell",
    "花园": "garden", "园艺": "gardening", "宠物": "pet", "狗": "dog", "猫": "cat",
    "化妆": "makeup", "口红": "lipstick", "指甲": "nail polish", "护肤": "skincare",
    "书": "book", "玩具": "toy", "灯": "lamp", "椅子": "chair", "轻便": "lightweight",
    "保暖": "warm insulated", "便宜": "budget", "高端": "premium", "爱好者": "enthusiast",
    "跑者": "runner", "新手": "beginner", "妈妈": "mother", "爸爸": "father",
}  # fmt: skip


@dataclass
class ParsedRequest:
    text: str
    semantic_text: str
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool = False
    category_ids: list[int] = field(default_factory=list)
    brand_ids: list[int] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    # Parts of the request that could not be used, in words (an impossible price).
    problems: list[str] = field(default_factory=list)


def _decimal(value: str) -> Decimal | None:
    text = value.replace(",", "") if THOUSANDS.fullmatch(value) else value.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _price_limit() -> Decimal:
    """The largest price the product model can hold: a bound above it is no bound."""
    adapter = get_adapter()
    price = adapter.model._meta.get_field(adapter.price_field)
    places = price.decimal_places or 0
    return Decimal(10) ** (price.max_digits - places) - Decimal(10) ** -places


def _price_check(parsed: ParsedRequest, numbers: list[Decimal | None], text: str) -> bool:
    """Whether the prices can be used; if not, says why in `parsed.problems`."""
    limit = _price_limit()
    if all(n is not None and n <= limit for n in numbers):
        return True
    parsed.problems.append(
        _("“%(text)s”: prices go up to %(limit)s, so this limit was left out.")
        % {"text": text, "limit": f"{limit:,.2f}"}
    )
    return False


def _names(model, name_field: str) -> list[tuple[str, int]]:
    """(lower-cased name, id), longest first so "Trail running shoes" wins over "Shoes"."""
    key = f"recommendations:names:{model._meta.label_lower}"
    names = cache.get(key)
    if names is None:
        names = sorted(
            (
                (str(n).lower(), pk)
                for pk, n in model._default_manager.values_list("pk", name_field)
            ),
            key=lambda item: -len(item[0]),
        )
        cache.set(key, names, 300)
    return names


def _match_names(text: str, names: list[tuple[str, int]]) -> tuple[list[tuple[str, int]], str]:
    found = []
    for name, pk in names:
        if len(name) < 3:
            continue
        variants = {name, name.rstrip("s")} if name.endswith("s") else {name, f"{name}s"}
        for variant in sorted(variants, key=len, reverse=True):
            pattern = re.compile(rf"(?<!\w){re.escape(variant)}(?!\w)", re.I)
            if pattern.search(text):
                found.append((name, pk))
                text = pattern.sub(" ", text)
                break
    return found, text


CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def zh_gloss(text: str) -> str:
    """English words for the Chinese shop terms in `text`, in the order they appear.

    The default encoder was trained on English: Chinese characters reach it as unknown pieces
    that drown the meaning, so a glossed request is encoded in English alone.
    """
    if not CJK.search(text):
        return text
    found = sorted((text.find(zh), en) for zh, en in ZH_GLOSSARY.items() if zh in text)
    english = " ".join(en for _, en in found)
    rest = re.sub(r"\s+", " ", CJK.sub(" ", text)).strip()
    return " ".join(part for part in (english, rest) if part) or text


def request_parse(text: str) -> ParsedRequest:
    parsed = ParsedRequest(text=text, semantic_text=text)
    rest = text
    for pattern, kind in PRICE_PATTERNS:
        match = re.search(pattern, rest, re.I)
        if not match:
            continue
        numbers = [_decimal(g) for g in match.groups() if g]
        rest = rest[: match.start()] + " " + rest[match.end() :]
        if not _price_check(parsed, numbers, match.group(0).strip()):
            continue
        if kind == "range" and len(numbers) == 2 and None not in numbers:
            low, high = sorted(numbers)
            parsed.min_price = low if parsed.min_price is None else max(parsed.min_price, low)
            parsed.max_price = high if parsed.max_price is None else min(parsed.max_price, high)
        elif kind == "max" and numbers and numbers[0] is not None:
            value = numbers[0]
            parsed.max_price = value if parsed.max_price is None else min(parsed.max_price, value)
        elif kind == "min" and numbers and numbers[0] is not None:
            value = numbers[0]
            parsed.min_price = value if parsed.min_price is None else max(parsed.min_price, value)
        else:
            continue
        parsed.matched.append(match.group(0).strip())
    if IN_STOCK.search(rest):
        parsed.in_stock = True
        rest = IN_STOCK.sub(" ", rest)

    adapter = get_adapter()
    brand_model = adapter.brand_model()
    if brand_model is not None:
        brands, rest = _match_names(rest, _names(brand_model, adapter.brand_name_field))
        parsed.brand_ids = [pk for _, pk in brands]
        parsed.matched += [name for name, _ in brands]
    category_model = adapter.category_model()
    if category_model is not None:
        categories, _ = _match_names(rest, _names(category_model, adapter.category_name_field))
        # Only the most specific category named is a hard filter; it includes its children.
        if categories:
            name, pk = categories[0]
            parsed.category_ids = adapter.category_descendants(pk)
            parsed.matched.append(name)
    # Only limits ("under 50"): nothing is left to search for by meaning.
    semantic = re.sub(r"\s+", " ", rest).strip(" ,.;:-")
    parsed.semantic_text = zh_gloss(semantic) if semantic else ""
    return parsed
