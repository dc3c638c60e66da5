"""Reasons in the request path: the cached sentence or the template one, never a model.

A list's reasons are read in one query. What is not cached yet is shown with its template
reason and queued for a worker, once per evidence and language however many pages ask.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.utils import translation

from ..models import Reason
from .words import template_sentences

logger = logging.getLogger(__name__)

# Seconds during which an evidence queued for generation is not queued again.
QUEUED_SECONDS = 600
LANGUAGES = ("en", "zh-hans")


def reason_language(code: str | None = None) -> str:
    """The active Django language as a reason language: Chinese variants read Simplified."""
    code = (code or translation.get_language() or "en").lower()
    return "zh-hans" if code.startswith("zh") else "en"


def reasons_attach(
    recommendations: list, *, language: str | None = None,
    enqueue: Callable[[list, str], None] | None = None,
) -> None:  # fmt: skip
    """Each recommendation's reason: generated if one passed, else the first template sentence
    not already under another card of the list. `enqueue` receives what has no cached reason
    yet (none for the template generator, whose sentences are these)."""
    language = reason_language(language)
    explained = [r for r in recommendations if r.evidence is not None]
    if not explained:
        return
    digests = [r.evidence.digest() for r in explained]
    stored = {
        (pk, digest): (verdict, text)
        for pk, digest, verdict, text in Reason.objects.filter(
            language=language,
            product_id__in={r.product.pk for r in explained},
            evidence_digest__in=set(digests),
        ).values_list("product_id", "evidence_digest", "verdict", "text")
    }
    used: set[str] = set()
    missing = []
    for recommendation, digest in zip(explained, digests, strict=True):
        verdict, text = stored.get((recommendation.product.pk, digest), ("", ""))
        if verdict == Reason.Verdict.PASSED and text not in used:
            recommendation.reason, recommendation.reason_source = text, "generated"
        else:
            sentences = template_sentences(recommendation.evidence, language)
            fresh = [s for s in sentences if s not in used] or sentences or [""]
            recommendation.reason = fresh[0]
            recommendation.reason_source = "template" if fresh[0] else ""
        used.add(recommendation.reason)
        if not verdict and _first_ask(digest, language):
            missing.append(recommendation.evidence)
    if missing and enqueue is not None:
        enqueue(missing, language)


def _first_ask(digest: str, language: str) -> bool:
    """Whether this evidence is not queued already; with the cache down, it is asked again."""
    try:
        return cache.add(f"recommendations:reason:{language}:{digest}", 1, QUEUED_SECONDS)
    except Exception:
        logger.warning("Reasons: cache unavailable, queueing without deduplication")
        return True
