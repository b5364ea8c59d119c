"""Activation functions, their derivatives, and the regimes they create.

The *linear regime* is where the activation stays within a tolerance of its tangent at 0 (or, as
the other criterion, where its slope is at least a fraction of the slope at 0); *saturation* is
where the slope has fallen to at most a fraction of the slope at 0 — where gradients vanish.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.types import FloatArray

ACTIVATIONS: Final = ("sigmoid", "tanh", "relu", "gelu", "hardsigmoid")
CRITERIA: Final = ("tangent", "gradient")
# Activations whose regimes are symmetric intervals around 0 (odd about their value at 0).
SYMMETRIC: Final = frozenset({"sigmoid", "tanh", "hardsigmoid"})

_SQRT_HALF: Final = 0.7071067811865476
_INV_SQRT_2PI: Final = 0.3989422804014327


def _check(name: str) -> None:
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of: {', '.join(ACTIVATIONS)}")


def _float(z: ArrayLike) -> FloatArray:
    """`z` as a float array, without a copy when it already is one (nothing here writes to it)."""
    arr = np.asarray(z)
    if arr.dtype in (np.float32, np.float64):
        return arr
    return arr.astype(np.float64)


def _sigmoid(z: FloatArray) -> FloatArray:
    # For z < -709, e^-z overflows to inf and 1/(1+inf) is exactly the limit 0: the overflow is
    # harmless, so it is silenced rather than avoided with a second, slower pass.
    with np.errstate(over="ignore"):
        out = np.exp(-z)
    out += 1.0
    return np.reciprocal(out, out=out)


# numpy has no erf; the standard library's is exact to rounding and as fast here as a
# polynomial approximation (which was off by 1e-5 relative where GELU's slope crosses 0).
_ERFC_UFUNC = np.frompyfunc(math.erfc, 1, 1)


def _erfc(x: FloatArray) -> FloatArray:
    return np.asarray(_ERFC_UFUNC(x), dtype=x.dtype)


def _normal_cdf(z: FloatArray) -> FloatArray:
    return 0.5 * _erfc(-z * _SQRT_HALF)


def _normal_pdf(z: FloatArray) -> FloatArray:
    with np.errstate(under="ignore", over="ignore"):
        return _INV_SQRT_2PI * np.exp(-0.5 * z * z)


def activate(z: ArrayLike, name: str = "sigmoid") -> FloatArray:
    """The activation `name` applied elementwise (PyTorch's definitions; GELU is the exact one)."""
    _check(name)
    x = _float(z)
    if name == "sigmoid":
        return _sigmoid(x)
    if name == "tanh":
        return np.tanh(x)
    if name == "relu":
        return np.maximum(x, 0.0)
    if name == "gelu":
        return x * _normal_cdf(x)
    return np.clip(x / 6.0 + 0.5, 0.0, 1.0)  # hardsigmoid: relu6(x + 3) / 6


def activate_with_grad(z: ArrayLike, name: str = "sigmoid") -> tuple[FloatArray, FloatArray]:
    """The activation and its derivative together, sharing the work where they can."""
    x = _float(z)
    if name == "sigmoid":
        s = _sigmoid(x)
        return s, s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(x)
        return t, 1.0 - t * t
    return activate(x, name), activate_grad(x, name)


def activate_grad(z: ArrayLike, name: str = "sigmoid") -> FloatArray:
    """The derivative of the activation; at a kink, the derivative PyTorch's autograd uses."""
    _check(name)
    x = _float(z)
    if name == "sigmoid":
        s = _sigmoid(x)
        return s * (1.0 - s)
    if name == "tanh":
        t = np.tanh(x)
        return 1.0 - t * t
    if name == "relu":
        return (x > 0).astype(x.dtype)
    if name == "gelu":
        with np.errstate(invalid="ignore"):
            g = _normal_cdf(x) + x * _normal_pdf(x)
        return np.where(np.isfinite(x), g, (x > 0).astype(x.dtype))
    return ((x > -3.0) & (x < 3.0)).astype(x.dtype) / 6.0


def slope_at_zero(name: str) -> float:
    """The slope of the tangent at 0 (ReLU's right-hand slope, the side where it passes signal)."""
    _check(name)
    return {"sigmoid": 0.25, "tanh": 1.0, "relu": 1.0, "gelu": 0.5, "hardsigmoid": 1.0 / 6.0}[name]


def tangent_at_zero(z: ArrayLike, name: str = "sigmoid") -> FloatArray:
    """The activation's tangent line at 0: f(0) + f'(0)·z (0.5 + z/4 for the sigmoid)."""
    x = _float(z)
    return float(activate(np.zeros(1), name)[0]) + slope_at_zero(name) * x


@dataclass(frozen=True)
class RegimeSettings:
    """Which regime criterion is in force and its thresholds."""

    criterion: str = "tangent"
    linear_tol: float = 0.01
    linear_grad_ratio: float = 0.9
    saturation_ratio: float = 0.1

    def __post_init__(self) -> None:
        if self.criterion not in CRITERIA:
            raise ValueError(f"the regime criterion must be one of {CRITERIA}")
        if not 0 < self.linear_tol < 1:
            raise ValueError("the linear-regime tolerance must be between 0 and 1")
        if not 0 < self.linear_grad_ratio < 1:
            raise ValueError("the linear-regime slope fraction must be between 0 and 1")
        if not 0 < self.saturation_ratio < 1:
            raise ValueError("the saturation ratio must be between 0 and 1")

    def describe(self) -> str:
        if self.criterion == "tangent":
            linear = f"linear: within {self.linear_tol:g} of the tangent"
        else:
            linear = f"linear: slope ≥ {self.linear_grad_ratio:g}× slope at 0"
        return f"{linear}; saturated: slope ≤ {self.saturation_ratio:g}× slope at 0"


def is_linear(
    z: ArrayLike,
    name: str,
    settings: RegimeSettings,
    values: FloatArray | None = None,
    grads: FloatArray | None = None,
) -> NDArray[np.bool_]:
    """Which pre-activations lie in the linear regime (pass already computed values to reuse)."""
    x = _float(z)
    if settings.criterion == "gradient":
        g = activate_grad(x, name) if grads is None else grads
        return np.abs(g) >= settings.linear_grad_ratio * slope_at_zero(name)
    v = activate(x, name) if values is None else values
    with np.errstate(over="ignore", invalid="ignore"):
        return np.abs(v - tangent_at_zero(x, name)) <= settings.linear_tol


def is_saturated(
    z: ArrayLike, name: str, settings: RegimeSettings, grads: FloatArray | None = None
) -> NDArray[np.bool_]:
    """Which pre-activations lie where the slope is at most saturation_ratio × the slope at 0."""
    g = activate_grad(_float(z), name) if grads is None else grads
    return np.abs(g) <= settings.saturation_ratio * slope_at_zero(name)


Spans = tuple[tuple[float, float], ...]


def regime_spans(
    z: FloatArray,
    name: str,
    settings: RegimeSettings,
    values: FloatArray | None = None,
    grads: FloatArray | None = None,
) -> tuple[Spans, Spans]:
    """The intervals of the sorted grid `z` in the linear regime and in saturation, as (start,
    end) pairs: what the plots shade, for any activation (ReLU and GELU are not symmetric)."""
    linear = is_linear(z, name, settings, values, grads)
    return _spans(z, linear), _spans(z, is_saturated(z, name, settings, grads))


@dataclass(frozen=True, eq=False)
class ActivationCurve:
    """An activation drawn over a range of pre-activations: the sampled curve, its slope and
    its tangent at 0, and the regime spans on that grid (what the curve plots shade)."""

    z: FloatArray
    act: FloatArray
    grad: FloatArray
    tangent: FloatArray
    linear_spans: Spans
    saturated_spans: Spans


def activation_curve(
    lo: float, hi: float, name: str, settings: RegimeSettings, points: int = 801
) -> ActivationCurve:
    """The activation `name` sampled at `points` even steps over [lo, hi]."""
    z = np.linspace(lo, hi, points)
    act, grad = activate_with_grad(z, name)
    linear, saturated = regime_spans(z, name, settings, act, grad)
    return ActivationCurve(z, act, grad, tangent_at_zero(z, name), linear, saturated)


def _spans(z: FloatArray, mask: NDArray[np.bool_]) -> Spans:
    """The intervals of z where mask holds, as (start, end) pairs."""
    if not mask.any():
        return ()
    padded = np.concatenate([[False], mask, [False]])
    changes = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, ends = changes[0::2], changes[1::2] - 1
    return tuple((float(z[s]), float(z[e])) for s, e in zip(starts, ends, strict=True))


def _first_crossing(predicate: object, hi: float = 1e3) -> float:
    """The t ≥ 0 where predicate(t) first turns true, by bisection (inf if never within `hi`)."""
    test = predicate  # a callable float -> bool
    assert callable(test)
    if test(0.0):
        return 0.0
    if not test(hi):
        return float("inf")
    lo = 0.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid in (lo, hi):
            break  # lo and hi are neighbouring floats: nothing left to halve
        if test(mid):
            hi = mid
        else:
            lo = mid
    return hi


@functools.lru_cache(maxsize=64)
def regime_bounds(
    name: str = "sigmoid",
    linear_tol: float = 0.01,
    saturation_ratio: float = 0.1,
) -> tuple[float, float]:
    """(z_linear, z_saturated) on the positive side of 0.

    |z| ≤ z_linear is the linear regime (the activation within `linear_tol` of its tangent at 0);
    |z| ≥ z_saturated is saturation (slope ≤ `saturation_ratio` × the slope at 0). For the
    sigmoid with the defaults: 0.799 and 3.637. For an activation that is not symmetric (ReLU,
    GELU) use is_linear / is_saturated, which classify any z exactly.
    """
    _check(name)
    settings = RegimeSettings(linear_tol=linear_tol, saturation_ratio=saturation_ratio)

    def leaves_linear(t: float) -> bool:
        return not bool(is_linear(np.array([t]), name, settings)[0])

    def saturates(t: float) -> bool:
        return bool(is_saturated(np.array([t]), name, settings)[0])

    return _first_crossing(leaves_linear), _first_crossing(saturates)


@functools.lru_cache(maxsize=64)
def bounds_for(name: str, settings: RegimeSettings) -> tuple[float, float]:
    """(z_linear, z_saturated) on the positive side under the criterion in force."""
    if settings.criterion == "tangent":
        return regime_bounds(name, settings.linear_tol, settings.saturation_ratio)
    _check(name)

    def leaves_linear(t: float) -> bool:
        return not bool(is_linear(np.array([t]), name, settings)[0])

    return _first_crossing(leaves_linear), regime_bounds(name, 0.01, settings.saturation_ratio)[1]


@dataclass(frozen=True)
class RegimeSummary:
    """Where an array of pre-activations falls: fractions per regime and the mean slope."""

    linear: float
    saturated: float
    mean_grad: float
    count: int

    @property
    def between(self) -> float:
        return max(0.0, 1.0 - self.linear - self.saturated)


def regime_summary(
    z: ArrayLike,
    name: str = "sigmoid",
    settings: RegimeSettings | None = None,
    values: FloatArray | None = None,
    grads: FloatArray | None = None,
) -> RegimeSummary:
    """The fraction of `z` in the linear regime, in saturation, and the mean slope there."""
    s = settings or RegimeSettings()
    x = _float(z).ravel()
    if x.size == 0:
        return RegimeSummary(0.0, 0.0, 0.0, 0)
    g = activate_grad(x, name) if grads is None else grads.ravel()
    if name in SYMMETRIC:
        # Symmetric and monotone away from 0: the regimes are |z| ≤ z_lin and |z| ≥ z_sat, so
        # counting against the two bounds is exact and skips evaluating the tangent per value.
        z_lin, z_sat = bounds_for(name, s)
        magnitude = np.abs(x)
        linear = np.count_nonzero(magnitude <= z_lin) / x.size
        saturated = np.count_nonzero(magnitude >= z_sat) / x.size
    else:
        v = None if values is None else values.ravel()
        linear = np.count_nonzero(is_linear(x, name, s, v, g)) / x.size
        saturated = np.count_nonzero(is_saturated(x, name, s, g)) / x.size
    return RegimeSummary(float(linear), float(saturated), float(np.mean(g)), int(x.size))
