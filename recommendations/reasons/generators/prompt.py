"""The chat a small instruction model reads to write one reason, and the clean-up of its answer.

Every generator sends the same messages, so a local model and an endpoint are compared on equal
terms. The facts come from `words.facts_in_words`, the lines the admin shows, so what the model
read and what a person checks are the same.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ..evidence import Constraint, Evidence, HistoryLink, ProductFacts, Together
from ..words import facts_in_words
from .base import GenerationError

# A 135M model copies more than it composes: a short instruction, then examples it can imitate.
SYSTEM = {
    "en": (
        "You write the one-sentence reason shown under a recommended product in an online shop. "
        "Use only the facts given, in their words: never add other products, brands, numbers, "
        "opinions or claims. One short sentence, at most 15 words, in English. "
        'Speak to the shopper as "you".'
    ),
    "zh-hans": (
        "你为网店里的推荐商品写一句推荐理由。只使用给出的事实和原词，"
        "不要添加其他商品、品牌、数字、评价或说法。只写一句简短的中文，不超过30个字。"
        "用“您”称呼顾客。"
    ),
}
ASK = {"en": "Facts:\n{facts}\nReason:", "zh-hans": "事实：\n{facts}\n理由："}


def _example(product: str, category: str, price: str | None = None, **facts: Any) -> Evidence:
    return Evidence(
        product=ProductFacts(id=0, name=product, category=category, price=price, currency="EUR"),
        **facts,
    )


# One example per kind of fact, answered the way a shopper should read it, with only the facts'
# words: a 135M model imitates examples far more than it follows an instruction.
EXAMPLES: dict[str, tuple[Evidence, dict[str, str]]] = {
    "together:bought_together": (
        _example("Trail Tent 2P", "Tents", signal="bought_together", together=(
            Together(name="Summit 40L Backpack", relation="bought_together", shoppers=34),)),
        {"en": "Pairs with the Summit 40L Backpack: 34 shoppers bought both.",
         "zh-hans": "34位顾客把它和Summit 40L Backpack一起购买了。"},
    ),
    "history:bought": (
        _example("Merino Hiking Socks", "Socks", signal="content", history=(
            HistoryLink(name="Ridge Hiking Boots", action="bought", when="last_week",
                        shared=("merino wool",)),)),
        {"en": "Merino wool, like the Ridge Hiking Boots you bought last week.",
         "zh-hans": "和您上周购买的Ridge Hiking Boots一样，都是merino wool。"},
    ),
    "constraints": (
        _example("Alpine Rain Jacket", "Jackets", "89.00", signal="search", constraints=(
            Constraint(kind="word", value="waterproof"), Constraint(kind="max_price", value="100")),
        ),
        {"en": "Waterproof and €89, under your €100 limit.",
         "zh-hans": "waterproof，€89，低于您设定的€100上限。"},
    ),
    "page": (
        _example("Storm Shell Jacket", "Jackets", signal="similar",
                 page_product="Alpine Rain Jacket", shared_with_page=("Northwind", "red")),
        {"en": "Like the Alpine Rain Jacket, also red and from Northwind.",
         "zh-hans": "与Alpine Rain Jacket相似，同样来自Northwind。"},
    ),
    "together:bought_next": (
        _example("Titanium Mug", "Cookware", signal="sequential", together=(
            Together(name="Camp Stove Mini", relation="bought_next", shoppers=41),)),
        {"en": "Bought next by 41 shoppers who bought the Camp Stove Mini.",
         "zh-hans": "41位顾客在购买Camp Stove Mini之后接着购买了它。"},
    ),
    "history:viewed": (
        _example("Trek Poles Carbon", "Trekking poles", signal="recently_viewed", history=(
            HistoryLink(name="Ridge Hiking Boots", action="viewed", when="yesterday"),)),
        {"en": "Because you viewed the Ridge Hiking Boots yesterday.",
         "zh-hans": "因为您昨天浏览了Ridge Hiking Boots。"},
    ),
    "shoppers": (
        _example("Camp Stove Mini", "Stoves", signal="popular", shoppers=230),
        {"en": "Chosen by 230 shoppers recently.", "zh-hans": "最近有230位顾客选择了它。"},
    ),
    "trend": (
        _example("Headlamp 400", "Headlamps", signal="trending", trend=3.0),
        {"en": "Trending: 3 times its usual interest lately.",
         "zh-hans": "近期关注度是平时的3倍。"},
    ),
    "together:viewed_together": (
        _example("Trail Tent 2P", "Tents", signal="bought_together", together=(
            Together(name="Camp Lantern", relation="viewed_together", shoppers=18),)),
        {"en": "Viewed together with the Camp Lantern by 18 shoppers.",
         "zh-hans": "18位顾客把它和Camp Lantern一起浏览了。"},
    ),
    "history:carted": (
        _example("Camp Pillow", "Sleeping", signal="factors", history=(
            HistoryLink(name="Down Sleeping Bag", action="carted", when="today"),)),
        {"en": "Goes with the Down Sleeping Bag you added to your cart today.",
         "zh-hans": "和您今天加入购物车的Down Sleeping Bag很搭。"},
    ),
    "history:searched": (
        _example("Alpine Rain Jacket", "Jackets", signal="search", history=(
            HistoryLink(name="rain jacket", action="searched", when="this_week"),)),
        {"en": "Matches your search for “rain jacket” this week.",
         "zh-hans": "符合您本周搜索的“rain jacket”。"},
    ),
    "product": (
        _example("Alpine Rain Jacket", "Jackets", "89.00", signal="content"),
        {"en": "Jackets from the shop's range at €89.", "zh-hans": "Jackets，€89。"},
    ),
}  # fmt: skip
# The examples every prompt starts with (cached once per process by the local model); the one
# of the evidence's own kind is repeated just before its facts, where it is imitated most.
SHARED_EXAMPLES = (
    "together:bought_together", "history:bought", "constraints", "page",
    "together:bought_next", "history:viewed", "shoppers", "trend",
)  # fmt: skip


def prompt_language(language: str) -> str:
    """The prompt's language for a Django language code; only English and Chinese have one."""
    code = language.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    if code.startswith("en"):
        return "en"
    raise GenerationError(f"no reason prompt for language {language!r}")


def focused_evidence(evidence: Evidence) -> Evidence:
    """The evidence cut to the facts of the signal that ranked the product: the fewer lines a
    tiny model reads, the less it mixes up or invents."""
    met = tuple(c for c in evidence.constraints if c.met)
    product, signal = evidence.product, evidence.signal
    if met:
        return Evidence(product=product, signal=signal, constraints=met)
    if signal in ("bought_together", "sequential") and evidence.together:
        return Evidence(product=product, signal=signal, together=evidence.together[:1])
    if signal == "similar" and evidence.page_product:
        return dataclasses.replace(evidence, history=(), together=(), shoppers=None, trend=None)
    if signal == "trending" and evidence.trend:
        return Evidence(product=product, signal=signal, trend=evidence.trend)
    if signal == "popular" and evidence.shoppers:
        return Evidence(product=product, signal=signal, shoppers=evidence.shoppers)
    if evidence.history:
        # Neighbours keep their count: "shoppers who bought the ... also bought it".
        return Evidence(
            product=product, signal=signal, history=evidence.history[:1],
            shoppers=evidence.shoppers if signal == "neighbours" else None,
        )  # fmt: skip
    return dataclasses.replace(evidence, history=(), together=evidence.together[:1])


def fact_kind(evidence: Evidence) -> str:
    """Which example an evidence's leading fact is answered like (a key of EXAMPLES)."""
    if evidence.constraints:
        return "constraints"
    if evidence.together:
        return f"together:{evidence.together[0].relation}"
    if evidence.history:
        return f"history:{evidence.history[0].action}"
    if evidence.page_product:
        return "page"
    if evidence.trend:
        return "trend"
    return "shoppers" if evidence.shoppers else "product"


def fact_lines(evidence: Evidence, *, language: str) -> list[str]:
    """An evidence's lines without the product's own (name, brand, price, ...), unless they are
    all there is: a model shown the name starts with it and then invents what it is."""
    lines = facts_in_words(evidence, language)
    own = set(facts_in_words(Evidence(product=evidence.product, signal=evidence.signal), language))
    return [line for line in lines if line not in own] or lines


def _turns(evidence: Evidence, language: str) -> list[dict[str, str]]:
    lines = fact_lines(evidence, language=language)
    return [
        {
            "role": "user",
            "content": ASK[language].format(facts="\n".join(f"- {line}" for line in lines)),
        }
    ]


def example_messages(language: str) -> list[dict[str, str]]:
    """The system instruction and the shared examples as earlier turns: the same for every
    evidence, so a local model computes them once per process."""
    code = prompt_language(language)
    messages = [{"role": "system", "content": SYSTEM[code]}]
    for kind in SHARED_EXAMPLES:
        messages += _example_turns(kind, code)
    return messages


def _example_turns(kind: str, language: str) -> list[dict[str, str]]:
    example, answers = EXAMPLES[kind]
    return [*_turns(example, language), {"role": "assistant", "content": answers[language]}]


def reason_messages(evidence: Evidence, *, language: str) -> list[dict[str, str]]:
    """The shared examples, the example of this evidence's kind, then its facts to answer."""
    code = prompt_language(language)
    focused = focused_evidence(evidence)
    import os
    if os.environ.get("XP_REPEAT", "1") == "1":
        return [
            *example_messages(code),
            *_example_turns(fact_kind(focused), code),
            *_turns(focused, code),
        ]
    return [*example_messages(code), *_turns(focused, code)]


_PREFIX = re.compile(
    r"^\s*(?:[-*•>#]+\s*)?(?:(?:reason|answer|sentence|理由|原因|回答)\s*[:：]\s*)?", re.I
)
_QUOTES = "\"'“”‘’「」『』*`"
_SENTENCE_END = re.compile(r"[。！？]|[.!?](?=\s|$|[\"'”’」』)])")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Fewer words than this is a fragment ("Campfire & Co."), not a reason; Chinese counts characters.
MIN_WORDS = 4
MIN_CHARS = 6


def clean_reason(text: str, *, finished: bool = True) -> str:
    """The first sentence of a model's answer without labels, quotes or chatter after it.

    Empty when it is not a reason: a fragment, or an answer cut off by the token limit before
    its first sentence ended (finished=False).
    """
    line = next((part for part in text.splitlines() if part.strip()), "")
    line = _PREFIX.sub("", line).strip().strip(_QUOTES).strip()
    chinese = bool(_CJK.search(line))
    if end := _SENTENCE_END.search(line):
        line = line[: end.end()].strip(_QUOTES).strip()
    elif finished and line:
        line += "。" if chinese else "."
    else:
        return ""
    size = len(_CJK.findall(line)) + len(re.findall(r"[^\W\d_]+|\d+", _CJK.sub(" ", line)))
    return line if size >= (MIN_CHARS if chinese else MIN_WORDS) else ""
