"""How good the reasons are: coverage, the verifier's pass rate, specificity, variety, speed.

Run over the lists real shoppers would see (each sampled shopper's "for you" and the
products similar to their latest one), with the configured generator, in each language.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from .. import selectors
from ..models import Interaction, Reason
from .serve import reasons_attach
from .service import reasons_generate
from .verifier import names_a_fact
from .vocabulary import catalog_vocabulary


@dataclass
class ReasonsReport:
    language: str
    recommendations: int = 0
    with_reason: int = 0
    generated_tried: int = 0
    generated_passed: int = 0
    causes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    specific: int = 0
    distinct_lists: list[float] = field(default_factory=list)
    examples: list[tuple[str, str, list[str]]] = field(default_factory=list)

    def as_dict(self) -> dict:
        shown = max(self.recommendations, 1)
        return {
            "language": self.language,
            "recommendations": self.recommendations,
            "with_reason": self.with_reason / shown,
            "generated": self.generated_tried,
            "passed_verifier": self.generated_passed / max(self.generated_tried, 1),
            "failure_causes": dict(self.causes),
            "feature_matching": self.specific / shown,
            "distinct_sentences": (
                sum(self.distinct_lists) / len(self.distinct_lists) if self.distinct_lists else 0.0
            ),
            "reasons_per_second": self.generated_tried / self.seconds if self.seconds else None,
        }


def reasons_evaluate(
    *, shoppers: int, languages: list[str], limit: int, k: int = 10
) -> list[ReasonsReport]:
    """Generates what is missing for up to `limit` distinct evidences per language, then reads
    every list as a shopper would see it (generated where it passed, template otherwise)."""
    lists = _lists(shoppers, k)
    vocabulary = catalog_vocabulary()
    reports = []
    for language in languages:
        report = ReasonsReport(language=language)
        evidence = list({r.evidence.digest(): r.evidence for rs in lists for r in rs}.values())
        started = time.monotonic()
        rows = reasons_generate(evidence[:limit], language=language)
        report.seconds = time.monotonic() - started
        tried = [row for row in rows if row.verdict != Reason.Verdict.ERROR]
        report.generated_tried = len(tried)
        report.generated_passed = sum(row.verdict == Reason.Verdict.PASSED for row in tried)
        report.causes = Counter(row.cause for row in tried if row.cause)
        for results in lists:
            reasons_attach(results, language=language)
            texts = [r.reason for r in results if r.reason]
            report.recommendations += len(results)
            report.with_reason += len(texts)
            report.specific += sum(
                names_a_fact(r.reason, r.evidence, language=language, vocabulary=vocabulary)
                for r in results
                if r.reason
            )
            if texts:
                report.distinct_lists.append(len(set(texts)) / len(texts))
            report.examples += [
                (r.reason, r.reason_source, r.evidence) for r in results if r.reason
            ][:2]
        reports.append(report)
    return reports


def _lists(shoppers: int, k: int) -> list[list]:
    keys = list(
        Interaction.objects.filter(product__isnull=False)
        .values_list("shopper", flat=True)
        .distinct()
        .order_by("shopper")[:shoppers]
    )
    lists = []
    for key in keys:
        lists.append(selectors.recommend("for_you", shopper=key, k=k))
        last = (
            Interaction.objects.filter(shopper=key, product__isnull=False)
            .order_by("-created_at")
            .values_list("product_id", flat=True)
            .first()
        )
        lists.append(selectors.recommend("similar", product_id=last, shopper=key, k=k))
    return [[r for r in results if r.evidence is not None] for results in lists if results]
