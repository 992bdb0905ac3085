"""Postings in CSR form: a term's entries as one sorted slice of a flat array."""

from __future__ import annotations

from array import array

import numpy as np


def holds(rows: np.ndarray, row: int) -> bool:
    """Whether the sorted postings ``rows`` hold ``row`` (binary search)."""
    k = int(np.searchsorted(rows, row))
    return k < len(rows) and int(rows[k]) == row


def csr(keys: array[int], n: int) -> tuple[np.ndarray, np.ndarray]:
    """Row pointers of `n` rows and the order that groups `keys` by row (stable: rows keep
    their insertion order, i.e. ascending entry and field ids)."""
    k = np.frombuffer(keys, dtype=np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(k, minlength=n), out=ptr[1:])
    return ptr, np.argsort(k, kind="stable")
