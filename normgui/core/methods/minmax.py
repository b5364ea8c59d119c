"""Min–max scaling: each feature mapped linearly onto the feature range
(scikit-learn's MinMaxScaler: a zero range is taken as 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units, near_zero, scale_or_one
from normgui.core.methods.extremes import extreme_weight
from normgui.core.types import FloatArray


def check_range(feature_range: tuple[float, float]) -> tuple[float, float]:
    low, high = (float(v) for v in feature_range)
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        raise ValueError(
            f"the feature range must go from a smaller to a larger number, not ({low}, {high})"
        )
    return low, high


def statistics(
    x: FloatArray, *, feature_range: tuple[float, float] = (0.0, 1.0), **_: object
) -> Stats:
    low, high = check_range(feature_range)
    u, s = guarded(x)
    data_min = u.min(axis=0, keepdims=True)
    data_max = u.max(axis=0, keepdims=True)
    span = data_max - data_min
    zero = near_zero(span)
    # x̂ = lo + (x − min)·(hi − lo)/(max − min) is (x − shift)/scale with:
    scale = scale_or_one(span, zero) / (high - low)
    named = {
        "min": in_units(data_min, s),
        "max": in_units(data_max, s),
        "low": np.full((1, 1), low),
        "high": np.full((1, 1), high),
    }
    return Stats(data_min - low * scale, scale, named, zero, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    u = x / stats.unit
    data_min, data_max = stats.named["min"] / stats.unit, stats.named["max"] / stats.unit
    k = 1.0 / stats.scale
    span01 = (u - data_min) * k / (stats.named["high"] - stats.named["low"])  # in [0, 1]
    # x̂ moves with x directly, and through the minimum and the maximum it may be.
    through_min = np.sum(grad * k * (span01 - 1.0), axis=0, keepdims=True)
    through_max = -np.sum(grad * k * span01, axis=0, keepdims=True)
    out = (
        grad * k
        + extreme_weight(u, data_min) * through_min
        + extreme_weight(u, data_max) * through_max
    )
    # A constant feature has no slope: any move gives it a range, which jumps x̂ to an end.
    return np.where(stats.fired, 0.0, out) / stats.unit


METHOD = Method(
    key="minmax",
    label="Min–max scaling",
    description="Each feature is mapped linearly onto the feature range (scikit-learn's "
    "MinMaxScaler).",
    formula="y = γ·(lo + (x − min)·(hi − lo)/(max − min)) + β",
    params=("gamma", "beta", "feature_range"),
    statistics_over="column",
    default_eps=None,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
)
