"""Text vectors remembered per process: a shopper's searches and reviews are read again on every
update of their vector, and encoding them is the one step that takes the model's time."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from django.core.signals import setting_changed

from ..conf import app_settings
from ..factories import get_encoder

_vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
_lock = threading.Lock()


def text_vectors(texts: Iterable[str]) -> dict[str, np.ndarray]:
    """Each distinct text's vector; only texts not seen lately by this process are encoded, in
    one batch. Keyed by the encoder's name, which changes whenever its vectors would."""
    encoder = get_encoder()
    wanted = sorted(set(texts))
    found: dict[str, np.ndarray] = {}
    with _lock:
        for text in wanted:
            vector = _vectors.get((encoder.name, text))
            if vector is not None:
                _vectors.move_to_end((encoder.name, text))
                found[text] = vector
    missing = [text for text in wanted if text not in found]
    if missing:
        fresh = dict(zip(missing, encoder.encode(missing), strict=True))
        found.update(fresh)
        with _lock:
            for text, vector in fresh.items():
                _vectors[(encoder.name, text)] = vector
            while len(_vectors) > app_settings.TEXT_VECTOR_CACHE_SIZE:
                _vectors.popitem(last=False)
    return found


def text_vectors_forget(**kwargs) -> None:
    """Connected to `setting_changed`: another encoder's options may change its vectors."""
    with _lock:
        _vectors.clear()


setting_changed.connect(text_vectors_forget)
