"""What a reason says anyone did, held to the evidence's history, shoppers and trend."""

from __future__ import annotations

import re

from ..evidence import Evidence
from .phrases import (
    ALL_WHEN,
    EN_ACTIONS,
    EN_YOU,
    EN_YOUR,
    PAGE,
    POPULAR,
    TOGETHER,
    TRENDING,
    WHEN,
    ZH_VERBS,
    ZH_YOU,
    ZH_YOUR,
)
from .reading import Reading
from .verdict import Verdict


def claimed_actions(text: str) -> list[tuple[str, frozenset[str] | None]]:
    """(action, when buckets or None) for each claim of what the shopper did."""
    found: list[tuple[str, frozenset[str] | None]] = []
    for match in EN_YOU.finditer(text):
        verb = match["verb"]
        found.append((next(a for a, vs in EN_ACTIONS.items() if re.fullmatch(vs, verb)), None))
    for pattern in (EN_YOUR, ZH_YOUR):
        for match in pattern.finditer(text):
            action = next(k for k, v in match.groupdict().items() if v)
            found.append((action.rstrip("2"), None))
    for match in ZH_YOU.finditer(text):
        found.append((ZH_VERBS[match["verb"]], _when_buckets(match["when"] or "") or None))
    return found


def _when_buckets(text: str) -> frozenset[str]:
    return frozenset().union(*(buckets for pattern, buckets in WHEN if pattern.search(text)))


def check_history(r: Reading, evidence: Evidence) -> Verdict | None:
    text = PAGE.sub(" ", r.masked)
    if text != r.masked and not evidence.page_product:
        return Verdict(False, "history", "speaks of a product on the page; there is none")
    counted = evidence.shoppers is not None or evidence.trend is not None
    if (match := POPULAR.search(text)) and not counted:
        return Verdict(False, "history", f"{match.group()!r} without a count of shoppers")
    if (match := TRENDING.search(text)) and not (evidence.trend and evidence.trend > 1):
        return Verdict(False, "history", f"{match.group()!r} without a trend")
    # Shoppers like this one bought it: a neighbour's evidence is a count and the history.
    neighbours = evidence.shoppers and any(link.action == "bought" for link in evidence.history)
    for pattern, relations in TOGETHER:
        match = pattern.search(text)
        supported = any(item.relation in relations for item in evidence.together)
        if match and not supported and not (len(relations) > 1 and neighbours):
            return Verdict(False, "history", f"{match.group()!r} without such shoppers")
    actions = claimed_actions(text)
    for action, when in actions:
        done = any(
            link.action == action and link.when in (when or ALL_WHEN) for link in evidence.history
        )
        if not done and not (action == "searched" and evidence.constraints):
            return Verdict(False, "history", f"the shopper has not {action} such a product")
    said = _when_buckets(text)
    kinds = {action for action, _ in actions}
    fits = {
        f"history:{i}"
        for i, link in enumerate(evidence.history)
        if link.when in (said or ALL_WHEN) and (not kinds or link.action in kinds)
    }
    window = counted and said & {"today", "this_week", "this_month"}
    if said and not fits and not window:
        return Verdict(
            False, "history", f"the shopper did nothing then ({', '.join(sorted(said))})"
        )
    # The shopper did it, and names a product: one of those they did it with.
    named = r.named() - {"product"}
    if kinds - {"searched"} and named and not fits & named:
        return Verdict(False, "history", f"names a product the shopper has not {'/'.join(kinds)}")
    return None
