"""Standardization: each feature to mean 0 and standard deviation 1 over the data
(scikit-learn's StandardScaler: population std, a constant column divided by 1)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units, scale_or_one
from normgui.core.methods.moments import centred_vjp, mean_var
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
)
