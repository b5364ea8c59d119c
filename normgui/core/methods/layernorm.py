"""LayerNorm: each sample centred and scaled by its own mean and standard deviation
(torch.nn.LayerNorm: biased variance, ε = 1e-5 inside the square root)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units
from normgui.core.methods.moments import centred_vjp, constant_along, mean_var
from normgui.core.types import FloatArray


def statistics(x: FloatArray, *, eps: float, **_: object) -> Stats:
    u, s = guarded(x)
    mean, var = mean_var(u, axis=1)
    scale = np.sqrt(var + eps / s / s)  # ε scales with the square of the data
    named = {"mean": in_units(mean, s), "var": in_units(var, s, 2)}
    return Stats(mean, scale, named, constant_along(u, axis=1), unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    return centred_vjp(stats.normalize(x), stats.scale, grad, axis=1) / stats.unit


METHOD = Method(
    key="layernorm",
    label="LayerNorm",
    description="Each sample is centred and scaled by its own mean and standard deviation.",
    formula="y = γ·(x − μ_row) / √(σ²_row + ε) + β",
    params=("gamma", "beta", "eps"),
    statistics_over="row",
    default_eps=1e-5,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
)
