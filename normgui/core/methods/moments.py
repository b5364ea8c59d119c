"""Mean and variance along an axis, and the backward pass through them.

LayerNorm, GroupNorm, BatchNorm and standardization all compute x̂ = (x − μ)/σ with the biased
variance; they differ only in the axis (a sample, a group of it, a feature over the batch) and
in what σ is (√(Var + ε), or scikit-learn's √Var with 1 for a constant column).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from normgui.core.formatting import short
from normgui.core.methods.base import overflow_guard_scale, safe_divide
from normgui.core.methods.words import SlopeView
from normgui.core.types import FloatArray


def mean_var(u: FloatArray, axis: int) -> tuple[FloatArray, FloatArray]:
    """The mean and the biased variance of `u` along `axis`, kept as a length-1 axis."""
    mean = u.mean(axis=axis, keepdims=True)
    centred = u - mean
    return mean, np.mean(centred * centred, axis=axis, keepdims=True)


def guarded_spread(x: FloatArray, axis: int) -> tuple[FloatArray, float, NDArray[np.bool_]]:
    """`x` divided by its overflow guard scale (see Stats.unit), that scale, and where `x` is
    constant along `axis` — all three from one max and one min per row or column, which a
    network layer's forward pass pays on every step."""
    hi = x.max(axis=axis, keepdims=True)
    lo = x.min(axis=axis, keepdims=True)
    s = overflow_guard_scale(max(abs(float(hi.max())), abs(float(lo.min()))), x.dtype)
    return (x if s == 1.0 else x / s), s, np.asarray(hi == lo)


def constant_along(u: FloatArray, axis: int) -> NDArray[np.bool_]:
    """Where every value along `axis` is the same (a row or column without spread)."""
    return np.asarray(u.max(axis=axis, keepdims=True) == u.min(axis=axis, keepdims=True))


def centred_vjp(
    xhat: FloatArray,
    scale: FloatArray,
    grad: FloatArray,
    axis: int,
    fixed: NDArray[np.bool_] | None = None,
) -> FloatArray:
    """(∂x̂/∂x)ᵀ·grad for x̂ = (x − μ)/σ with μ and σ = √(Var + ε) taken along `axis`:

        grad_x = (g − mean(g) − x̂·mean(g·x̂)) / σ

    (the last term is σ moving with x). Where `fixed` holds, σ is a constant set by a
    convention (scikit-learn's scale 1 for a constant column) and only the mean moves. A scale
    of 0 (ε = 0 on constant data) has no slope: 0.
    """
    moved = (grad * xhat).mean(axis=axis, keepdims=True)
    if fixed is not None:
        moved = np.where(fixed, 0.0, moved)
    return safe_divide(grad - grad.mean(axis=axis, keepdims=True) - xhat * moved, scale)


def centred_slope_words(view: SlopeView, label: str, what: str, size: int) -> tuple[str, list[str]]:
    """The words of a slope through the mean and σ of a sample or a group of it."""
    notes = []
    if np.any(np.broadcast_to(view.stats.scale, view.data.shape)[view.row] == 0):
        notes.append("ε = 0 and the values are all equal: 0/0 has no slope (shown as 0).")
    how = (
        f"{label} divides by {what} σ = √(σ² + ε) = {short(view.scale())} and removes its mean; "
        f"as xⱼ moves, μ and σ move too, which takes 1/{size} + x̂ᵢx̂ⱼ/{size} off"
    )
    return how, notes


def column_slope_words(view: SlopeView, sigma: str, who: str, flat: str) -> tuple[str, list[str]]:
    """The words of a slope through the mean and σ of a feature over the batch: σ named
    `sigma`, the batch `who`, and what a constant feature shows (`flat`)."""
    notes = []
    if np.any(view.stats.fired):
        notes.append(f"A feature is constant over the batch: it has no slope of its own ({flat}).")
    n = view.n
    how = (
        f"{view.label} is divided by {sigma} = {short(view.scale())} over {who}; the mean and "
        f"σ move with x too, which takes 1/{n} + x̂²/{n} off"
    )
    return how, notes
