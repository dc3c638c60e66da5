"""Measure the reasons shoppers would see, and the verifier's accuracy on a labelled set."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.reasons.accuracy import labelled_set_load, verifier_accuracy
from recommendations.reasons.evaluation import reasons_evaluate
from recommendations.reasons.serve import LANGUAGES


class Command(BaseCommand):
    help = (
        "Generate reasons for sampled shoppers' lists with the configured generator (stored like "
        "the workers' own) and print: share of recommendations with a reason, share of generated "
        "reasons that passed the verifier (with failure causes), feature-matching ratio, "
        "distinct-sentence ratio per list and reasons per second; with --labelled, the "
        "verifier's accuracy on a labelled set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--shoppers", type=int, default=20)
        parser.add_argument("--limit", type=int, default=40, help="Reasons generated per language.")
        parser.add_argument("--language", action="append", choices=LANGUAGES, dest="languages")
        parser.add_argument("--labelled", type=Path, help="A labelled set (JSON) for the verifier.")
        parser.add_argument("--examples", type=int, default=10)
        parser.add_argument("--output", type=Path, help="Also save the figures as JSON.")

    def handle(self, *args, shoppers, limit, languages, labelled, examples, output, **options):
        if shoppers < 1 or limit < 0:
            raise CommandError("--shoppers must be at least 1 and --limit at least 0.")
        figures = {}
        if labelled is not None:
            try:
                items, vocabulary = labelled_set_load(labelled)
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise CommandError(f"{labelled}: cannot read a labelled set: {exc}") from None
            figures["verifier"] = verifier_accuracy(items, vocabulary)
            self._accuracy(figures["verifier"])
        reports = reasons_evaluate(shoppers=shoppers, languages=languages or list(LANGUAGES),
                                   limit=limit)  # fmt: skip
        figures["reasons"] = [report.as_dict() for report in reports]
        for report in reports:
            self._report(report, examples)
        if output:
            output.write_text(json.dumps(figures, indent=2, ensure_ascii=False, default=str))

    def _accuracy(self, found: dict) -> None:
        self.stdout.write(
            f"Verifier on the labelled set: rejected {found['rejected_false']:.1%} of the "
            f"planted falsehoods, accepted {found['accepted_true']:.1%} of the true reasons"
        )

    def _report(self, report, examples: int) -> None:
        figures = report.as_dict()
        speed = figures["reasons_per_second"]
        self.stdout.write(
            f"\n[{report.language}] {figures['recommendations']} recommendations\n"
            f"  with a reason         {figures['with_reason']:.1%}\n"
            f"  generated             {figures['generated']}, passed the verifier "
            f"{figures['passed_verifier']:.1%}; causes {figures['failure_causes'] or 'none'}\n"
            f"  feature-matching      {figures['feature_matching']:.1%}\n"
            f"  distinct sentences    {figures['distinct_sentences']:.1%} per list\n"
            f"  reasons per second    {f'{speed:.2f}' if speed else 'n/a (all cached)'}"
        )
        for text, source, evidence in report.examples[:examples]:
            self.stdout.write(f"  · {text}  [{source}; {evidence.signal}]")
