"""Min–max scaling: each feature mapped linearly onto the feature range
(scikit-learn's MinMaxScaler: a zero range is taken as 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num, result, short
from normgui.core.methods.base import (
    SHIFTED_ONLY,
    Method,
    Stats,
    guarded,
    in_units,
    near_zero,
    scale_or_one,
)
from normgui.core.methods.extremes import TIE_NOTE, extreme_weight
from normgui.core.methods.words import SlopeView, Steps, minus
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


def explain(steps: Steps) -> None:
    j = steps.j
    steps.column_line()
    lo, hi = steps.stat("low"), steps.stat("high")
    low, high = steps.stat("min"), steps.stat("max")
    steps.add("min", "min over the batch", f"min = {num(low)}", low)
    steps.add("max", "max over the batch", f"max = {num(high)}", high)
    span = high - low
    if steps.fired():
        steps.notes.append("The feature is constant: scikit-learn divides by 1 instead of 0.")
        span = 1.0
    steps.add(
        "xhat",
        f"x̂{j} = lo + (x{j} − min)·(hi − lo)/(max − min)",
        f"x̂{j} = {num(lo)} + ({minus(steps.xj, low)})·({minus(hi, lo)})/{num(span)} = "
        f"{result(steps.xhat)}",
        steps.xhat,
    )


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    low, high = view.at(view.stats.named["low"]), view.at(view.stats.named["high"])
    column = view.data[:, view.feature]
    x = column[view.row]
    span = view.at(view.stats.named["max"]) - view.at(view.stats.named["min"])
    notes = []
    ends = (x == column.min(), x == column.max())
    if any(e and np.count_nonzero(column == x) > 1 for e in ends) and not view.fired():
        notes.append(TIE_NOTE)
    if np.any(view.stats.fired):
        notes.append("A feature is constant: min–max has no slope there (shown as 0).")
    if not view.fired() and any(ends):
        notes.append(
            f"x is the {'largest' if ends[1] else 'smallest'} value of {view.label}: min–max "
            f"pins it at {short(high if ends[1] else low)}, and moving it moves the others instead."
        )
    how = (
        f"min–max divides {view.label} by its range max − min = {short(span)} "
        f"and multiplies by hi − lo = {short(high - low)}"
    )
    return how, notes


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
    fired_words="a constant column",
    fired_note=SHIFTED_ONLY,
    inverse_note=(
        "γ = (max − min)/(hi − lo) and β = min − lo·γ per feature: γ·x̂ + β gives back the input"
    ),
    explain=explain,
    slope_words=slope_words,
)
