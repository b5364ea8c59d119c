"""LayerNorm: each sample centred and scaled by its own mean and standard deviation
(torch.nn.LayerNorm: biased variance, ε = 1e-5 inside the square root)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import ZERO_BY_EPS, Method, Stats, in_units
from normgui.core.methods.moments import (
    centred_slope_words,
    centred_vjp,
    guarded_spread,
    mean_var,
)
from normgui.core.methods.words import SlopeView, Steps
from normgui.core.types import FloatArray


def statistics(x: FloatArray, *, eps: float, **_: object) -> Stats:
    u, s, constant = guarded_spread(x, axis=1)
    mean, var = mean_var(u, axis=1)
    scale = np.sqrt(var + eps / s / s)  # ε scales with the square of the data
    named = {"mean": in_units(mean, s), "var": in_units(var, s, 2)}
    return Stats(mean, scale, named, constant, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    return centred_vjp(stats.normalize(x), stats.gain, grad, axis=1)  # gain: scale·unit, exact


def explain(steps: Steps) -> None:
    steps.sample_line()
    mean, var = steps.mean_var(steps.x)
    steps.xhat_centred(mean, var)


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    return centred_slope_words(view, "LayerNorm", "the sample's", view.data.shape[1])


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
    fired_words="a constant row",
    fired_note=ZERO_BY_EPS,
    inverse_note="γ = √(Var + ε) and β = mean of the sample: γ·x̂ + β gives back the input",
    explain=explain,
    slope_words=slope_words,
)
