"""The chat a small instruction model reads to write one reason, and the clean-up of its answer.

A prompt is an instruction, two examples of the evidence's kind of leading fact (a purchase, a
pairing, a request, ...) and that fact alone: a 135M model copies far more than it composes, so
it is shown one thing to say and how others said it. Every generator sends the same messages.
The fact lines are `words.facts_in_words`, what the admin shows, so what the model read and what
a person checks are the same.
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


def _example(
    product: str, *, price: str | None = None, brand: str | None = None, **facts: Any
) -> Evidence:
    return Evidence(
        product=ProductFacts(id=0, name=product, brand=brand, price=price, currency="EUR"), **facts
    )


def _bought(name: str, when: str = "last_week", *shared: str) -> tuple[HistoryLink, ...]:
    return (HistoryLink(name=name, action="bought", when=when, shared=shared),)


# Examples by kind of leading fact, each answered the way a shopper should read it with only the
# facts' words (and the verifier's neutral phrasing). A 135M model imitates examples far more
# than it follows an instruction, and imitates the wrong kind too ("Trending: ..." under a
# purchase), so a prompt shows only the examples of its evidence's kind: two where a kind is
# common, so the model sees what changes (names, numbers) and what may be said around it.
EXAMPLES: dict[str, tuple[tuple[Evidence, dict[str, str]], ...]] = {
    "together:bought_together": (
        (_example("Trail Tent 2P", signal="bought_together", together=(
            Together(name="Summit 40L Backpack", relation="bought_together", shoppers=34),)),
         {"en": "Pairs with the Summit 40L Backpack: 34 shoppers bought both.",
          "zh-hans": "34位顾客把它和Summit 40L Backpack一起购买了。"}),
        (_example("Camp Mug", signal="bought_together", together=(
            Together(name="Pocket Stove", relation="bought_together", shoppers=12),)),
         {"en": "Often bought together with the Pocket Stove, by 12 shoppers.",
          "zh-hans": "已有12位顾客把它和Pocket Stove一起购买了。"}),
    ),
    "together:bought_next": (
        (_example("Titanium Mug", signal="sequential", together=(
            Together(name="Camp Stove Mini", relation="bought_next", shoppers=41),)),
         {"en": "Bought next by 41 shoppers who bought the Camp Stove Mini.",
          "zh-hans": "41位顾客在购买Camp Stove Mini之后接着购买了它。"}),
        (_example("Rain Cover", signal="sequential", together=(
            Together(name="Daypack 20", relation="bought_next", shoppers=9),)),
         {"en": "After the Daypack 20, 9 shoppers went on to buy it.",
          "zh-hans": "9位顾客买了Daypack 20之后又买了它。"}),
    ),
    "together:viewed_together": (
        (_example("Trail Tent 2P", signal="bought_together", together=(
            Together(name="Camp Lantern", relation="viewed_together", shoppers=18),)),
         {"en": "Viewed together with the Camp Lantern by 18 shoppers.",
          "zh-hans": "18位顾客把它和Camp Lantern一起浏览了。"}),
    ),
    "history:bought": (
        (_example("Hiking Socks", signal="content",
                  history=_bought("Ridge Hiking Boots", "last_week", "Fjellgear")),
         {"en": "From Fjellgear, like the Ridge Hiking Boots you bought last week.",
          "zh-hans": "您上周购买了Ridge Hiking Boots，共同点是Fjellgear。"}),
        (_example("Foam Roller", signal="neighbours", shoppers=27,
                  history=_bought("Massage Ball", "yesterday")),
         {"en": "Goes with the Massage Ball you bought yesterday.",
          "zh-hans": "与您昨天购买的Massage Ball很搭。"}),
    ),
    "history:viewed": (
        (_example("Trek Poles", signal="recently_viewed", history=(
            HistoryLink(name="Ridge Hiking Boots", action="viewed", when="yesterday"),)),
         {"en": "Because you viewed the Ridge Hiking Boots yesterday.",
          "zh-hans": "因为您昨天浏览了Ridge Hiking Boots。"}),
        (_example("Gaiters", signal="content", history=(
            HistoryLink(name="Storm Shell Jacket", action="viewed", when="this_month",
                        shared=("waterproof",)),)),
         {"en": "Waterproof, like the Storm Shell Jacket you viewed this month.",
          "zh-hans": "您本月浏览了Storm Shell Jacket，共同点是waterproof。"}),
    ),
    "history:carted": (
        (_example("Camp Pillow", signal="factors", history=(
            HistoryLink(name="Down Sleeping Bag", action="carted", when="today"),)),
         {"en": "Goes with the Down Sleeping Bag you added to your cart today.",
          "zh-hans": "和您今天加入购物车的Down Sleeping Bag很搭。"}),
        (_example("Bike Lock", signal="factors", history=(
            HistoryLink(name="City Bike Light", action="carted", when="this_week"),)),
         {"en": "Pairs with the City Bike Light in your cart.",
          "zh-hans": "与您购物车里的City Bike Light很搭。"}),
    ),
    "history:searched": (
        (_example("Alpine Rain Jacket", signal="search", history=(
            HistoryLink(name="rain jacket", action="searched", when="this_week"),)),
         {"en": "Matches your search for “rain jacket” this week.",
          "zh-hans": "符合您本周搜索的“rain jacket”。"}),
    ),
    "constraints": (
        (_example("Alpine Rain Jacket", price="89.00", signal="search", constraints=(
            Constraint(kind="word", value="waterproof"),
            Constraint(kind="max_price", value="100"))),
         {"en": "Waterproof and €89, under your €100 limit.",
          "zh-hans": "waterproof，€89，低于您设定的€100上限。"}),
        (_example("Trail Shoe", brand="Fjellgear", signal="search", constraints=(
            Constraint(kind="brand", value="Fjellgear"), Constraint(kind="in_stock", value="yes"))),
         {"en": "From Fjellgear as you asked, and in stock now.",
          "zh-hans": "Fjellgear，符合您的要求，现在有货。"}),
    ),
    "page": (
        (_example("Storm Shell Jacket", signal="similar", page_product="Alpine Rain Jacket",
                  shared_with_page=("Northwind", "red")),
         {"en": "Like the Alpine Rain Jacket, also red and from Northwind.",
          "zh-hans": "与Alpine Rain Jacket相似，同样来自Northwind。"}),
        (_example("Camp Chair", signal="similar", page_product="Trail Stool",
                  shared_with_page=("camp furniture",)),
         {"en": "Similar to the Trail Stool, and also camp furniture.",
          "zh-hans": "与Trail Stool相似，共同点是camp furniture。"}),
    ),
    "shoppers": (
        (_example("Camp Stove Mini", signal="popular", shoppers=230),
         {"en": "Chosen by 230 shoppers recently.", "zh-hans": "最近有230位顾客选择了它。"}),
        (_example("Headlamp 300", signal="popular", shoppers=64),
         {"en": "64 shoppers picked it recently.", "zh-hans": "近期已有64位顾客选了它。"}),
    ),
    "trend": (
        (_example("Headlamp 400", signal="trending", trend=3.0),
         {"en": "Trending: 3 times its usual interest lately.",
          "zh-hans": "近期关注度是平时的3倍。"}),
        (_example("Camp Lantern", signal="trending", trend=2.0),
         {"en": "Twice as popular as usual right now.",
          "zh-hans": "近期关注度是平时的2倍，正在流行。"}),
    ),
    "product": (
        (_example("Alpine Rain Jacket", brand="Northwind", price="89.00", signal="content"),
         {"en": "From Northwind, at €89.", "zh-hans": "Northwind出品，€89。"}),
    ),
}  # fmt: skip


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


def prompt_kind(evidence: Evidence) -> str:
    """Which examples a prompt shows: the kind of the focused evidence's leading fact."""
    focused = focused_evidence(evidence)
    if focused.constraints:
        return "constraints"
    if focused.together:
        return f"together:{focused.together[0].relation}"
    if focused.history:
        return f"history:{focused.history[0].action}"
    if focused.page_product:
        return "page"
    if focused.trend:
        return "trend"
    return "shoppers" if focused.shoppers else "product"


def fact_lines(evidence: Evidence, *, language: str) -> list[str]:
    """The focused evidence's lines without the product's own (name, brand, price, ...), unless
    they are all there is: a model shown the name starts with it and then invents what it is."""
    focused = focused_evidence(evidence)
    lines = facts_in_words(focused, language)
    own = set(facts_in_words(Evidence(product=focused.product, signal=focused.signal), language))
    return [line for line in lines if line not in own] or lines


def _ask(evidence: Evidence, language: str) -> dict[str, str]:
    facts = "\n".join(f"- {line}" for line in fact_lines(evidence, language=language))
    return {"role": "user", "content": ASK[language].format(facts=facts)}


def example_messages(kind: str, *, language: str) -> list[dict[str, str]]:
    """The instruction and the examples of one kind as earlier turns: the same for every
    evidence of that kind, so a local model computes them once per process."""
    code = prompt_language(language)
    messages = [{"role": "system", "content": SYSTEM[code]}]
    for example, answers in EXAMPLES[kind]:
        messages += [_ask(example, code), {"role": "assistant", "content": answers[code]}]
    return messages


def reason_messages(evidence: Evidence, *, language: str) -> list[dict[str, str]]:
    """The examples of the evidence's kind, then its facts as the turn to answer."""
    code = prompt_language(language)
    return [*example_messages(prompt_kind(evidence), language=code), _ask(evidence, code)]


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
