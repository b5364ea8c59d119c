"""Mean and variance along an axis, and the backward pass through them.

LayerNorm, GroupNorm, BatchNorm and standardization all compute x̂ = (x − μ)/σ with the biased
variance; they differ only in the axis (a sample, a group of it, a feature over the batch) and
in what σ is (√(Var + ε), or scikit-learn's √Var with 1 for a constant column).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from normgui.core.methods.base import safe_divide
from normgui.core.types import FloatArray


def mean_var(u: FloatArray, axis: int) -> tuple[FloatArray, FloatArray]:
    """The mean and the biased variance of `u` along `axis`, kept as a length-1 axis."""
    mean = u.mean(axis=axis, keepdims=True)
    centred = u - mean
    return mean, np.mean(centred * centred, axis=axis, keepdims=True)


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
