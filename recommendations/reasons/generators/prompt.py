"""The chat a small instruction model reads to write one reason, and the clean-up of its answer.

Every generator sends the same messages, so a local model and an endpoint are compared on equal
terms. The facts come from `words.facts_in_words`, the lines the admin shows, so what the model
read and what a person checks are the same.
"""

from __future__ import annotations

import dataclasses
import re

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

_TENT = ProductFacts(id=1, name="Trail Tent 2P", brand="Northwind", category="Tents")
_SOCKS = ProductFacts(
    id=2, name="Merino Hiking Socks", brand="Fjellgear", category="Socks", price="19.00",
    currency="EUR", attributes={"material": "merino wool"},
)  # fmt: skip
_JACKET = ProductFacts(
    id=3, name="Alpine Rain Jacket", brand="Northwind", category="Jackets", price="89.00",
    currency="EUR", attributes={"waterproof": "yes"},
)  # fmt: skip
EXAMPLE_EVIDENCE = (
    Evidence(
        product=_TENT,
        signal="bought_together",
        together=(Together(name="Summit 40L Backpack", relation="bought_together", shoppers=34),),
    ),
    Evidence(
        product=_SOCKS,
        signal="content",
        history=(
            HistoryLink(name="Ridge Hiking Boots", action="bought", when="last_week",
                        shared=("merino wool",)),
        ),
    ),  # fmt: skip
    Evidence(
        product=_JACKET,
        signal="search",
        constraints=(Constraint(kind="word", value="waterproof"),
                     Constraint(kind="max_price", value="100")),
    ),  # fmt: skip
)
# The answer to each example evidence, in each language: names kept as the facts spell them.
EXAMPLE_ANSWERS = {
    "en": (
        "34 shoppers bought it together with the Summit 40L Backpack.",
        "Merino wool, like the Ridge Hiking Boots you bought last week.",
        "Waterproof and €89, under your €100 limit.",
    ),
    "zh-hans": (
        "34位顾客把它和Summit 40L Backpack一起买了。",
        "和您上周买的Ridge Hiking Boots一样是merino wool。",
        "防水，€89，低于您€100的预算。",
    ),
}


def prompt_language(language: str) -> str:
    """The prompt's language for a Django language code; only English and Chinese have one."""
    code = language.lower().replace("_", "-")
    if code.startswith("zh"):
        return "zh-hans"
    if code.startswith("en"):
        return "en"
    raise GenerationError(f"no reason prompt for language {language!r}")


def focused_evidence(evidence: Evidence) -> Evidence:
    """The evidence cut to the facts that ranked the product, plus its name and category.

    The fewer lines a tiny model reads, the less it mixes up or invents; the brand, price and
    attributes stay only when nothing stronger is known (or a request's constraint names them).
    """
    met = tuple(c for c in evidence.constraints if c.met)
    strongest = dataclasses.replace(
        evidence,
        history=evidence.history[:1],
        together=evidence.together[:1],
        constraints=met,
    )
    if met:
        strongest = dataclasses.replace(
            strongest, history=(), together=(), page_product=None, shoppers=None, trend=None
        )
    elif evidence.signal in ("bought_together", "neighbours", "sequential") and evidence.together:
        strongest = dataclasses.replace(strongest, history=(), page_product=None)
    elif evidence.history:
        strongest = dataclasses.replace(strongest, together=(), page_product=None)
    has_reason = any(
        (strongest.history, strongest.together, met, strongest.page_product,
         strongest.shoppers, strongest.trend)
    )  # fmt: skip
    if has_reason:
        product = evidence.product
        priced = any(c.kind in ("max_price", "min_price") for c in met)
        strongest = dataclasses.replace(
            strongest,
            product=ProductFacts(
                id=product.id,
                name=product.name,
                category=product.category,
                price=product.price if priced else None,
                currency=product.currency if priced else None,
            ),
        )
    return strongest


def facts_message(evidence: Evidence, *, language: str) -> str:
    lines = facts_in_words(focused_evidence(evidence), language)
    return ASK[language].format(facts="\n".join(f"- {line}" for line in lines))


def reason_messages(evidence: Evidence, *, language: str) -> list[dict[str, str]]:
    """System instruction, the examples as earlier turns, then this evidence's facts."""
    code = prompt_language(language)
    messages = [{"role": "system", "content": SYSTEM[code]}]
    for example, answer in zip(EXAMPLE_EVIDENCE, EXAMPLE_ANSWERS[code], strict=True):
        messages.append({"role": "user", "content": facts_message(example, language=code)})
        messages.append({"role": "assistant", "content": answer})
    messages.append({"role": "user", "content": facts_message(evidence, language=code)})
    return messages


_PREFIX = re.compile(r"^\s*(?:[-*•>#]+\s*)?(?:(?:reason|answer|sentence|理由|原因|回答)\s*[:：]\s*)?", re.I)
_QUOTES = "\"'“”‘’「」『』*`"
_SENTENCE_END = re.compile(r"[.!?。！？](?=\s|$|[\"'”’」』)])")


def clean_reason(text: str, *, finished: bool = True) -> str:
    """The first sentence of a model's answer without labels, quotes or chatter after it.

    An answer cut off by the token limit before its first sentence ended (finished=False) is
    not a reason: empty string.
    """
    line = next((part for part in text.splitlines() if part.strip()), "")
    line = _PREFIX.sub("", line).strip().strip(_QUOTES).strip()
    end = _SENTENCE_END.search(line)
    if end:
        return line[: end.end()].strip(_QUOTES).strip()
    if not finished or not line:
        return ""
    return line + ("。" if re.search(r"[\u4e00-\u9fff]", line) else ".")
