"""Slopes through an order statistic (a minimum, a maximum, a quantile) at ties.

Where one value is the feature's extreme it moves the extreme with it; where several share it,
moving one of them outwards makes it the extreme (slope 1) and moving it inwards leaves the
extreme to the others (slope 0). The slope given is the average, 1/2: what a central difference
measures.
"""

from __future__ import annotations

import numpy as np

from normgui.core.types import FloatArray

TIE_NOTE = (
    "x ties with another sample at the feature's extreme or quantile: the slope differs up and "
    "down; the average is shown."
)


def extreme_weight(values: FloatArray, extreme: FloatArray) -> FloatArray:
    """∂extreme/∂value for each value of each column: 1 for the only one at the extreme, 1/2
    for each of several tied there, 0 for the others."""
    at = values == extreme
    tied = np.sum(at, axis=0, keepdims=True) > 1
    return np.where(at, np.where(tied, 0.5, 1.0), 0.0)


def tie_ranks(u: FloatArray) -> tuple[np.ndarray, np.ndarray]:
    """For every value, the lowest and highest rank among the values equal to it in its column:
    the rank it takes moving down and moving up."""
    ordered = np.sort(u, axis=0)
    first = np.empty(u.shape, dtype=np.intp)
    last = np.empty(u.shape, dtype=np.intp)
    for c in range(u.shape[1]):
        first[:, c] = np.searchsorted(ordered[:, c], u[:, c], side="left")
        last[:, c] = np.searchsorted(ordered[:, c], u[:, c], side="right") - 1
    return first, last


def percentile_weight(n: int, p: float, rank: np.ndarray) -> FloatArray:
    """∂(p-th percentile, linear interpolation as numpy's default)/∂(the value of this rank)."""
    pos = p / 100.0 * (n - 1)
    below = int(np.floor(pos))
    frac = pos - below
    return np.where(rank == below, 1.0 - frac, 0.0) + np.where(rank == below + 1, frac, 0.0)


def percentile_slope(n: int, p: float, first: np.ndarray, last: np.ndarray) -> FloatArray:
    """∂(p-th percentile)/∂value, the average of moving it up (rank `last`) and down (`first`)."""
    return 0.5 * (percentile_weight(n, p, first) + percentile_weight(n, p, last))
