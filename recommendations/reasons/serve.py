"""Reasons in the request path: the cached sentence or the template one, never a model.

A list's reasons are read in one query, and kept in the process until one changes. What is not
cached yet is shown with its template reason and queued for a worker, once per evidence and
language however many pages ask.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.core.cache import cache
from django.db.models.signals import post_save
from django.utils import translation

from ..models import Reason
from ..process_cache import ProcessCache
from .evidence import Evidence
from .words import template_sentences

logger = logging.getLogger(__name__)

# Seconds during which an evidence queued for generation is not queued again.
QUEUED_SECONDS = 600
LANGUAGES = ("en", "zh-hans")
# Reasons each process keeps (about 200 bytes each).
REASONS_KEPT = 20_000


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
    keys = [(language, r.product.pk, d) for r, d in zip(explained, digests, strict=True)]
    stored = _stored.get_many(keys)
    used: set[str] = set()
    unasked = []
    for recommendation, digest, key in zip(explained, digests, keys, strict=True):
        verdict, text = stored[key]
        if verdict == Reason.Verdict.PASSED and text not in used:
            recommendation.reason, recommendation.reason_source = text, "generated"
        else:
            sentences = _template_sentences(recommendation.evidence, language, digest)
            fresh = [s for s in sentences if s not in used] or sentences or [""]
            recommendation.reason = fresh[0]
            recommendation.reason_source = "template" if fresh[0] else ""
        used.add(recommendation.reason)
        if not verdict:
            unasked.append((digest, recommendation.evidence))
    if unasked and enqueue is not None:
        missing = _first_asks(unasked, language)
        if missing:
            enqueue(missing, language)


def _template_sentences(evidence: Evidence, language: str, digest: str) -> tuple[str, ...]:
    """A popular product's card reads the same on every page: its template sentences, a pure
    function of the evidence and the language, are written once per process (they were nearly
    half of what reasons cost a list) and kept like the stored reasons, the oldest making room."""
    key = (language, digest)
    sentences = _templates.get(key)
    if sentences is None:
        sentences = tuple(template_sentences(evidence, language))
        with _templates_lock:
            _templates[key] = sentences
            while len(_templates) > REASONS_KEPT:
                del _templates[next(iter(_templates))]
    return sentences


_templates: dict[tuple[str, str], tuple[str, ...]] = {}
_templates_lock = threading.Lock()


def _stored_read(keys: list[tuple[str, int, str]]) -> dict[tuple[str, int, str], tuple[str, str]]:
    """(verdict, text) per (language, product, digest); ("", "") where none is stored."""
    rows = Reason.objects.filter(
        language__in={language for language, _, _ in keys},
        product_id__in={pk for _, pk, _ in keys},
        evidence_digest__in={digest for _, _, digest in keys},
    ).values_list("language", "product_id", "evidence_digest", "verdict", "text")
    found = {(lang, pk, digest): (verdict, text) for lang, pk, digest, verdict, text in rows}
    return {key: found.get(key, ("", "")) for key in keys}


# The reasons of a popular product's lists are asked for on every visit: each process keeps
# what it read, the absent ones too, until a reason is stored, rejected or deleted anywhere
# (`reasons_changed`), and at most PROCESS_CACHE_SECONDS.
_stored: ProcessCache[tuple[str, str]] = ProcessCache(
    "reasons", read_many=_stored_read, max_entries=REASONS_KEPT
)


def reasons_changed(**kwargs: object) -> None:
    """Every process reads reasons afresh. A receiver of single saves; bulk writes send no
    signal and call it themselves."""
    _stored.changed()


post_save.connect(reasons_changed, sender=Reason, dispatch_uid="reason-saved")


def _first_asks(unasked: list[tuple[str, Evidence]], language: str) -> list[Evidence]:
    """The evidence not queued already, marked as queued: two cache round trips for a whole list
    at most, one once all are queued. Two pages asking at the same moment may both queue one;
    the worker stores a reason once. With the cache down, everything is asked again."""
    keys = {f"recommendations:reason:{language}:{digest}": evidence for digest, evidence in unasked}
    try:
        queued = cache.get_many(list(keys))
        fresh = {key: 1 for key in keys if key not in queued}
        if fresh:
            cache.set_many(fresh, QUEUED_SECONDS)
    except Exception:
        logger.warning("Reasons: cache unavailable, queueing without deduplication")
        return list(keys.values())
    return [keys[key] for key in fresh]
