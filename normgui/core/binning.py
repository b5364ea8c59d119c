"""Histograms over evenly spaced bins, from the values or from their sorted copy.

Counting from a sorted copy answers "how many of γ·x̂ + β fall below t?" with one binary search,
whatever γ and β are, so the histograms and regime fractions of a million values cost the same
as those of a thousand once x̂ is sorted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from normgui.core.types import FloatArray

_LIMIT = float(np.finfo(np.float64).max)


@dataclass(frozen=True, eq=False)
class Histogram:
    """Counts over bins: edges has one more entry than counts."""

    edges: FloatArray
    counts: NDArray[np.int64]


def even_edges(lo: float, hi: float, bins: int) -> FloatArray:
    """`bins` + 1 evenly spaced edges from lo to hi (widened around a single value)."""
    lo, hi = float(lo), float(hi)  # Python floats: lo - pad past the limit is -inf, no warning
    if not hi > lo:
        pad = max(0.5, abs(lo) * 1e-9)
        lo, hi = max(lo - pad, -_LIMIT), min(hi + pad, _LIMIT)
    # lo·(1 − t) + hi·t, unlike lo + (hi − lo)·t, cannot overflow for values near ±1e308.
    t = np.linspace(0.0, 1.0, bins + 1)
    return lo * (1.0 - t) + hi * t


def histogram(x: FloatArray, edges: FloatArray) -> Histogram:
    """Counts of `x` over evenly spaced `edges`; values outside fall in the end bins.

    One multiply and a bincount: np.histogram with an array of edges sorts the data instead.
    """
    bins = edges.size - 1
    lo, hi = float(edges[0]), float(edges[-1])
    values = x.ravel()
    with np.errstate(over="ignore", divide="ignore"):
        width = hi - lo
        scale = bins / width
    # Values far outside the edges may overflow to ±inf here: they still land in the end bins.
    with np.errstate(over="ignore"):
        if np.isfinite(width) and np.isfinite(scale):
            index = (values - lo) * scale
        elif np.isfinite(width):  # a range of subnormal width: bins / width overflows
            index = (values - lo) / width * bins
        else:  # a range wider than the float limit: work in halves, which cannot overflow
            index = (values * 0.5 - lo * 0.5) * (bins / (hi * 0.5 - lo * 0.5))
    np.clip(index, 0, bins - 1, out=index)
    counts = np.bincount(index.astype(np.intp), minlength=bins)
    return Histogram(edges, counts.astype(np.int64))


@dataclass(frozen=True)
class SortedAffine:
    """γ·x̂ + β for a scalar γ and β, counted through the sorted x̂ without forming it."""

    xhat_sorted: FloatArray
    gamma: float
    beta: float

    @property
    def size(self) -> int:
        return int(self.xhat_sorted.size)

    @property
    def bounds(self) -> tuple[float, float]:
        """The smallest and largest value of γ·x̂ + β (±inf past the float range, as the formed
        values are: the pipeline says so rather than a warning escaping)."""
        with np.errstate(over="ignore", invalid="ignore"):
            ends = self.gamma * self.xhat_sorted[[0, -1]] + self.beta
        return float(ends.min()), float(ends.max())

    def count_below(self, t: FloatArray, inclusive: bool = False) -> NDArray[np.intp]:
        """How many values are < t (≤ t with inclusive), for each threshold in t."""
        t = np.asarray(t, dtype=np.float64)
        n = self.size
        if self.gamma == 0.0:
            hit = (self.beta <= t) if inclusive else (self.beta < t)
            return np.where(hit, n, 0).astype(np.intp)
        # The x̂ that maps onto each threshold; for a γ near 1e-308 it passes the float range and
        # is ±inf, which still counts right (every x̂ is then below it, or above it).
        with np.errstate(over="ignore"):
            u = (t - self.beta) / self.gamma
        if self.gamma > 0:
            at = np.searchsorted(self.xhat_sorted, u, side="right" if inclusive else "left")
            return np.asarray(at, dtype=np.intp)
        # γ < 0 reverses the order: y < t  ⟺  x̂ > u
        at = np.searchsorted(self.xhat_sorted, u, side="left" if inclusive else "right")
        return np.asarray(n - at, dtype=np.intp)

    def histogram(self, edges: FloatArray) -> Histogram:
        """The same counts `histogram(γ·x̂ + β, edges)` gives, with end bins taking the rest."""
        inner = self.count_below(edges[1:-1])
        cumulative = np.concatenate([[0], inner, [self.size]])
        return Histogram(edges, np.diff(cumulative).astype(np.int64))

    def mean_of(self, f: object, bins: int = 4096) -> float:
        """The mean of f(γ·x̂ + β) by the midpoint rule over `bins` fine bins of exact counts.

        For a smooth f such as σ′ the error is far below the three digits shown.
        """
        assert callable(f)
        lo, hi = self.bounds
        if not hi > lo:
            return float(np.asarray(f(np.array([lo])))[0])
        hist = self.histogram(np.linspace(lo, hi, bins + 1))
        centres = 0.5 * (hist.edges[:-1] + hist.edges[1:])
        values = np.asarray(f(centres), dtype=np.float64)
        return float(np.dot(hist.counts, values) / self.size)
