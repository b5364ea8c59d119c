"""Robust scaling: each feature centred on its median and divided by its interquartile range
(scikit-learn's RobustScaler: numpy's linear percentiles, a zero range taken as 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num, result, short
from normgui.core.methods.base import Method, Stats, guarded, in_units, near_zero, scale_or_one
from normgui.core.methods.extremes import (
    TIE_NOTE,
    percentile_slope,
    percentile_weight,
    tie_ranks,
)
from normgui.core.methods.words import SlopeView, Steps, minus
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


def explain(steps: Steps) -> None:
    j = steps.j
    steps.column_line()
    q25, med, q75 = steps.stat("q25"), steps.stat("median"), steps.stat("q75")
    steps.add("median", "the median Q₅₀", f"median = {num(med)}", med)
    steps.add("q25", "the first quartile Q₂₅", f"Q₂₅ = {num(q25)}", q25)
    steps.add("q75", "the third quartile Q₇₅", f"Q₇₅ = {num(q75)}", q75)
    iqr = q75 - q25
    steps.add("iqr", "IQR = Q₇₅ − Q₂₅", f"IQR = {minus(q75, q25)} = {num(iqr)}", iqr)
    if steps.fired():
        steps.notes.append("The interquartile range is 0: scikit-learn divides by 1 instead.")
        iqr = 1.0
    steps.add(
        "xhat",
        f"x̂{j} = (x{j} − median)/IQR",
        f"x̂{j} = ({minus(steps.xj, med)})/{num(iqr)} = {result(steps.xhat)}",
        steps.xhat,
    )


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    column = view.data[:, view.feature : view.feature + 1]
    first, last = tie_ranks(column)
    n, r = view.n, view.row
    notes = []
    if any(
        percentile_weight(n, p, first[r])[0] != percentile_weight(n, p, last[r])[0]
        for p in (25.0, 50.0, 75.0)
    ):
        notes.append(TIE_NOTE)
    if np.any(view.stats.fired):
        notes.append("An interquartile range is 0: scikit-learn divides by 1 there.")
    iqr = view.at(view.stats.named["q75"]) - view.at(view.stats.named["q25"])
    how = (
        f"robust scaling divides {view.label} by its interquartile range Q₇₅ − Q₂₅ = "
        f"{short(iqr)}; moving a quartile or the median moves it too"
    )
    return how, notes


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
    fired_words="a column with no interquartile range",
    fired_note=(
        "its spread between the quartiles is 0, so it is only shifted, not scaled (a scale of 1, "
        "as scikit-learn does)"
    ),
    inverse_note=(
        "γ = interquartile range and β = median of each feature: γ·x̂ + β gives back the input"
    ),
    explain=explain,
    slope_words=slope_words,
)
