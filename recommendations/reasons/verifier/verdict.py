"""The verifier's answer: passed, or failed with a short stable cause."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """`cause` is a short stable code, recorded and counted: "empty", "length", "language",
    "number", "product", "brand", "category", "attribute", "history" or "claim"."""

    passed: bool
    cause: str | None = None
    detail: str = ""


PASSED = Verdict(True)
