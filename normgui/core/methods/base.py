"""The record every normalization is described by, and what its statistics give.

A normalization computes statistics from the data — a shift and a scale, broadcast against the
data — and divides: x̂ = (x − shift) / scale. `Stats` holds them with the quantities they came
from (mean, variance, quartiles, the norm, …), so that every feature that shows or inverts the
normalization formats these numbers instead of computing them again. `Method` is the whole
description of one normalization: what the panel shows, its default ε, whether it has β, its
statistics, its vector–Jacobian product, and its words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.methods.params import MethodSpec
from normgui.core.types import FloatArray

# What a method's convention did where a row or column had no spread (Method.fired_note).
ZERO_BY_EPS: Final = "it has no spread, so its x̂ is 0 (ε keeps this from being 0/0)"
SHIFTED_ONLY: Final = (
    "it has no spread, so it is only shifted, not scaled (a scale of 1, as scikit-learn does)"
)

# scikit-learn's _handle_zeros_in_scale: a scale below this (relative to 1) is taken as zero.
TINY_SCALE: Final = 10 * float(np.finfo(np.float64).eps)


@dataclass(frozen=True, eq=False)
class Stats:
    """What a method computed from the data: x̂ = (x − shift) / scale, where 0/0 gives 0.

    `shift` and `scale` broadcast against the data (rows = samples, columns = features); a scale
    of 0 (ε = 0 on constant data) gives x̂ = 0. `named` holds the quantities that produced them,
    in the data's units ("mean", "var", "q25", "median", "q75", "min", "max", "norm", "ms",
    "maxabs", …). `fired` marks, broadcast against the data, where a convention took over (zero
    variance, a constant column, a zero range, ‖x‖ < ε…). `depends_on_data` is False when the
    statistics do not come from the data (BatchNorm in eval mode): no gradient flows through them.

    `unit` is 1 except for data near ±1e308: the statistics were then taken of x / unit (a power
    of two, so the division is exact) so that no square or sum overflows, and `shift` and `scale`
    apply to x / unit; `named` is still in the data's units.
    """

    shift: FloatArray
    scale: FloatArray
    named: Mapping[str, FloatArray]
    fired: NDArray[np.bool_]
    depends_on_data: bool = True
    unit: float = 1.0

    def normalize(self, x: FloatArray) -> FloatArray:
        """x̂ of `x` (the data these statistics were taken of, or data of the same width).

        The last result is kept, by the identity of `x`, so that a backward pass (`vjp`) after a
        forward pass reuses it instead of dividing again: do not change it in place."""
        memo = self.__dict__.get("_memo")
        if memo is not None and memo[0] is x:
            return memo[1]
        u = x / self.unit if self.unit != 1.0 else x
        # x − shift passes ±1e308 only for running statistics far from the data (BatchNorm in
        # eval mode), and is then ±inf, as in PyTorch.
        with np.errstate(over="ignore", invalid="ignore"):
            xhat = safe_divide(u - self.shift, self.scale)
        object.__setattr__(self, "_memo", (x, xhat))
        return xhat

    @property
    def gain(self) -> FloatArray:
        """The scale in the data's units (what γ must be to undo the normalization)."""
        with np.errstate(over="ignore"):
            return self.scale * self.unit

    @property
    def offset(self) -> FloatArray:
        """The shift in the data's units (what β must be to undo the normalization)."""
        with np.errstate(over="ignore"):
            return self.shift * self.unit


Statistics = Callable[..., Stats]
"""statistics(x, *, eps, groups, feature_range, training, running) -> Stats, x 2-D and finite,
eps a number (the method's default already filled in)."""

VectorJacobian = Callable[[FloatArray, Stats, FloatArray], FloatArray]
"""vjp(x, stats, grad_xhat) -> grad_x: (∂x̂/∂x)ᵀ·grad_xhat, through the statistics too."""


@dataclass(frozen=True)
class Method(MethodSpec):
    """One normalization, whole: the panel's description (MethodSpec) and its mathematics.

    `statistics` gives the Stats of some data; `vjp` the vector–Jacobian product of x̂(x),
    including the dependence through the statistics (none when `depends_on_data` is False),
    exact where x̂ is differentiable and, at ties (a shared minimum, a quantile between equal
    values), the average of the one-sided slopes, which is what a central difference measures.
    """

    default_eps: float | Literal["dtype"] | None
    has_beta: bool
    statistics: Statistics
    vjp: VectorJacobian
    # Where Stats.fired holds, in words: "a constant row"; and what the convention did there,
    # said when the data has it (None: nothing worth saying while ε > 0).
    fired_words: str = "a row or column without spread"
    fired_note: str | None = None
    # How γ = scale and β = shift undo the normalization, in the method's own terms.
    inverse_note: str = (
        "γ = the scale and β = the shift of its statistics: γ·x̂ + β gives back the input"
    )
    # explain(steps: words.Steps) writes the explanation lines of one element, and
    # slope_words(view: words.SlopeView) -> (how, notes) the words of its slope; None: the
    # general words of normgui.core.methods.words, which any method's Stats can fill in.
    explain: Callable[..., None] | None = None
    slope_words: Callable[..., tuple[str, list[str]]] | None = None

    def eps_default(self, dtype: np.dtype | type = np.float64) -> float | None:
        """The ε this method uses when none is given, None when it has no ε."""
        if self.default_eps == "dtype":  # torch.nn.RMSNorm: the machine epsilon of the input
            return float(np.finfo(dtype).eps)
        return None if self.default_eps is None else float(self.default_eps)


# --- small numeric pieces the methods share ------------------------------------------------------


def safe_divide(num: FloatArray, den: FloatArray) -> FloatArray:
    """num / den where den may be 0 (ε = 0 on constant data): 0/0 gives 0, as a limit would."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / den
    if not np.any(den == 0):
        return out
    return np.where(den == 0, 0.0, out).astype(out.dtype, copy=False)


def scale_or_one(scale: FloatArray, zero: NDArray[np.bool_] | None = None) -> FloatArray:
    """scikit-learn's _handle_zeros_in_scale: a (near-)zero scale, or where `zero`, becomes 1."""
    if zero is None:
        zero = near_zero(scale)
    return np.where(zero, 1.0, scale).astype(scale.dtype, copy=False)


def near_zero(scale: FloatArray) -> NDArray[np.bool_]:
    """Where scikit-learn takes a scale for zero."""
    return np.asarray(scale < 10 * np.finfo(scale.dtype).eps)


def overflow_guard_scale(peak: float, dtype: np.dtype | type = np.float64) -> float:
    """1.0, or for data whose largest magnitude `peak` is so large that its square or a sum could
    overflow in `dtype`, a power of two to divide by (dividing by a power of two is exact)."""
    huge = 2.0 ** (np.finfo(dtype).maxexp // 2 - 12)  # 2**500 for float64, 2**52 for float32
    # peak = m·2**e with 0.5 ≤ m < 1; dividing by 2**(e-1) leaves magnitudes below 2.
    return 1.0 if peak <= huge else float(np.ldexp(1.0, int(np.frexp(peak)[1]) - 1))


def guarded(x: FloatArray) -> tuple[FloatArray, float]:
    """`x` divided by its overflow guard scale, and that scale (see Stats.unit)."""
    s = overflow_guard_scale(float(np.max(np.abs(x))), x.dtype)
    return (x, 1.0) if s == 1.0 else (x / s, s)


def in_units(value: FloatArray, unit: float, power: int = 1) -> FloatArray:
    """A quantity of x / unit back in the units of x (its `power`-th power: 2 for a variance);
    past the float range it is ±inf, which is what it is."""
    if unit == 1.0:
        return value
    with np.errstate(over="ignore"):
        for _ in range(power):  # one factor at a time: unit² alone may pass the float range
            value = value * unit
    return value


def as_2d(x: ArrayLike) -> FloatArray:
    """`x` as a finite 2-D float array (rows = samples), or ValueError saying what is wrong."""
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
