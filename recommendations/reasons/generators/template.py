"""The deterministic generator: the evidence's most specific template sentence."""

from __future__ import annotations

from ..evidence import Evidence
from ..words import template_sentences
from .base import ReasonGenerator


class TemplateGenerator(ReasonGenerator):
    """Needs no model; the same sentences serve as every other generator's fallback."""

    name = "template"

    def generate(self, items: list[Evidence], *, language: str) -> list[list[str]]:
        return [template_sentences(evidence, language) for evidence in items]
