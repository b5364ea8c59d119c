"""RMSNorm: each sample divided by its root mean square, no centring and no β
(torch.nn.RMSNorm: ε defaults to the machine epsilon of the input's dtype)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units, safe_divide
from normgui.core.types import FloatArray


def statistics(x: FloatArray, *, eps: float, **_: object) -> Stats:
    u, s = guarded(x)
    ms = np.mean(u * u, axis=1, keepdims=True)
    scale = np.sqrt(ms + eps / s / s)  # ε scales with the square of the data
    zero = np.asarray(np.max(np.abs(u), axis=1, keepdims=True) == 0)  # an all-zero sample
    named = {"ms": in_units(ms, s, 2), "rms": in_units(scale, s)}
    return Stats(np.zeros((1, 1), dtype=x.dtype), scale, named, zero, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # x̂ = x/r, r = √(mean(x²) + ε): grad_x = (g − x̂·mean(g·x̂)) / r
    xhat = stats.normalize(x)
    moved = (grad * xhat).mean(axis=1, keepdims=True)
    return safe_divide(grad - xhat * moved, stats.scale) / stats.unit


METHOD = Method(
    key="rmsnorm",
    label="RMSNorm",
    description="Each sample is divided by its root mean square; no centring, no β.",
    formula="y = γ·x / √(mean_row(x²) + ε)",
    params=("gamma", "eps"),
    statistics_over="row",
    default_eps="dtype",
    has_beta=False,
    statistics=statistics,
    vjp=vjp,
)
