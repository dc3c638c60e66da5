"""Reasons in workers: generate in batches, verify each candidate, store the verdict.

Safe to run twice: what is stored already (under any verdict) is skipped, and rows are
inserted with ON CONFLICT DO NOTHING.
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models import QuerySet

from ..conf import app_settings
from ..factories import get_reason_generator
from ..models import Reason
from .evidence import Evidence
from .generators.base import GenerationError
from .serve import reason_language, reasons_changed
from .verifier import verify
from .vocabulary import catalog_vocabulary

logger = logging.getLogger(__name__)


def reasons_generate(items: list[Evidence], *, language: str) -> list[Reason]:
    """Generate, verify and store reasons for evidence that has none yet; returns the rows."""
    language = reason_language(language)
    items = _not_stored(items, language)
    generator = get_reason_generator()
    if not items or generator.name == "template":
        return []
    size = app_settings.REASONS["batch_size"]
    rows: list[Reason] = []
    for start in range(0, len(items), size):
        rows += _batch_generate(generator, items[start : start + size], language)
    with transaction.atomic():
        Reason.objects.bulk_create(rows, ignore_conflicts=True)
    reasons_changed()
    return rows


def _not_stored(items: list[Evidence], language: str) -> list[Evidence]:
    unique = {(e.product.id, e.digest()): e for e in items}
    stored = set(
        Reason.objects.filter(
            language=language,
            product_id__in={pk for pk, _ in unique},
            evidence_digest__in={digest for _, digest in unique},
        ).values_list("product_id", "evidence_digest")
    )
    return [e for key, e in unique.items() if key not in stored]


def _batch_generate(generator, items: list[Evidence], language: str) -> list[Reason]:
    started = time.monotonic()
    try:
        candidates = generator.generate(items, language=language)
        if len(candidates) != len(items):
            raise GenerationError(f"{len(candidates)} answers for {len(items)} reasons")
    except GenerationError as exc:
        logger.warning(
            "Reasons: generator %r failed, template reasons serve: %s", generator.name, exc
        )
        return [
            _row(e, language, generator.name, Reason.Verdict.ERROR, cause="generator",
                 detail=str(exc)[:500])
            for e in items
        ]  # fmt: skip
    seconds = (time.monotonic() - started) / len(items)
    vocabulary = catalog_vocabulary()
    reasons = app_settings.REASONS
    rows = []
    for evidence, sentences in zip(items, candidates, strict=True):
        verdicts = []
        for sentence in sentences:
            verdict = verify(
                sentence, evidence, language=language, vocabulary=vocabulary,
                max_words=reasons["max_words"], max_chars=reasons["max_chars"],
            )  # fmt: skip
            verdicts.append((sentence, verdict))
            if verdict.passed:
                break
        text, verdict = verdicts[-1] if verdicts else ("", None)
        if verdict is not None and verdict.passed:
            row = _row(evidence, language, generator.name, Reason.Verdict.PASSED, text=text)
        else:
            # The first candidate is the model's best guess: its failure is the one to study.
            text, verdict = verdicts[0] if verdicts else ("", None)
            row = _row(
                evidence, language, generator.name, Reason.Verdict.FAILED, text=text,
                cause=verdict.cause if verdict else "empty",
                detail=verdict.detail if verdict else "no candidate",
            )  # fmt: skip
        row.candidates_tried, row.seconds = len(verdicts), seconds
        rows.append(row)
    return rows


def _row(
    evidence: Evidence, language: str, generator: str, verdict: str, *, text: str = "",
    cause: str = "", detail: str = "",
) -> Reason:  # fmt: skip
    return Reason(
        product_id=evidence.product.id,
        language=language,
        evidence_digest=evidence.digest(),
        evidence=evidence.as_dict(),
        text=text,
        generator=generator,
        verdict=verdict,
        cause=cause,
        detail=detail,
    )


def reasons_reject(reasons: QuerySet[Reason]) -> int:
    """Staff refused them: the template reason serves for these facts from now on (the row
    stays, so the same sentence is not generated again)."""
    rejected = reasons.update(verdict=Reason.Verdict.REJECTED)
    reasons_changed()
    return rejected
