"""Max-abs scaling: each feature divided by its largest absolute value
(scikit-learn's MaxAbsScaler: an all-zero feature is divided by 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units, near_zero, scale_or_one
from normgui.core.methods.extremes import extreme_weight
from normgui.core.types import FloatArray


def statistics(x: FloatArray, **_: object) -> Stats:
    u, s = guarded(x)
    peak = np.max(np.abs(u), axis=0, keepdims=True)
    zero = near_zero(peak)
    named = {"maxabs": in_units(peak, s)}
    return Stats(np.zeros((1, 1), dtype=x.dtype), scale_or_one(peak, zero), named, zero, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # x̂ = x/P with P = max|x|: the value at the peak moves P by its sign.
    u = x / stats.unit
    xhat = stats.normalize(x)
    mags = np.abs(u)
    through_peak = np.sum(grad * xhat, axis=0, keepdims=True)
    out = (grad - extreme_weight(mags, stats.scale) * np.sign(u) * through_peak) / stats.scale
    # An all-zero feature has no slope: any move makes it the peak, and x̂ jumps to ±1.
    return np.where(stats.fired, 0.0, out) / stats.unit


METHOD = Method(
    key="maxabs",
    label="Max-abs scaling",
    description="Each feature is divided by its largest absolute value (scikit-learn's "
    "MaxAbsScaler).",
    formula="y = γ·x / max|x_col| + β",
    params=("gamma", "beta"),
    statistics_over="column",
    default_eps=None,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
)
