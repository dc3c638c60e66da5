"""A query's words: cleaned input, the operators a shopper may type, and the word that names
the kind of product wanted."""

from __future__ import annotations

import re

# Control characters (NUL above all: PostgreSQL rejects it in text) never mean anything in a query.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# websearch syntax: "a phrase", -excluded, either or other.
OPERATORS = re.compile(r'"|(?:^|\s)-\w|\s+or\s+', re.I)
NEGATED = re.compile(r"(?:^|\s)-(\w+)")
WORD = re.compile(r"[^\W_]+")
# A request names the product before these words: "jacket for hiking", "shoes with grip".
PREPOSITIONS = frozenset(
    {"for", "with", "without", "under", "below", "over", "above", "from", "to", "in", "on",
     "at", "by", "of", "near", "like", "and", "or", "that", "which"}
)  # fmt: skip
# Words of a request that say what it is for, never what the product is ("a gift for a
# runner", "something nice under 50"): they find the wrong products by their descriptions.
COMMON_WORDS = frozenset(
    {
        "a", "an", "and", "for", "the", "with", "from", "that", "this", "gift", "gifts",
        "something", "anything", "good", "nice", "best", "some", "under", "over", "less",
        "more", "than", "cheap", "new", "present", "presents", "idea", "ideas", "any", "my",
        "your", "great",
    }
)  # fmt: skip


def query_clean(raw: str, *, max_length: int | None = None) -> str:
    """One line of words: control characters and runs of spaces become one space."""
    text = " ".join(CONTROL.sub(" ", raw).split())
    return text[:max_length] if max_length else text


def has_operators(text: str) -> bool:
    return bool(OPERATORS.search(text))


def negated_words(text: str) -> list[str]:
    return NEGATED.findall(text)


def plain_words(text: str) -> list[str]:
    """The words to look for, without operators and excluded words."""
    return WORD.findall(NEGATED.sub(" ", text))


def product_words(text: str) -> list[str]:
    """The plain words that may name a product: all of them when every one is common."""
    words = plain_words(text)
    return [word for word in words if word.lower() not in COMMON_WORDS] or words


def head_word(words: list[str]) -> str:
    """The word naming the kind of product: the last before a preposition, or the last.

    "hiking jacket" and "jacket for hiking" both want a jacket, not hiking gear.
    """
    head = ""
    for word in (word.lower() for word in words):
        if word in PREPOSITIONS:
            if head:
                break
        elif word.isascii() and word.isalpha() and word not in COMMON_WORDS:
            head = word
    return head
