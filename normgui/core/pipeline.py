"""compute(state) -> Frame: every number and array the views draw, and nothing else.

The views never compute: they take a Frame and draw it. compute is pure and never raises for a
valid State; whatever is odd about the numbers becomes a warning in the Frame, in plain words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from normgui.core.activations import (
    SYMMETRIC,
    RegimeSummary,
    activate,
    activate_grad,
    activate_with_grad,
    activation_curve,
    bounds_for,
    regime_summary,
)
from normgui.core.binning import Histogram, SortedAffine, even_edges, histogram
from normgui.core.context import eps_in_force, gamma_beta
from normgui.core.prepare import HIST_BINS, PreparedInput, prepare
from normgui.core.state import State
from normgui.core.types import FloatArray

# Above this many values, the plots draw binned densities instead of one marker per value.
DENSITY_THRESHOLD: Final = 2000
# The stages plot follows at most this many elements (evenly spread) so it stays readable.
MAX_STAGE_ELEMENTS: Final = 200
# The view shows at least ±VIEW_MIN around 0 (the sigmoid's whole bend) and at most ±VIEW_MAX:
# beyond that every activation is flat, and off-scale points are drawn at the edge.
VIEW_MIN: Final = 6.0
VIEW_MAX: Final = 60.0
# Beyond ±VIEW_MIN each end of the view snaps outward to one of these round values, so that while
# γ or β are dragged the curve plots' axes move in a few steps of about a quarter, not on every
# step (an axis that jumps all the time is hard to read, and costly to redraw).
VIEW_STEPS: Final = (6.0, 8.0, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 60.0)
CURVE_POINTS: Final = 801
DENSITY_BINS: Final = 240


@dataclass(frozen=True, eq=False)
class SeriesFrame:
    """One input (A or B) through every stage, with its statistics.

    The per-value arrays after x̂ (affine, activated, grad) are formed when first asked for: for
    large inputs the plots need only the binned counts, which are computed without them.
    """

    label: str
    raw: FloatArray  # after the input scale and shift
    normalized: FloatArray  # x̂
    gamma: FloatArray  # one value, or one per feature
    beta: FloatArray
    activation: str
    regime: RegimeSummary
    row_mean: FloatArray
    row_std: FloatArray
    col_mean: FloatArray
    col_std: FloatArray
    hist_raw: Histogram
    hist_affine: Histogram
    density: Histogram  # the pre-activations binned over the view, for large inputs
    stage_index: NDArray[np.intp]  # the flat indices the stages plot follows
    below_view: int  # pre-activations left of the view, drawn at its edge
    above_view: int

    @property
    def size(self) -> int:
        return int(self.raw.size)

    @cached_property
    def affine(self) -> FloatArray:
        """y = γ·x̂ + β, the pre-activation (clipped to the float range)."""
        return affine(self.normalized, self.gamma, self.beta)[0]

    @cached_property
    def _activated_and_grad(self) -> tuple[FloatArray, FloatArray]:
        return activate_with_grad(self.affine, self.activation)

    @property
    def activated(self) -> FloatArray:
        """f(y)."""
        return self._activated_and_grad[0]

    @property
    def grad(self) -> FloatArray:
        """f′(y)."""
        return self._activated_and_grad[1]

    @cached_property
    def stage_values(self) -> FloatArray:
        """(elements, 4): raw, x̂, y and f(y) of the elements the stages plot follows."""
        i = self.stage_index
        xhat = self.normalized.flat[i]
        y = affine(xhat, self._gamma_at(i), self._beta_at(i))[0]
        return np.column_stack([self.raw.flat[i], xhat, y, activate(y, self.activation)])

    def _gamma_at(self, flat: NDArray[np.intp]) -> FloatArray:
        return self.gamma if self.gamma.size == 1 else self.gamma[flat % self.raw.shape[1]]

    def _beta_at(self, flat: NDArray[np.intp]) -> FloatArray:
        return self.beta if self.beta.size == 1 else self.beta[flat % self.raw.shape[1]]


@dataclass(frozen=True, eq=False)
class Frame:
    """Everything the views draw for one State."""

    state: State
    a: SeriesFrame
    b: SeriesFrame | None
    z_view: tuple[float, float]
    curve_z: FloatArray
    curve_act: FloatArray
    curve_grad: FloatArray
    curve_tangent: FloatArray
    linear_spans: tuple[tuple[float, float], ...]
    saturated_spans: tuple[tuple[float, float], ...]
    z_linear: float
    z_saturated: float
    regime_text: str
    eps_used: float | None
    use_density: bool
    warnings: tuple[str, ...]

    @property
    def series(self) -> tuple[SeriesFrame, ...]:
        return (self.a,) if self.b is None else (self.a, self.b)


def compute(state: State) -> Frame:
    """Run the whole pipeline for `state`: normalize, apply γ and β, activate, summarize."""
    prepared = prepare(state)
    warnings = list(prepared.warnings)
    inputs = [p for p in (prepared.a, prepared.b) if p is not None]
    use_density = sum(p.raw.size for p in inputs) > DENSITY_THRESHOLD
    params = [gamma_beta(state, p.raw.shape[1]) for p in inputs]
    # Large inputs with one γ and β are counted through their sorted x̂; the others formed.
    pre: Sequence[SortedAffine | FloatArray] | None = None
    if use_density and state.activation in SYMMETRIC:
        pre = _counted_inputs(inputs, params)
    if pre is None:
        pre = _formed_inputs(inputs, params, warnings)
    bounds = [
        y.bounds if isinstance(y, SortedAffine) else (float(y.min()), float(y.max())) for y in pre
    ]
    lo, hi = min(b[0] for b in bounds), max(b[1] for b in bounds)
    z_view = _view_range(lo, hi)
    edges = (even_edges(lo, hi, HIST_BINS), np.linspace(z_view[0], z_view[1], DENSITY_BINS + 1))
    series: list[SeriesFrame] = []
    for label, p, (gamma, beta), y in zip("AB", inputs, params, pre, strict=False):
        if isinstance(y, SortedAffine):
            binned = _count(state, y, edges, z_view)
        else:
            binned = _bin(state, y, edges, z_view)
        s = _series(state, label, p, gamma, beta, binned)
        if binned.below + binned.above:
            warnings.append(
                f"{binned.below + binned.above} value(s) of {label} lie beyond the plotted range "
                f"±{VIEW_MAX:g}; they are marked at its edge"
            )
        series.append(s)
    return Frame(
        state=state,
        a=series[0],
        b=series[1] if len(series) > 1 else None,
        z_view=z_view,
        **_curve(state, z_view),
        regime_text=state.regime.describe(),
        eps_used=eps_in_force(state),
        use_density=use_density,
        warnings=tuple(dict.fromkeys(warnings)),  # each warning once, in order
    )


@dataclass(frozen=True, eq=False)
class _Binned:
    """The pre-activations of one input, summarized: regimes, histograms, what is off view."""

    regime: RegimeSummary
    hist_affine: Histogram
    density: Histogram
    below: int
    above: int
    formed: dict[str, object]  # per-value arrays already formed (none when counted)


def _series(
    state: State,
    label: str,
    p: PreparedInput,
    gamma: FloatArray,
    beta: FloatArray,
    binned: _Binned,
) -> SeriesFrame:
    s = SeriesFrame(
        label=label,
        raw=p.raw,
        normalized=p.normalized,
        gamma=gamma,
        beta=beta,
        activation=state.activation,
        regime=binned.regime,
        row_mean=p.row_mean,
        row_std=p.row_std,
        col_mean=p.col_mean,
        col_std=p.col_std,
        hist_raw=p.hist_raw,
        hist_affine=binned.hist_affine,
        density=binned.density,
        stage_index=_stage_index(p.raw.size),
        below_view=binned.below,
        above_view=binned.above,
    )
    s.__dict__.update(binned.formed)  # arrays already formed: the lazy properties keep them
    return s


def _counted_inputs(
    inputs: Sequence[PreparedInput], params: Sequence[tuple[FloatArray, FloatArray]]
) -> list[SortedAffine] | None:
    """γ·x̂ + β of each input as counts over its sorted x̂, or None where that cannot be done
    (γ or β per feature, or bounds past the float range)."""
    if not all(g.size == 1 and b.size == 1 for g, b in params):
        return None
    counted = [
        SortedAffine(p.normalized_sorted, float(g[0]), float(b[0]))
        for p, (g, b) in zip(inputs, params, strict=True)
    ]
    return counted if all(np.isfinite(c.bounds).all() for c in counted) else None


def _formed_inputs(
    inputs: Sequence[PreparedInput],
    params: Sequence[tuple[FloatArray, FloatArray]],
    warnings: list[str],
) -> list[FloatArray]:
    """γ·x̂ + β of each input, formed value by value."""
    ys = []
    for p, (g, b) in zip(inputs, params, strict=True):
        y, overflowed = affine(p.normalized, g, b)
        if overflowed:
            warnings.append("γ·x̂ + β is beyond the range of floating-point numbers for some values")
        ys.append(y)
    return ys


def _count(
    state: State, c: SortedAffine, edges: tuple[FloatArray, FloatArray], z_view: tuple[float, float]
) -> _Binned:
    """The counted path: every summary from the sorted x̂, no pre-activation formed."""
    below = int(c.count_below(np.array([z_view[0]]))[0])
    above = c.size - int(c.count_below(np.array([z_view[1]]), inclusive=True)[0])
    regime = _counted_regime(c, state)
    return _Binned(regime, c.histogram(edges[0]), c.histogram(edges[1]), below, above, {})


def _bin(
    state: State, y: FloatArray, edges: tuple[FloatArray, FloatArray], z_view: tuple[float, float]
) -> _Binned:
    """The formed path: the summaries of the pre-activations y, and y with f(y) and f′(y)."""
    act, grad = activate_with_grad(y, state.activation)
    regime = regime_summary(y, state.activation, state.regime, act, grad)
    below = int(np.count_nonzero(y < z_view[0]))
    above = int(np.count_nonzero(y > z_view[1]))
    formed: dict[str, object] = {"affine": y, "_activated_and_grad": (act, grad)}
    return _Binned(regime, histogram(y, edges[0]), histogram(y, edges[1]), below, above, formed)


def _curve(state: State, z_view: tuple[float, float]) -> dict[str, Any]:
    """The activation curve over the view, its slope and tangent, and the regime spans."""
    curve = activation_curve(*z_view, state.activation, state.regime, CURVE_POINTS)
    z_lin, z_sat = bounds_for(state.activation, state.regime)
    return {
        "curve_z": curve.z,
        "curve_act": curve.act,
        "curve_grad": curve.grad,
        "curve_tangent": curve.tangent,
        "linear_spans": curve.linear_spans,
        "saturated_spans": curve.saturated_spans,
        "z_linear": z_lin,
        "z_saturated": z_sat,
    }


def _counted_regime(c: SortedAffine, state: State) -> RegimeSummary:
    """Regime fractions and mean slope of γ·x̂ + β for a symmetric activation, by counting."""
    z_lin, z_sat = bounds_for(state.activation, state.regime)
    below = c.count_below(np.array([-z_lin, -z_sat]))
    upto = c.count_below(np.array([z_lin, -z_sat, z_sat]), inclusive=True)
    n = c.size
    linear = int(upto[0] - below[0])
    saturated = int(upto[1] + (n - c.count_below(np.array([z_sat]))[0]))
    if state.activation == "hardsigmoid":  # slope 1/6 on (-3, 3), else 0: count it exactly
        inside = c.count_below(np.array([3.0]))[0] - c.count_below(np.array([-3.0]), True)[0]
        mean_grad = float(inside) / n / 6.0
    else:
        mean_grad = c.mean_of(lambda z: activate_grad(z, state.activation))
    return RegimeSummary(linear / n, saturated / n, mean_grad, n)


def affine(xhat: FloatArray, gamma: FloatArray, beta: FloatArray) -> tuple[FloatArray, bool]:
    """γ·x̂ + β, clipped to the float range, and whether anything had to be clipped."""
    if np.all(gamma == 1.0) and np.all(beta == 0.0):
        return xhat, False
    with np.errstate(over="ignore", invalid="ignore"):
        y = xhat * gamma + beta
    if np.all(np.isfinite(y)):
        return y, False
    limit = np.finfo(np.float64).max
    return np.clip(np.nan_to_num(y, nan=0.0, posinf=limit, neginf=-limit), -limit, limit), True


def _view_range(lo: float, hi: float) -> tuple[float, float]:
    pad = 0.05 * (hi - lo) if np.isfinite(hi - lo) else 0.0
    low = max(-VIEW_MAX, min(-VIEW_MIN, lo - pad))
    high = min(VIEW_MAX, max(VIEW_MIN, hi + pad))
    return (-_snap_out(-low), _snap_out(high))


def _snap_out(extent: float) -> float:
    """The least of VIEW_STEPS that reaches `extent` (which lies within ±VIEW_MAX)."""
    return next(step for step in VIEW_STEPS if step >= extent)


def _stage_index(n: int) -> NDArray[np.intp]:
    if n <= MAX_STAGE_ELEMENTS:
        return np.arange(n, dtype=np.intp)
    return np.linspace(0, n - 1, MAX_STAGE_ELEMENTS).round().astype(np.intp)
