"""How far the output moves when one input moves: the Jacobian of the normalization.

For the selected sample, J[i, j] = ∂yᵢ/∂xⱼ with y = γ·x̂ + β and x the input as typed (so the
input scale s of the input transform is part of it: J = s·diag(γ)·∂x̂/∂x). Through the activation
f it is diag(f′(y))·J. The derivatives are each method's vector–Jacobian product
(normgui.core.methods) and include the dependence through the statistics: the sample's own
mean and σ for the row methods, the batch's for the column methods (whose Jacobian for one
sample is diagonal: feature j's output depends only on feature j).

  LayerNorm        J = γ/σ·(I − 1/d − x̂x̂ᵀ/d),  σ = √(Var + ε)  (GroupNorm: per group)
  RMSNorm          J = γ/r·(I − x xᵀ/(d r²)),  r = √(mean(x²) + ε)
  L2               J = γ/‖x‖·(I − x xᵀ/‖x‖²)   (γ/ε·I where ‖x‖ < ε)
  BatchNorm/Std.   Jⱼⱼ = γ/σ·(1 − 1/n − x̂ⱼ²/n) over a batch of n (eval: γ/√(running var + ε))
  Min–max          Jⱼⱼ = γ·(hi − lo)/(max − min), 0 where x is the feature's max or min
  Max-abs          Jⱼⱼ = γ/max|x|, 0 where |x| is the maximum
  Robust           Jⱼⱼ = γ·((1 − ∂med)/IQR − (x − med)·∂IQR/IQR²), ∂ of the interpolated quantiles

At a tie (x equal to the feature's max, or sharing a quantile) the one-sided slopes differ; the
value given is their average, which is what a central difference measures, and a note says so.
Big inputs are limited to MAX_FEATURES features around the selected element.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from normgui.core.activations import activate_with_grad
from normgui.core.context import SampleContext, Series, sample_context
from normgui.core.formatting import short, sub
from normgui.core.methods import Method, Stats
from normgui.core.methods.words import SlopeView, general_slope_words
from normgui.core.state import State
from normgui.core.types import FloatArray

MAX_FEATURES: Final = 64


@dataclass(frozen=True, eq=False)
class Sensitivity:
    """The Jacobian of one sample over a window of its features, with what explains it.

    `matrix[i, j]` = ∂outᵢ/∂xⱼ for features `features[i]`, `features[j]`; out is y = γ·x̂ + β, or
    f(y) when `through_activation`. `xhat`, `y`, `grad` (= f′(y)) are over the same window.
    """

    matrix: FloatArray
    features: range
    which: Series
    sample: int
    feature: int
    n_features: int
    through_activation: bool
    xhat: FloatArray
    y: FloatArray
    grad: FloatArray
    normalization: FloatArray  # ∂y/∂x before the activation, over the window
    how: str  # what the slope divides by, in words
    notes: tuple[str, ...]
    activation: str
    input_scale: float
    column: bool

    @property
    def selected(self) -> int:
        """The selected feature's position in the window."""
        return self.feature - self.features.start

    @property
    def windowed(self) -> bool:
        return len(self.features) < self.n_features

    @property
    def slope(self) -> float:
        """∂y/∂x of the selected element on itself (before the activation)."""
        return float(self.normalization[self.selected, self.selected])

    def words(self) -> tuple[str, ...]:
        """The selected element in sentences: 'A change of 1 in x₃ moves y₃ by 0.4472.'"""
        k, j = self.selected, sub(self.feature)
        f = "σ" if self.activation == "sigmoid" else self.activation
        lines = [f"A change of 1 in x{j} moves y{j} by {short(self.slope)}."]
        others = np.delete(self.normalization[:, k], k)
        if self.column:
            lines.append(
                "It moves no other feature of this sample: each feature has its own statistics."
            )
        elif others.size and np.any(others != 0):
            lines.append(
                f"It moves the other outputs of this sample by {short(float(others.min()))} to "
                f"{short(float(others.max()))}: they share the sample's statistics."
            )
        lines.append(f"Why: {self.how}.")
        g = float(self.grad[k])
        lines.append(
            f"Through {f}: {f}(y{j}) moves by {short(g * self.slope)}, since {f}′(y{j}) = "
            f"{short(g)} multiplies the slope"
            + (" — saturation: the gradient vanishes." if abs(g) < 0.025 else ".")
        )
        if self.input_scale != 1.0:
            lines.append(f"The input scale ×{short(self.input_scale)} is included.")
        return tuple(lines)


def window(n_features: int, feature: int, limit: int = MAX_FEATURES) -> range:
    """At most `limit` consecutive features, centred on `feature` where possible."""
    if n_features <= limit:
        return range(n_features)
    start = min(max(0, feature - limit // 2), n_features - limit)
    return range(start, start + limit)


def jacobian(
    state: State,
    which: Series = "A",
    sample: int | None = None,
    through_activation: bool = False,
    max_features: int | None = MAX_FEATURES,
) -> FloatArray:
    """∂yᵢ/∂xⱼ for one sample (by default the selected one): d×d, or at most `max_features`
    features around the selected element (None: all)."""
    return sensitivity(state, which, sample, None, through_activation, max_features).matrix


def sensitivity(
    state: State,
    which: Series = "A",
    sample: int | None = None,
    feature: int | None = None,
    through_activation: bool = False,
    max_features: int | None = MAX_FEATURES,
) -> Sensitivity:
    """The Jacobian of the selected (or given) sample of A or B, with the words that explain it.

    Every slope comes from the method's vector–Jacobian product (normgui.core.methods), so a
    method is differentiated where it is defined; an unknown method is refused (ValueError).
    """
    ctx = sample_context(state, which, sample, feature)
    d = ctx.n_features
    features = window(d, ctx.feature, d if max_features is None else max_features)
    w = np.arange(features.start, features.stop)
    column = ctx.statistics_over == "column"
    jhat, how, notes = _normalization_jacobian(ctx, w)
    xhat = ctx.xhat[w]
    y = xhat * ctx.gamma[w] + ctx.beta[w]
    _, grad = activate_with_grad(y, state.activation)
    dy = state.input_scale * ctx.gamma[w][:, np.newaxis] * jhat
    matrix = grad[:, np.newaxis] * dy if through_activation else dy
    if len(features) < d:
        notes.append(
            f"{d} features: the {len(features)} around element {ctx.feature + 1} are shown "
            f"({features.start + 1}–{features.stop})."
        )
    return Sensitivity(
        matrix=matrix,
        features=features,
        which=which,
        sample=ctx.sample,
        feature=ctx.feature,
        n_features=d,
        through_activation=through_activation,
        xhat=xhat,
        y=y,
        grad=grad,
        normalization=dy,
        how=how,
        notes=tuple(dict.fromkeys(notes)),
        activation=state.activation,
        input_scale=state.input_scale,
        column=column,
    )


def _normalization_jacobian(
    ctx: SampleContext, w: NDArray[np.intp]
) -> tuple[FloatArray, str, list[str]]:
    """∂x̂/∂x over the features `w` of the sample, what it divides by, and notes."""
    method = ctx.record
    if ctx.stats is None:  # the method refuses the data, and the pipeline shows x̂ = 0
        how = f"{method.label} cannot normalize this data: x̂ = 0 whatever x is"
        return np.zeros((w.size, w.size)), how, [str(ctx.refusal)]
    if ctx.statistics_over == "column":
        # Each feature has its own statistics over the batch: one vector–Jacobian product
        # with the sample's row set gives each feature's slope on itself.
        data = ctx.batch[:, w]
        stats = ctx.statistics_of(data, w)
        grad = np.zeros_like(data)
        grad[ctx.batch_row] = 1.0
        jhat = np.diag(method.vjp(data, stats, grad)[ctx.batch_row])
        row, col, label = ctx.batch_row, ctx.feature - int(w[0]), f"feature {ctx.feature + 1}"
    else:
        stats, data = ctx.stats, ctx.data
        jhat = _row_jacobian(method, ctx.x, stats, w)
        row, col, label = 0, ctx.feature, "the sample"
    k = ctx.feature - int(w[0])
    column = ctx.statistics_over == "column"
    view = SlopeView(stats, data, row, col, float(jhat[k, k]), label, ctx.eps_value, column)
    how, notes = (method.slope_words or general_slope_words(method.label))(view)
    return jhat, how, list(notes)


# Rows of the sample stacked at once for its Jacobian: d vector–Jacobian products, in blocks of
# at most this many values, so that a sample of a million features stays within memory.
_BLOCK_VALUES: Final = 1 << 20


def _row_jacobian(method: Method, x: FloatArray, stats: Stats, w: NDArray[np.intp]) -> FloatArray:
    """J[i, j] = ∂x̂ᵢ/∂xⱼ for i, j in `w` of a method whose statistics are the sample's own:
    row i is the vector–Jacobian product with the one-hot gradient at i. The sample is stacked
    as a batch (each row its own statistics, the same as the sample's) to take them together."""
    d = x.shape[0]
    rows = max(1, _BLOCK_VALUES // d)
    out = np.empty((w.size, w.size))
    for start in range(0, w.size, rows):
        block = w[start : start + rows]
        batch = np.broadcast_to(x, (block.size, d))
        grad = np.zeros((block.size, d))
        grad[np.arange(block.size), block] = 1.0
        out[start : start + block.size] = method.vjp(batch, stats, grad)[:, w]
    return out
