"""Reasons: evidence from the ranking, sentences from a generator, a verifier between them."""
