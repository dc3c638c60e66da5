"""Text encoders: a small base class, the Transformer encoder and a fake one for fast tests."""

from .base import Encoder

__all__ = ["Encoder"]
