"""Writing and reading artifacts in the version tables: COPY out, plain SELECTs back."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from django.db import connection


def vector_text(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.6g}" for x in vector) + "]"


def rows_copy(table: str, columns: str, rows: Iterable[tuple]) -> None:
    """COPY is an order of magnitude faster than INSERTs for the millions of rows a model has."""
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def vectors_matrix(pairs: Iterable[tuple[object, object]], index: dict, rows: int) -> np.ndarray:
    """(key, vector) pairs as a rows × width array in `index` order; absent keys stay zero."""
    matrix = np.zeros((rows, 0), dtype=np.float32)
    for key, vector in pairs:
        if key not in index or vector is None:
            continue
        if matrix.shape[1] == 0:
            matrix = np.zeros((rows, len(vector)), dtype=np.float32)
        matrix[index[key]] = vector
    return matrix
