"""L2 normalization: each sample divided by its Euclidean length, or by ε when it is shorter
(torch.nn.functional.normalize: x / max(‖x‖₂, ε), ε = 1e-12)."""

from __future__ import annotations

import numpy as np

from normgui.core.methods.base import Method, Stats, guarded, in_units, safe_divide
from normgui.core.types import FloatArray


def statistics(x: FloatArray, *, eps: float, **_: object) -> Stats:
    u, s = guarded(x)
    norm = np.sqrt(np.sum(u * u, axis=1, keepdims=True))
    floor = eps / s  # ε is a floor on the length, which scales with the data
    named = {"norm": in_units(norm, s)}
    return Stats(
        np.zeros((1, 1), dtype=x.dtype), np.maximum(norm, floor), named, norm <= floor, unit=s
    )


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # Above ε: x̂ = x/‖x‖, grad_x = (g − x̂·Σ(g·x̂)) / ‖x‖. Below: x/ε, whose ε does not move.
    xhat = stats.normalize(x)
    moved = np.where(stats.fired, 0.0, np.sum(grad * xhat, axis=1, keepdims=True))
    return safe_divide(grad - xhat * moved, stats.scale) / stats.unit


METHOD = Method(
    key="l2",
    label="L2 normalization",
    description="Each sample is divided by its Euclidean length.",
    formula="y = γ·x / max(‖x‖₂, ε) + β",
    params=("gamma", "beta", "eps"),
    statistics_over="row",
    default_eps=1e-12,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
)
