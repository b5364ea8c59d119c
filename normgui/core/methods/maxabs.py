"""Max-abs scaling: each feature divided by its largest absolute value
(scikit-learn's MaxAbsScaler: an all-zero feature is divided by 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num, result, short
from normgui.core.methods.base import Method, Stats, guarded, in_units, near_zero, scale_or_one
from normgui.core.methods.extremes import TIE_NOTE, extreme_weight
from normgui.core.methods.words import SlopeView, Steps
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


def explain(steps: Steps) -> None:
    j = steps.j
    steps.column_line()
    peak = steps.stat("maxabs")
    steps.add("maxabs", "max |x| over the batch", f"max|x| = {num(peak)}", peak)
    if steps.fired():
        steps.notes.append("The feature is all zeros: scikit-learn divides by 1 instead of 0.")
        peak = 1.0
    text = f"x̂{j} = {num(steps.xj)}/{num(peak)} = {result(steps.xhat)}"
    steps.add("xhat", f"x̂{j} = x{j}/max|x|", text, steps.xhat)


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    mags = np.abs(view.data[:, view.feature])
    peak = view.at(view.stats.named["maxabs"])
    at_peak = mags[view.row] == mags.max()
    notes = []
    if at_peak and np.count_nonzero(mags == mags.max()) > 1 and not view.fired():
        notes.append(TIE_NOTE)
    if np.any(view.stats.fired):
        notes.append("A feature is all zeros: max-abs has no slope there (shown as 0).")
    if at_peak and not view.fired():
        notes.append(f"|x| is the largest of {view.label}: max-abs pins x̂ at ±1 there.")
    return f"max-abs divides {view.label} by its largest |x| = {short(peak)}", notes


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
    fired_words="an all-zero column",
    fired_note="it is left as it is (a scale of 1, as scikit-learn does)",
    inverse_note="γ = max |x| of each feature: γ·x̂ gives back the input",
    explain=explain,
    slope_words=slope_words,
)
