"""The normalizations, with the conventions of PyTorch and scikit-learn.

Data is 2-D: rows are samples (the batch), columns are features. A 1-D input is one sample.
Every method computes a normalized x̂ and returns γ·x̂ + β, so that with the defaults γ = 1 and
β = 0 the result is exactly what the reference library computes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.types import FloatArray

METHODS: Final = (
    "identity",
    "layernorm",
    "rmsnorm",
    "groupnorm",
    "batchnorm",
    "standardize",
    "minmax",
    "l2",
    "robust",
    "maxabs",
)

# The ε each method uses when none is given; None means the method has no ε.
# RMSNorm's default is the machine epsilon of the input's dtype, as in torch.nn.RMSNorm.
DEFAULT_EPS: Final[dict[str, float | str | None]] = {
    "identity": None,
    "layernorm": 1e-5,
    "rmsnorm": "dtype",
    "groupnorm": 1e-5,
    "batchnorm": 1e-5,
    "standardize": None,
    "minmax": None,
    "l2": 1e-12,
    "robust": None,
    "maxabs": None,
}

# Methods without a shift parameter: torch.nn.RMSNorm has a weight but no bias.
NO_BETA: Final = frozenset({"rmsnorm"})


@dataclass(frozen=True, eq=False)
class RunningStats:
    """BatchNorm's running statistics (PyTorch's running_mean, running_var, num_batches_tracked)."""

    mean: FloatArray
    var: FloatArray
    count: int = 0

    def __post_init__(self) -> None:
        mean = np.array(self.mean, dtype=np.float64, ndmin=1)
        var = np.array(self.var, dtype=np.float64, ndmin=1)
        if mean.ndim != 1 or mean.shape != var.shape:
            raise ValueError("running mean and variance must be 1-D and of the same length")
        if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(var))):
            raise ValueError("running statistics must be finite numbers")
        if np.any(var < 0):
            raise ValueError("a running variance cannot be negative")
        if self.count < 0:
            raise ValueError("the number of batches tracked cannot be negative")
        mean.flags.writeable = False
        var.flags.writeable = False
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "var", var)

    @classmethod
    def initial(cls, n_features: int) -> RunningStats:
        """The buffers of a fresh torch.nn.BatchNorm1d: mean 0, variance 1, no batch seen."""
        return cls(np.zeros(n_features), np.ones(n_features), 0)

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    def same_as(self, other: RunningStats) -> bool:
        return (
            self.count == other.count
            and np.array_equal(self.mean, other.mean)
            and np.array_equal(self.var, other.var)
        )


def update_running_stats(
    stats: RunningStats, batch: ArrayLike, momentum: float | None = 0.1
) -> RunningStats:
    """One training step of BatchNorm's running statistics, as torch.nn.BatchNorm1d does it.

    running = (1 - m)·running + m·batch_statistic, with the *unbiased* batch variance.
    momentum=None is the cumulative moving average (m = 1 / batches seen).
    """
    x = _as_2d(batch)
    n, d = x.shape
    if d != stats.n_features:
        raise ValueError(
            f"the batch has {d} features but the running statistics have {stats.n_features}"
        )
    if n < 2:
        raise ValueError(
            "a batch of one sample has no variance: BatchNorm cannot update its running "
            "statistics from it (PyTorch refuses it too); use at least two samples"
        )
    if momentum is not None and not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be between 0 and 1, not {momentum}")
    count = stats.count + 1
    m = 1.0 / count if momentum is None else momentum
    with np.errstate(over="ignore", invalid="ignore"):  # near ±1e308: said below, not warned
        batch_mean = x.mean(axis=0)
        batch_var = x.var(axis=0, ddof=1)
    if not (np.all(np.isfinite(batch_mean)) and np.all(np.isfinite(batch_var))):
        raise ValueError(
            "the batch's variance is beyond the range of floating-point numbers (values near "
            "±1e308): the running statistics cannot hold it"
        )
    return RunningStats(
        (1.0 - m) * stats.mean + m * batch_mean,
        (1.0 - m) * stats.var + m * batch_var,
        count,
    )


def default_eps(method: str, dtype: np.dtype | type = np.float64) -> float | None:
    """The ε `method` uses by default, or None when it has no ε."""
    _check_method(method)
    eps = DEFAULT_EPS[method]
    if eps == "dtype":
        return float(np.finfo(dtype).eps)
    return None if eps is None else float(eps)


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
    _check_method(method)
    arr = np.asarray(x)
    one_sample = arr.ndim == 1
    data = _as_2d(arr)
    n_features = data.shape[1]
    g = _per_feature(gamma, n_features, "gamma", data.dtype)
    b = _per_feature(beta, n_features, "beta", data.dtype)
    if method in NO_BETA and np.any(b != 0):
        raise ValueError(f"{method} has no β (shift) parameter; leave beta at 0")
    eps_value = _resolve_eps(method, eps, data.dtype)
    data, eps_value, running = _rescale_huge(method, data, eps_value, running, training)
    xhat = _NORMALIZERS[method](data, eps_value, groups, feature_range, training, running)
    if _is_identity_affine(g, b):
        out = xhat
    else:
        # γ·x̂ + β may pass the float range (identity on 1e308 with γ = 2); it then becomes ±inf,
        # which the pipeline reports, rather than a warning that escapes to the caller.
        with np.errstate(over="ignore", invalid="ignore"):
            out = xhat * g + b
    return out[0] if one_sample else out


def overflow_guard_scale(peak: float, dtype: np.dtype | type = np.float64) -> float:
    """1.0, or for data whose largest magnitude `peak` is so large that its square or a sum could
    overflow in `dtype`, a power of two to divide by (dividing by a power of two is exact)."""
    huge = 2.0 ** (np.finfo(dtype).maxexp // 2 - 12)  # 2**500 for float64, 2**52 for float32
    # peak = m·2**e with 0.5 ≤ m < 1; dividing by 2**(e-1) leaves magnitudes below 2.
    return 1.0 if peak <= huge else float(np.ldexp(1.0, int(np.frexp(peak)[1]) - 1))


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


def _rescale_huge(
    method: str,
    x: FloatArray,
    eps: float,
    running: RunningStats | None,
    training: bool,
) -> tuple[FloatArray, float, RunningStats | None]:
    """Divide data near the float limit by a power of two, so no square or sum overflows.

    Every method but identity is invariant to that scaling once ε is scaled with it (ε/s² where it
    sits under a square root, ε/s for L2's floor), and dividing by a power of two is exact.
    """
    # BatchNorm in eval mode never squares the data, and identity does not normalize.
    if method == "identity" or (method == "batchnorm" and not training):
        return x, eps, running
    s = overflow_guard_scale(float(np.max(np.abs(x))), x.dtype)
    if s == 1.0:
        return x, eps, running
    eps_scaled = eps / s if method == "l2" else eps / s / s
    return x / s, eps_scaled, running


def _is_identity_affine(gamma: FloatArray, beta: FloatArray) -> bool:
    return bool(np.all(gamma == 1) and np.all(beta == 0))


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown normalization {method!r}; choose one of: {', '.join(METHODS)}")


def _as_2d(x: ArrayLike) -> FloatArray:
    arr = np.asarray(x)
    if arr.dtype.kind not in "biuf":
        raise ValueError("the data must be numbers")
    dtype = np.float32 if arr.dtype == np.float32 else np.float64
    arr = arr.astype(dtype, copy=False)
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(f"the data must be a vector or a table (1-D or 2-D), not {arr.ndim}-D")
    if arr.shape[0] == 0 or arr.shape[1] == 0:
        raise ValueError("the data is empty")
    if not np.all(np.isfinite(arr)):
        raise ValueError("the data contains NaN or infinite values; only finite numbers work")
    return arr


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


def _resolve_eps(method: str, eps: float | None, dtype: np.dtype) -> float:
    default = default_eps(method, dtype)
    if eps is None:
        return 0.0 if default is None else default
    if default is None:
        raise ValueError(f"{method} has no ε parameter")
    if not np.isfinite(eps) or eps < 0:
        raise ValueError(f"ε must be a finite number ≥ 0, not {eps}")
    return float(eps)


def _safe_divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den where den may be 0 (ε = 0 on constant data): 0/0 gives 0, as a limit would."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    return np.where(den == 0, 0.0, out).astype(num.dtype, copy=False)


def _scale_or_one(scale: FloatArray, constant: NDArray[np.bool_] | None = None) -> FloatArray:
    """scikit-learn's _handle_zeros_in_scale: a (near-)zero scale becomes 1."""
    if constant is None:
        constant = scale < 10 * np.finfo(scale.dtype).eps
    return np.where(constant, 1.0, scale).astype(scale.dtype, copy=False)


def _identity(x: FloatArray, *_: object) -> FloatArray:
    return x.copy()


def _layernorm(x: FloatArray, eps: float, *_: object) -> FloatArray:
    mean = x.mean(axis=1, keepdims=True)
    centred = x - mean
    var = np.mean(centred * centred, axis=1, keepdims=True)
    return _safe_divide(centred, np.sqrt(var + eps))


def _rmsnorm(x: FloatArray, eps: float, *_: object) -> FloatArray:
    ms = np.mean(x * x, axis=1, keepdims=True)
    return _safe_divide(x, np.sqrt(ms + eps))


def _groupnorm(x: FloatArray, eps: float, groups: int | None, *_: object) -> FloatArray:
    n, d = x.shape
    if groups is None or isinstance(groups, bool) or not isinstance(groups, (int, np.integer)):
        raise ValueError("GroupNorm needs a whole number of groups")
    if groups < 1 or d % groups:
        raise ValueError(
            f"GroupNorm needs a number of groups that divides the {d} features; {groups} does not"
        )
    grouped = x.reshape(n, int(groups), d // int(groups))
    mean = grouped.mean(axis=2, keepdims=True)
    centred = grouped - mean
    var = np.mean(centred * centred, axis=2, keepdims=True)
    return _safe_divide(centred, np.sqrt(var + eps)).reshape(n, d)


def _batchnorm(
    x: FloatArray,
    eps: float,
    _groups: object,
    _range: object,
    training: bool,
    running: RunningStats | None,
) -> FloatArray:
    n, d = x.shape
    if training:
        if n < 2:
            raise ValueError(
                "BatchNorm in training mode needs at least two samples: with a batch of one, "
                "every feature's batch variance is 0 (PyTorch refuses it: 'Expected more than "
                "1 value per channel when training'). Add a sample or switch to eval mode."
            )
        mean = x.mean(axis=0)
        centred = x - mean
        var = np.mean(centred * centred, axis=0)
    else:
        stats = running if running is not None else RunningStats.initial(d)
        if stats.n_features != d:
            raise ValueError(
                f"the running statistics have {stats.n_features} features but the data has {d}; "
                "reset them"
            )
        with np.errstate(over="ignore"):  # x − mean past ±1e308 is ±inf, as in PyTorch
            centred = x - stats.mean.astype(x.dtype)
        var = stats.var.astype(x.dtype)
    return _safe_divide(centred, np.sqrt(var + eps))


def _standardize(x: FloatArray, *_: object) -> FloatArray:
    n = x.shape[0]
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    # scikit-learn treats a column as constant when its variance is within rounding of 0.
    tiny = np.finfo(x.dtype).eps
    constant = var <= n * tiny * var + (n * mean * tiny) ** 2
    return (x - mean) / _scale_or_one(np.sqrt(var), constant)


def _minmax(
    x: FloatArray, _eps: object, _groups: object, feature_range: tuple[float, float], *_: object
) -> FloatArray:
    low, high = (float(v) for v in feature_range)
    if not (np.isfinite(low) and np.isfinite(high)) or low >= high:
        raise ValueError(
            f"the feature range must go from a smaller to a larger number, not ({low}, {high})"
        )
    data_min = x.min(axis=0)
    scale = (high - low) / _scale_or_one(x.max(axis=0) - data_min)
    shift = low - data_min * scale
    return x * scale + shift


def _l2(x: FloatArray, eps: float, *_: object) -> FloatArray:
    norm = np.sqrt(np.sum(x * x, axis=1, keepdims=True))
    return _safe_divide(x, np.maximum(norm, eps))


def _robust(x: FloatArray, *_: object) -> FloatArray:
    q25, median, q75 = np.percentile(x, [25.0, 50.0, 75.0], axis=0)
    return (x - median) / _scale_or_one(q75 - q25)


def _maxabs(x: FloatArray, *_: object) -> FloatArray:
    return x / _scale_or_one(np.max(np.abs(x), axis=0))


_NORMALIZERS: Final[dict[str, Callable[..., FloatArray]]] = {
    "identity": _identity,
    "layernorm": _layernorm,
    "rmsnorm": _rmsnorm,
    "groupnorm": _groupnorm,
    "batchnorm": _batchnorm,
    "standardize": _standardize,
    "minmax": _minmax,
    "l2": _l2,
    "robust": _robust,
    "maxabs": _maxabs,
}
