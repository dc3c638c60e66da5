"""Latent factors by alternating least squares (`implicit`), for shoppers with enough history."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits


def als_factors(
    matrix: sp.csr_matrix, *, factors: int, iterations: int, regularization: float, alpha: float,
    threads: int, seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """(shopper factors, product factors). BLAS stays single-threaded: implicit parallelises."""
    from implicit.cpu.als import AlternatingLeastSquares

    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=factors,
            iterations=iterations,
            regularization=regularization,
            alpha=alpha,
            random_state=seed,
            num_threads=threads,
        )
        model.fit(matrix.astype(np.float32), show_progress=False)
    return np.asarray(model.user_factors), np.asarray(model.item_factors)
