"""The verifier's own accuracy, on reasons labelled true or false by hand.

A labelled set is a JSON file: {"catalog": {...}, "items": [...]}. The catalog (products with
name, brand and attributes; brands; categories) stands in for the shop's, so the accuracy needs no
database. Each item is {"text", "language", "evidence" (`Evidence.as_dict()`), "label" (true when
the reason is true to its evidence), "falsehood" (for a false one: what was planted, such as
"price" or "brand"; None for a true one)}.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from .evidence import Evidence
from .verifier import verify
from .vocabulary import Vocabulary, vocabulary_build


def labelled_set_load(path: Path) -> tuple[list[dict[str, Any]], Vocabulary]:
    """The items of a labelled set and the vocabulary of its catalog."""
    data = json.loads(path.read_text(encoding="utf-8"))
    products = data["catalog"]["products"]
    vocabulary = vocabulary_build(
        products=[(p["name"], p.get("brand")) for p in products],
        brands=data["catalog"]["brands"],
        categories=data["catalog"]["categories"],
        attribute_values=[v for p in products for v in p.get("attributes", {}).values()],
    )
    return data["items"], vocabulary


def verifier_accuracy(items: list[dict[str, Any]], vocabulary: Vocabulary) -> dict[str, Any]:
    """Shares of false reasons rejected and true ones accepted, overall and per kind of
    falsehood, with the causes given and every misjudged item, so a regression names itself."""
    judged: dict[str, list[bool]] = defaultdict(list)
    causes: dict[str, Counter[str]] = defaultdict(Counter)
    misjudged = []
    for item in items:
        verdict = verify(
            item["text"],
            Evidence.from_dict(item["evidence"]),
            language=item["language"],
            vocabulary=vocabulary,
        )
        kind = item.get("falsehood") or "true"
        right = verdict.passed == item["label"]
        judged[kind].append(right)
        causes[kind][verdict.cause or "passed"] += 1
        if not right:
            shown = {key: item[key] for key in ("text", "language", "label", "falsehood")}
            misjudged.append(shown | {"cause": verdict.cause, "detail": verdict.detail})
    false = [right for kind, results in judged.items() if kind != "true" for right in results]
    return {
        "rejected_false": _share(false),
        "accepted_true": _share(judged["true"]),
        "false": len(false),
        "true": len(judged["true"]),
        "by_falsehood": {
            kind: {"items": len(results), "rejected": _share(results)}
            for kind, results in sorted(judged.items())
            if kind != "true"
        },
        "causes": {kind: dict(counter) for kind, counter in sorted(causes.items())},
        "misjudged": misjudged,
    }


def _share(results: list[bool]) -> float:
    return sum(results) / len(results) if results else 0.0
