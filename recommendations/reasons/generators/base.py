"""The generator contract: evidence in, candidate sentences out, never in a request."""

from __future__ import annotations

from abc import ABC, abstractmethod

from ..evidence import Evidence


class GenerationError(Exception):
    """The model or endpoint failed, timed out or answered junk: the template reason serves."""


class ReasonGenerator(ABC):
    """Named by dotted path in ``RECOMMENDATIONS["REASONS"]["GENERATOR"]``; built once per
    process (a local model loads for tens of seconds)."""

    # Recorded with every reason, so the admin and the metrics tell generators apart.
    name: str = ""

    @abstractmethod
    def generate(self, items: list[Evidence], *, language: str) -> list[list[str]]:
        """For each evidence, candidate reasons best first (the first that passes the verifier
        is kept); raises GenerationError when nothing usable came back."""
