"""Item-to-item neighbours: cosine co-occurrence with shrinkage, and bought-together baskets."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp


def top_n_per_row(matrix: sp.csr_matrix, n: int) -> sp.csr_matrix:
    """Keep each row's n largest entries; the neighbour tables store only those."""
    matrix = matrix.tocsr()
    indptr, indices, data = [0], [], []
    for row in range(matrix.shape[0]):
        start, end = matrix.indptr[row], matrix.indptr[row + 1]
        values = matrix.data[start:end]
        columns = matrix.indices[start:end]
        if len(values) > n:
            keep = np.argpartition(-values, n)[:n]
            values, columns = values[keep], columns[keep]
        indices.extend(columns.tolist())
        data.extend(values.tolist())
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), np.asarray(indices), np.asarray(indptr)),
        shape=matrix.shape,
    )


def cosine_neighbours(matrix: sp.csr_matrix, *, shrink: float, top_n: int) -> sp.csr_matrix:
    """sim(i, j) = |U_i ∩ U_j| / (sqrt(|U_i| |U_j|) + shrink).

    Shrinkage damps pairs seen together only once or twice, which otherwise dominate.
    """
    binary = matrix.astype(np.float32)
    binary.data[:] = 1.0
    co = (binary.T @ binary).tocoo()
    keep = co.row != co.col
    rows, cols, counts = co.row[keep], co.col[keep], co.data[keep]
    support = np.asarray(binary.sum(axis=0)).ravel()
    scores = counts / (np.sqrt(support[rows] * support[cols]) + shrink)
    similarity = sp.csr_matrix((scores, (rows, cols)), shape=co.shape)
    return top_n_per_row(similarity, top_n)


def basket_matrix(baskets: list[list[int]], products: int) -> sp.csr_matrix:
    rows = [b for b, items in enumerate(baskets) for _ in items]
    cols = [i for items in baskets for i in items]
    matrix = sp.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(baskets), products)
    )
    matrix.data[:] = 1.0
    return matrix
