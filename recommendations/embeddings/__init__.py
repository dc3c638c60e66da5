"""Text encoders: a small base class, the Transformer encoder, a fake one for fast tests, and a
per-process memo of text vectors (`cache`)."""

from .base import Encoder

__all__ = ["Encoder"]
