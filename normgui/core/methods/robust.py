"""Robust scaling: each feature centred on its median and divided by its interquartile range
(scikit-learn's RobustScaler: numpy's linear percentiles, a zero range taken as 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units, near_zero, scale_or_one
from normgui.core.methods.extremes import percentile_slope, tie_ranks
from normgui.core.types import FloatArray


def statistics(x: FloatArray, **_: object) -> Stats:
    u, s = guarded(x)
    q25, median, q75 = np.percentile(u, [25.0, 50.0, 75.0], axis=0, keepdims=True)
    iqr = q75 - q25
    zero = near_zero(iqr)
    named = {"q25": in_units(q25, s), "median": in_units(median, s), "q75": in_units(q75, s)}
    return Stats(median, scale_or_one(iqr, zero), named, zero, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # x̂ᵢ = (xᵢ − median)/IQR: x moves x̂ directly, the median by ∂median/∂x and, unless the IQR
    # was 0 (taken as 1), the IQR by ∂Q₇₅/∂x − ∂Q₂₅/∂x.
    u = x / stats.unit
    n = u.shape[0]
    first, last = tie_ranks(u)
    w25, w50, w75 = (percentile_slope(n, p, first, last) for p in (25.0, 50.0, 75.0))
    xhat = stats.normalize(x)
    through_median = np.sum(grad, axis=0, keepdims=True) * w50
    through_iqr = np.where(stats.fired, 0.0, np.sum(grad * xhat, axis=0, keepdims=True))
    return (grad - through_median - through_iqr * (w75 - w25)) / stats.scale / stats.unit


METHOD = Method(
    key="robust",
    label="Robust scaling",
    description="Each feature is centred on its median and divided by its interquartile "
    "range, so outliers matter less (scikit-learn's RobustScaler).",
    formula="y = γ·(x − median) / (Q₇₅ − Q₂₅) + β",
    params=("gamma", "beta"),
    statistics_over="column",
    default_eps=None,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
)
