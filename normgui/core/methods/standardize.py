"""Standardization: each feature to mean 0 and standard deviation 1 over the data
(scikit-learn's StandardScaler: population std, a constant column divided by 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num, result
from normgui.core.methods.base import SHIFTED_ONLY, Method, Stats, guarded, in_units, scale_or_one
from normgui.core.methods.moments import centred_vjp, column_slope_words, mean_var
from normgui.core.methods.words import SlopeView, Steps, minus
from normgui.core.types import FloatArray


def statistics(x: FloatArray, **_: object) -> Stats:
    u, s = guarded(x)
    n = u.shape[0]
    mean, var = mean_var(u, axis=0)
    # scikit-learn treats a column as constant when its variance is within rounding of 0.
    tiny = np.finfo(u.dtype).eps
    constant = var <= n * tiny * var + (n * mean * tiny) ** 2
    named = {"mean": in_units(mean, s), "var": in_units(var, s, 2)}
    return Stats(mean, scale_or_one(np.sqrt(var), constant), named, constant, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # A constant column keeps its scale of 1 (a convention, not a function of x): only μ moves.
    xhat = stats.normalize(x)
    return centred_vjp(xhat, stats.scale, grad, axis=0, fixed=stats.fired) / stats.unit


def explain(steps: Steps) -> None:
    j = steps.j
    col = steps.column_line()
    mean, var = steps.mean_var(col, j, "n")
    std = float(np.sqrt(var))
    if steps.fired():
        steps.notes.append(
            "The feature is constant: scikit-learn divides it by 1 instead of σ = 0."
        )
        std = 1.0
    steps.add("std", f"σ{j} = √σ{j}²", f"σ{j} = √{num(var)} = {result(std)}", std)
    steps.add(
        "xhat",
        f"x̂{j} = (x{j} − μ{j})/σ{j}",
        f"x̂{j} = ({minus(steps.xj, mean)})/{result(std)} = {result(steps.xhat)}",
        steps.xhat,
    )


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    flat = "shown: the slope of x − μ, as it is divided by 1"
    return column_slope_words(view, "σ", f"the {view.n} samples", flat)


METHOD = Method(
    key="standardize",
    label="Standardize",
    description="Each feature gets mean 0 and standard deviation 1 over the data "
    "(scikit-learn's StandardScaler).",
    formula="y = γ·(x − μ_col) / σ_col + β",
    params=("gamma", "beta"),
    statistics_over="column",
    default_eps=None,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
    fired_words="a constant column",
    fired_note=SHIFTED_ONLY,
    inverse_note=(
        "γ = standard deviation and β = mean of each feature: γ·x̂ + β gives back the input"
    ),
    explain=explain,
    slope_words=slope_words,
)
