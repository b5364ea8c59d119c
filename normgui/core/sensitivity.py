"""How far the output moves when one input moves: the Jacobian of the normalization.

For the selected sample, J[i, j] = ∂yᵢ/∂xⱼ with y = γ·x̂ + β and x the input as typed (so the
input scale s of the input transform is part of it: J = s·diag(γ)·∂x̂/∂x). Through the activation
f it is diag(f′(y))·J. The derivatives are analytic and include the dependence through the
statistics: the sample's own mean and σ for the row methods, the batch's for the column methods
(whose Jacobian for one sample is diagonal: feature j's output depends only on feature j).

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

from normgui.core.activations import activate_with_grad
from normgui.core.context import SampleContext, Series, sample_context, sub
from normgui.core.formatting import short
from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import RunningStats, normalize, overflow_guard_scale
from normgui.core.state import State
from normgui.core.types import FloatArray

MAX_FEATURES: Final = 64
_TINY: Final = 10 * float(np.finfo(np.float64).eps)  # scikit-learn's "zero scale"


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
    """The Jacobian of the selected (or given) sample of A or B, with the words that explain it."""
    ctx = sample_context(state, which, sample, feature)
    d = ctx.n_features
    features = window(d, ctx.feature, d if max_features is None else max_features)
    w = np.arange(features.start, features.stop)
    notes: list[str] = []
    column = ctx.statistics_over == "column"
    if column:
        diag, how = _column_slopes(ctx, w, notes)
        jhat = np.diag(diag)
    else:
        jhat, how = _row_jacobian(ctx, w, notes)
    xhat = normalized_window(ctx, w)
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


# --- x̂ of the window, as the pipeline computes it ----------------------------------------------


def normalized_window(ctx: SampleContext, w: np.ndarray) -> FloatArray:
    """x̂ of the sample over the features `w`, computed by `normalize` as the pipeline does."""
    method = ctx.method
    eps = ctx.eps
    if ctx.statistics_over != "column":
        kwargs: dict[str, object] = {"eps": eps}
        if method == "groupnorm":
            kwargs["groups"] = ctx.groups
        return normalize(ctx.x[np.newaxis, :], method, **kwargs)[0][w]  # type: ignore[arg-type]
    batch = ctx.batch[:, w]
    if method == "batchnorm":
        if not ctx.state.training:
            r = ctx.running
            running = RunningStats(r.mean[w], r.var[w], r.count)
            return normalize(batch, method, eps=eps, training=False, running=running)[ctx.batch_row]
        if ctx.n_batch < 2:
            return np.zeros(w.size)  # the pipeline shows 0 and says why
        return normalize(batch, method, eps=eps)[ctx.batch_row]
    if method == "minmax":
        return normalize(batch, method, feature_range=ctx.state.feature_range)[ctx.batch_row]
    return normalize(batch, method)[ctx.batch_row]


# --- the row methods: a full block over the window -----------------------------------------------


def _row_jacobian(ctx: SampleContext, w: np.ndarray, notes: list[str]) -> tuple[FloatArray, str]:
    method = ctx.method
    same = (w[:, np.newaxis] == w[np.newaxis, :]).astype(np.float64)
    if method == "identity":
        return same, "no normalization: y = γ·x + β moves by γ"
    x = ctx.x
    d = x.shape[0]
    s = overflow_guard_scale(float(np.max(np.abs(x))))
    u = x / s
    eps = ctx.eps_value / (s if method == "l2" else s * s)
    if method in ("layernorm", "groupnorm"):
        size = d // ctx.groups
        grouped = u.reshape(ctx.groups, size)
        mean = grouped.mean(axis=1, keepdims=True)
        centred = grouped - mean
        sigma = np.sqrt(np.mean(centred * centred, axis=1, keepdims=True) + eps)
        xhat = np.divide(centred, sigma, out=np.zeros_like(centred), where=sigma > 0).ravel()
        sig = np.broadcast_to(sigma, grouped.shape).ravel()
        group = np.arange(d) // size
        in_group = (group[w][:, np.newaxis] == group[w][np.newaxis, :]).astype(np.float64)
        block = same - 1.0 / size - np.outer(xhat[w], xhat[w]) / size
        with np.errstate(divide="ignore", invalid="ignore"):
            jhat = np.where(sig[w][:, np.newaxis] > 0, block / sig[w][:, np.newaxis], 0.0)
        if np.any(sig[w] == 0):
            notes.append("ε = 0 and the values are all equal: 0/0 has no slope (shown as 0).")
        k = ctx.feature
        what = "the sample's" if method == "layernorm" else f"group {group[k] + 1}'s"
        how = (
            f"{METHOD_SPECS[method].label} divides by {what} σ = √(σ² + ε) = {short(sig[k] * s)} "
            f"and removes its mean; as xⱼ moves, μ and σ move too, which takes 1/{size} + "
            f"x̂ᵢx̂ⱼ/{size} off"
        )
        return in_group * jhat / s, how
    if method == "rmsnorm":
        r = float(np.sqrt(np.mean(u * u) + eps))
        if r == 0:
            notes.append("ε = 0 and the sample is all zeros: 0/0 has no slope (shown as 0).")
            return np.zeros_like(same), "RMSNorm divides by the root mean square, here 0"
        jhat = (same - np.outer(u[w], u[w]) / (d * r * r)) / r
        how = f"RMSNorm divides by rms = √(mean(x²) + ε) = {short(r * s)}, which moves with x"
        return jhat / s, how
    # L2
    norm = float(np.sqrt(np.sum(u * u)))
    if norm > eps:
        jhat = (same - np.outer(u[w], u[w]) / (norm * norm)) / norm
        return jhat / s, f"L2 divides by the length ‖x‖₂ = {short(norm * s)}, which moves with x"
    if eps > 0:
        notes.append("‖x‖₂ is below ε: L2 divides by ε instead, which does not move with x.")
        return same / eps / s, f"L2 divides by ε = {short(ctx.eps_value)} (‖x‖₂ is smaller)"
    notes.append("ε = 0 and the sample is all zeros: 0/0 has no slope (shown as 0).")
    return np.zeros_like(same), "L2 divides by the length ‖x‖₂, here 0"


# --- the column methods: one slope per feature over the batch ------------------------------------


def _column_slopes(ctx: SampleContext, w: np.ndarray, notes: list[str]) -> tuple[FloatArray, str]:
    method = ctx.method
    n, r = ctx.n_batch, ctx.batch_row
    batch = ctx.batch[:, w]
    k = ctx.feature - int(w[0])
    who = f"the batch of {n}" if method == "batchnorm" else f"the {n} samples"
    feat = f"feature {ctx.feature + 1}"
    if method == "batchnorm" and not ctx.state.training:
        run = ctx.running
        scale = np.sqrt(run.var[w] + ctx.eps_value)
        slopes = np.divide(1.0, scale, out=np.zeros_like(scale), where=scale > 0)
        how = (
            f"eval mode divides by the running σ = √(running var + ε) = {short(scale[k])} of "
            f"{feat}; the running statistics do not move with x"
        )
        return slopes, how
    if method == "batchnorm" and n < 2:
        notes.append("A batch of one has no variance in training mode: every x̂ is 0.")
        return np.zeros(w.size), "a batch of one: training mode gives x̂ = 0 whatever x is"
    if method in ("batchnorm", "standardize"):
        return _standardize_slopes(ctx, batch, r, k, who, feat, notes)
    if method == "minmax":
        return _minmax_slopes(ctx, batch, r, k, feat, notes)
    if method == "maxabs":
        return _maxabs_slopes(batch, r, k, feat, notes)
    return _robust_slopes(batch, r, k, feat, notes)


def _standardize_slopes(
    ctx: SampleContext,
    batch: FloatArray,
    r: int,
    k: int,
    who: str,
    feat: str,
    notes: list[str],
) -> tuple[FloatArray, str]:
    n = batch.shape[0]
    s = overflow_guard_scale(float(np.max(np.abs(batch))))
    u = batch / s
    mean = u.mean(axis=0)
    var = np.mean((u - mean) ** 2, axis=0)
    if ctx.method == "batchnorm":
        sigma = np.sqrt(var + ctx.eps_value / (s * s))
        flat = sigma == 0
        label = "the batch σ = √(σ² + ε)"
    else:
        tiny = np.finfo(np.float64).eps
        flat = var <= n * tiny * var + (n * mean * tiny) ** 2  # scikit-learn's constant column
        sigma = np.where(flat, 1.0 / s, np.sqrt(var))  # a constant column is divided by 1
        label = "σ"
    xhat = np.divide(u[r] - mean, sigma, out=np.zeros_like(mean), where=sigma > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.where(sigma > 0, (1.0 - 1.0 / n - xhat * xhat / n) / sigma, 0.0) / s
    if np.any(flat):
        notes.append(
            "A feature is constant over the batch: it has no slope of its own (shown: "
            + (
                "0)."
                if ctx.method == "batchnorm"
                else "the slope of x − μ, as it is divided by 1)."
            )
        )
    how = (
        f"{feat} is divided by {label} = {short(float(sigma[k] * s))} over {who}; the mean and "
        f"σ move with x too, which takes 1/{n} + x̂²/{n} off"
    )
    return slopes, how


def _average(up: FloatArray, down: FloatArray, k: int, notes: list[str]) -> FloatArray:
    if up[k] != down[k]:
        notes.append(
            "x ties with another sample at the feature's extreme or quantile: the slope differs "
            "up and down; the average is shown."
        )
    return 0.5 * (up + down)


def _minmax_slopes(
    ctx: SampleContext, batch: FloatArray, r: int, k: int, feat: str, notes: list[str]
) -> tuple[FloatArray, str]:
    lo, hi = ctx.state.feature_range
    low, high = batch.min(axis=0), batch.max(axis=0)
    span = high - low
    flat = span < _TINY
    scale = (hi - lo) / np.where(flat, 1.0, span)
    x = batch[r]
    at_low = x == low
    at_high = x == high
    ties_low = np.sum(batch == low, axis=0) > 1
    ties_high = np.sum(batch == high, axis=0) > 1
    inside = ~at_low & ~at_high
    up = np.where(inside | (at_low & ties_low & ~at_high), scale, 0.0)
    down = np.where(inside | (at_high & ties_high & ~at_low), scale, 0.0)
    slopes = np.where(flat, 0.0, _average(up, down, k, notes))
    if np.any(flat):
        notes.append("A feature is constant: min–max has no slope there (shown as 0).")
    if not flat[k] and not inside[k]:
        notes.append(
            f"x is the {'largest' if at_high[k] else 'smallest'} value of {feat}: min–max pins "
            f"it at {short(hi if at_high[k] else lo)}, and moving it moves the others instead."
        )
    how = (
        f"min–max divides {feat} by its range max − min = {short(float(span[k]))} "
        f"and multiplies by hi − lo = {short(hi - lo)}"
    )
    return slopes, how


def _maxabs_slopes(
    batch: FloatArray, r: int, k: int, feat: str, notes: list[str]
) -> tuple[FloatArray, str]:
    mags = np.abs(batch)
    peak = mags.max(axis=0)
    flat = peak < _TINY
    a = mags[r]
    at_peak = a == peak
    ties = np.sum(mags == peak, axis=0) > 1
    inv = 1.0 / np.where(flat, 1.0, peak)
    up = np.where(~at_peak, inv, np.where(ties & (batch[r] < 0), inv, 0.0))
    down = np.where(~at_peak, inv, np.where(ties & (batch[r] > 0), inv, 0.0))
    slopes = np.where(flat, 0.0, _average(up, down, k, notes))
    if np.any(flat):
        notes.append("A feature is all zeros: max-abs has no slope there (shown as 0).")
    if at_peak[k] and not flat[k]:
        notes.append(f"|x| is the largest of {feat}: max-abs pins x̂ at ±1 there.")
    return slopes, f"max-abs divides {feat} by its largest |x| = {short(float(peak[k]))}"


def _quantile_weight(n: int, p: float, rank: np.ndarray) -> FloatArray:
    """∂(p-th percentile, linear interpolation)/∂(value of this rank)."""
    pos = p / 100.0 * (n - 1)
    below = int(np.floor(pos))
    frac = pos - below
    return np.where(rank == below, 1.0 - frac, 0.0) + np.where(rank == below + 1, frac, 0.0)


def _robust_slopes(
    batch: FloatArray, r: int, k: int, feat: str, notes: list[str]
) -> tuple[FloatArray, str]:
    n = batch.shape[0]
    q25, med, q75 = np.percentile(batch, [25.0, 50.0, 75.0], axis=0)
    iqr = q75 - q25
    flat = iqr < _TINY
    scale = np.where(flat, 1.0, iqr)
    x = batch[r]
    first = np.sum(batch < x, axis=0)  # the rank x takes moving down (bottom of its ties)
    last = np.sum(batch <= x, axis=0) - 1  # and moving up

    def slope(rank: np.ndarray) -> FloatArray:
        w25, w50, w75 = (_quantile_weight(n, p, rank) for p in (25.0, 50.0, 75.0))
        diqr = np.where(flat, 0.0, w75 - w25)
        return (1.0 - w50) / scale - (x - med) * diqr / (scale * scale)

    slopes = _average(slope(last), slope(first), k, notes)
    if np.any(flat):
        notes.append("An interquartile range is 0: scikit-learn divides by 1 there.")
    how = (
        f"robust scaling divides {feat} by its interquartile range Q₇₅ − Q₂₅ = "
        f"{short(float(iqr[k]))}; moving a quartile or the median moves it too"
    )
    return slopes, how
