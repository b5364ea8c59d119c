"""The normalizations, with the conventions of PyTorch and scikit-learn.

Data is 2-D: rows are samples (the batch), columns are features. A 1-D input is one sample.
Every method computes a normalized x̂ from its statistics (normgui.core.methods) and returns
γ·x̂ + β, so that with the defaults γ = 1 and β = 0 the result is exactly what the reference
library computes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from normgui.core.methods import DEFAULT_EPS, METHODS, NO_BETA, Method, Stats, get_method
from normgui.core.methods.base import as_2d, overflow_guard_scale
from normgui.core.methods.batchnorm import update_running_stats
from normgui.core.methods.running import RunningStats
from normgui.core.types import FloatArray

__all__ = [
    "DEFAULT_EPS",
    "METHODS",
    "NO_BETA",
    "RunningStats",
    "default_eps",
    "mean_std",
    "normalize",
    "overflow_guard_scale",
    "resolve_eps",
    "statistics",
    "update_running_stats",
]


def default_eps(method: str, dtype: np.dtype | type = np.float64) -> float | None:
    """The ε `method` uses by default, or None when it has no ε."""
    return get_method(method).eps_default(dtype)


def statistics(
    x: ArrayLike,
    method: str,
    *,
    eps: float | None = None,
    groups: int | None = None,
    feature_range: tuple[float, float] = (0.0, 1.0),
    training: bool = True,
    running: RunningStats | None = None,
) -> Stats:
    """The Stats of `method` on `x` (2-D, or 1-D for one sample), with `eps=None` the method's
    default ε; ValueError with a plain-words reason for anything it cannot do."""
    m = get_method(method)
    data = as_2d(x)
    return m.statistics(
        data,
        eps=resolve_eps(m, eps, data.dtype),
        groups=groups,
        feature_range=feature_range,
        training=training,
        running=running,
    )


def normalize(
    x: ArrayLike,
    method: str,
    *,
    gamma: ArrayLike = 1.0,
    beta: ArrayLike = 0.0,
    eps: float | None = None,
    groups: int | None = None,
    feature_range: tuple[float, float] = (0.0, 1.0),
    training: bool = True,
    running: RunningStats | None = None,
) -> FloatArray:
    """Normalize `x` with `method` and apply the affine γ·x̂ + β.

    `x` is 2-D (rows = samples, columns = features) or 1-D (one sample; the result is 1-D).
    `gamma` and `beta` are scalars or per-feature arrays. `eps=None` uses the method's default.
    Raises ValueError with a plain-words reason for anything it cannot do.
    """
    m = get_method(method)
    arr = np.asarray(x)
    one_sample = arr.ndim == 1
    data = as_2d(arr)
    n_features = data.shape[1]
    g = _per_feature(gamma, n_features, "gamma", data.dtype)
    b = _per_feature(beta, n_features, "beta", data.dtype)
    if not m.has_beta and np.any(b != 0):
        raise ValueError(f"{method} has no β (shift) parameter; leave beta at 0")
    stats = statistics(
        data,
        method,
        eps=eps,
        groups=groups,
        feature_range=feature_range,
        training=training,
        running=running,
    )
    xhat = stats.normalize(data)
    if _is_identity_affine(g, b):
        out = xhat
    else:
        # γ·x̂ + β may pass the float range (identity on 1e308 with γ = 2); it then becomes ±inf,
        # which the pipeline reports, rather than a warning that escapes to the caller.
        with np.errstate(over="ignore", invalid="ignore"):
            out = xhat * g + b
    return out[0] if one_sample else out


def resolve_eps(method: Method, eps: float | None, dtype: np.dtype | type = np.float64) -> float:
    """The ε `method` runs with: `eps`, or its default when None (0 for a method without ε);
    ValueError for an ε the method does not have or cannot use."""
    default = method.eps_default(dtype)
    if eps is None:
        return 0.0 if default is None else default
    if default is None:
        raise ValueError(f"{method.key} has no ε parameter")
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"ε must be a finite number ≥ 0, not {eps}")
    return float(eps)


def mean_std(x: FloatArray, axis: int) -> tuple[FloatArray, FloatArray]:
    """Mean and population standard deviation along `axis`, safe for values near ±1e308."""
    s = overflow_guard_scale(float(np.max(np.abs(x))), x.dtype)
    u = x / s if s != 1.0 else x
    mean = u.mean(axis=axis)
    std = u.std(axis=axis)
    if s == 1.0:
        return mean, std
    with np.errstate(over="ignore"):
        return mean * s, np.minimum(std * s, np.finfo(x.dtype).max)


def _is_identity_affine(gamma: FloatArray, beta: FloatArray) -> bool:
    return bool(np.all(gamma == 1) and np.all(beta == 0))


def _per_feature(value: ArrayLike, n_features: int, name: str, dtype: np.dtype) -> FloatArray:
    arr = np.asarray(value, dtype=dtype)
    if arr.ndim == 0:
        return arr.reshape(1)
    if arr.ndim != 1 or arr.shape[0] != n_features:
        raise ValueError(
            f"{name} must be a single number or one number per feature ({n_features}), "
            f"not shape {arr.shape}"
        )
    return arr
