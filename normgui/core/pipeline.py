"""compute(state) -> Frame: every number and array the views draw, and nothing else.

The views never compute: they take a Frame and draw it. compute is pure and never raises for a
valid State; whatever is odd about the numbers becomes a warning in the Frame, in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from normgui.core.activations import (
    RegimeSummary,
    activate_with_grad,
    bounds_for,
    is_linear,
    is_saturated,
    regime_summary,
    tangent_at_zero,
)
from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import RunningStats, default_eps, mean_std, normalize
from normgui.core.state import State
from normgui.core.types import FloatArray

# Above this many values, the plots draw binned densities instead of one marker per value.
DENSITY_THRESHOLD: Final = 4000
# The stages plot follows at most this many elements (evenly spread) so it stays readable.
MAX_STAGE_ELEMENTS: Final = 200
# The view shows at least ±VIEW_MIN around 0 (the sigmoid's whole bend) and at most ±VIEW_MAX:
# beyond that every activation is flat, and off-scale points are drawn at the edge.
VIEW_MIN: Final = 6.0
VIEW_MAX: Final = 60.0
CURVE_POINTS: Final = 801
DENSITY_BINS: Final = 240
HIST_BINS: Final = 60


@dataclass(frozen=True, eq=False)
class Histogram:
    """Counts over bins: edges has one more entry than counts."""

    edges: FloatArray
    counts: NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class SeriesFrame:
    """One input (A or B) through every stage, with its statistics."""

    label: str
    raw: FloatArray  # after the input scale and shift
    normalized: FloatArray  # x̂
    affine: FloatArray  # y = γ·x̂ + β, the pre-activation
    activated: FloatArray  # f(y)
    grad: FloatArray  # f'(y)
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
    warnings: list[str] = []
    raw_a = _scaled_input(state, state.inputs_a)
    raw_b = _scaled_input(state, state.inputs_b) if state.b_shown else None
    xhat_a, xhat_b = _normalize_inputs(state, raw_a, raw_b, warnings)
    y_a = _affine(state, xhat_a, warnings)
    y_b = None if xhat_b is None else _affine(state, xhat_b, warnings)
    z_view = _view_range(y_a, y_b)
    hist_edges_raw = _shared_edges(raw_a, raw_b)
    hist_edges_y = _shared_edges(y_a, y_b)
    density_edges = np.linspace(z_view[0], z_view[1], DENSITY_BINS + 1)

    def series(label: str, raw: FloatArray, xhat: FloatArray, y: FloatArray) -> SeriesFrame:
        act, grad = activate_with_grad(y, state.activation)
        row_mean, row_std = mean_std(raw, axis=1)
        col_mean, col_std = mean_std(raw, axis=0)
        return SeriesFrame(
            label=label,
            raw=raw,
            normalized=xhat,
            affine=y,
            activated=act,
            grad=grad,
            regime=regime_summary(y, state.activation, state.regime, act, grad),
            row_mean=row_mean,
            row_std=row_std,
            col_mean=col_mean,
            col_std=col_std,
            hist_raw=_histogram(raw, hist_edges_raw),
            hist_affine=_histogram(y, hist_edges_y),
            density=_histogram(np.clip(y, z_view[0], z_view[1]), density_edges),
            stage_index=_stage_index(raw.size),
            below_view=int(np.count_nonzero(y < z_view[0])),
            above_view=int(np.count_nonzero(y > z_view[1])),
        )

    a = series("A", raw_a, xhat_a, y_a)
    b = None if raw_b is None or xhat_b is None or y_b is None else series("B", raw_b, xhat_b, y_b)
    curve_z = np.linspace(z_view[0], z_view[1], CURVE_POINTS)
    curve_act, curve_grad = activate_with_grad(curve_z, state.activation)
    linear_mask = is_linear(curve_z, state.activation, state.regime, curve_act, curve_grad)
    saturated_mask = is_saturated(curve_z, state.activation, state.regime, curve_grad)
    z_lin, z_sat = bounds_for(state.activation, state.regime)
    total = a.size + (0 if b is None else b.size)
    for s in (a, b):
        if s is not None and s.below_view + s.above_view:
            warnings.append(
                f"{s.below_view + s.above_view} value(s) of {s.label} lie beyond the plotted "
                f"range ±{VIEW_MAX:g}; they are marked at its edge"
            )
    return Frame(
        state=state,
        a=a,
        b=b,
        z_view=z_view,
        curve_z=curve_z,
        curve_act=curve_act,
        curve_grad=curve_grad,
        curve_tangent=tangent_at_zero(curve_z, state.activation),
        linear_spans=_spans(curve_z, linear_mask),
        saturated_spans=_spans(curve_z, saturated_mask),
        z_linear=z_lin,
        z_saturated=z_sat,
        regime_text=state.regime.describe(),
        eps_used=_eps_used(state),
        use_density=total > DENSITY_THRESHOLD,
        warnings=tuple(dict.fromkeys(warnings)),  # each warning once, in order
    )


def _scaled_input(state: State, x: FloatArray | None) -> FloatArray:
    assert x is not None
    if state.input_scale == 1.0 and state.input_shift == 0.0:
        return x
    with np.errstate(over="ignore", invalid="ignore"):
        out = x * state.input_scale + state.input_shift
    return np.clip(out, -np.finfo(np.float64).max, np.finfo(np.float64).max)


def _eps_used(state: State) -> float | None:
    if "eps" not in METHOD_SPECS[state.method].params:
        return None
    return state.eps if state.eps is not None else default_eps(state.method)


def effective_groups(groups: int, n_features: int) -> int:
    """The largest number of groups ≤ `groups` that divides the features (at least 1)."""
    return max(g for g in range(1, min(groups, n_features) + 1) if n_features % g == 0)


def _normalize_inputs(
    state: State, raw_a: FloatArray, raw_b: FloatArray | None, warnings: list[str]
) -> tuple[FloatArray, FloatArray | None]:
    """x̂ for A and B (γ and β are applied later, so the stages can show x̂ on its own)."""
    spec = METHOD_SPECS[state.method]
    joint = (
        raw_b is not None
        and spec.statistics_over == "column"
        and state.stats_source == "joint"
        and not (state.method == "batchnorm" and not state.training)
    )
    if joint and raw_b is not None and raw_b.shape[1] != raw_a.shape[1]:
        warnings.append(
            "A and B have different numbers of features, so they cannot form one batch; "
            "each is normalized with its own statistics"
        )
        joint = False
    if joint and raw_b is not None:
        both = _normalize_one(state, np.vstack([raw_a, raw_b]), "A and B", warnings)
        return both[: raw_a.shape[0]], both[raw_a.shape[0] :]
    xhat_a = _normalize_one(state, raw_a, "A", warnings)
    xhat_b = None if raw_b is None else _normalize_one(state, raw_b, "B", warnings)
    return xhat_a, xhat_b


def _normalize_one(state: State, x: FloatArray, label: str, warnings: list[str]) -> FloatArray:
    method = state.method
    kwargs: dict[str, object] = {"eps": state.eps if "eps" in METHOD_SPECS[method].params else None}
    if method == "groupnorm":
        groups = effective_groups(state.groups, x.shape[1])
        if groups != state.groups:
            warnings.append(
                f"{state.groups} groups do not divide the {x.shape[1]} features of {label}; "
                f"using {groups}"
            )
        kwargs["groups"] = groups
    elif method == "minmax":
        kwargs["feature_range"] = state.feature_range
    elif method == "batchnorm":
        kwargs["training"] = state.training
        if not state.training:
            running = state.running
            if running.n_features != x.shape[1]:
                warnings.append(
                    f"the running statistics have {running.n_features} features but {label} "
                    f"has {x.shape[1]}; fresh statistics (mean 0, variance 1) are used"
                )
                running = RunningStats.initial(x.shape[1])
            kwargs["running"] = running
        elif x.shape[0] < 2:
            warnings.append(
                f"BatchNorm in training mode needs at least two samples, and {label} is a batch "
                "of one: every batch variance is 0 and every x̂ is 0 (PyTorch refuses this). "
                "Add a sample, turn on Compare with B in the same batch, or switch to eval mode."
            )
            return np.zeros_like(x)
    eps = kwargs["eps"]
    if eps == 0.0:
        _warn_zero_spread(state, x, label, warnings)
    return normalize(x, method, **kwargs)  # type: ignore[arg-type]  # kwargs built per method


def _warn_zero_spread(state: State, x: FloatArray, label: str, warnings: list[str]) -> None:
    spec = METHOD_SPECS[state.method]
    axis = 1 if spec.statistics_over == "row" else 0
    spread = np.ptp(x, axis=axis)
    if state.method in ("rmsnorm", "l2"):
        spread = np.max(np.abs(x), axis=axis)
    if np.any(spread == 0):
        warnings.append(
            f"ε = 0 and {label} has a constant {'row' if axis == 1 else 'column'}: "
            "that is 0/0, shown as 0 — this is what ε is there to prevent"
        )


def _affine(state: State, xhat: FloatArray, warnings: list[str]) -> FloatArray:
    n_features = xhat.shape[1]
    if state.per_feature:
        gamma = _fit(state.gamma_features, n_features, state.gamma)
        beta = _fit(state.beta_features, n_features, state.beta)
    else:
        gamma, beta = np.array([state.gamma]), np.array([state.beta])
    if "beta" not in METHOD_SPECS[state.method].params:
        beta = np.zeros(1)
    if np.all(gamma == 1.0) and np.all(beta == 0.0):
        return xhat
    with np.errstate(over="ignore", invalid="ignore"):
        y = xhat * gamma + beta
    if not np.all(np.isfinite(y)):
        warnings.append("γ·x̂ + β is beyond the range of floating-point numbers for some values")
        limit = np.finfo(np.float64).max
        y = np.clip(np.nan_to_num(y, nan=0.0, posinf=limit, neginf=-limit), -limit, limit)
    return y


def _fit(values: tuple[float, ...], n: int, fill: float) -> FloatArray:
    """Per-feature values padded with the scalar (or cut) to the number of features."""
    out = np.full(n, fill, dtype=np.float64)
    k = min(n, len(values))
    out[:k] = values[:k]
    return out


def _view_range(y_a: FloatArray, y_b: FloatArray | None) -> tuple[float, float]:
    lo = float(y_a.min())
    hi = float(y_a.max())
    if y_b is not None:
        lo, hi = min(lo, float(y_b.min())), max(hi, float(y_b.max()))
    pad = 0.05 * (hi - lo) if np.isfinite(hi - lo) else 0.0
    return (
        max(-VIEW_MAX, min(-VIEW_MIN, lo - pad)),
        min(VIEW_MAX, max(VIEW_MIN, hi + pad)),
    )


def _shared_edges(x: FloatArray, other: FloatArray | None) -> FloatArray:
    lo, hi = float(x.min()), float(x.max())
    if other is not None:
        lo, hi = min(lo, float(other.min())), max(hi, float(other.max()))
    if not hi > lo:
        limit = np.finfo(np.float64).max
        pad = max(0.5, abs(lo) * 1e-9)
        lo, hi = max(lo - pad, -limit), min(hi + pad, limit)
    # lo·(1 − t) + hi·t, unlike lo + (hi − lo)·t, cannot overflow for values near ±1e308.
    t = np.linspace(0.0, 1.0, HIST_BINS + 1)
    return lo * (1.0 - t) + hi * t


def _histogram(x: FloatArray, edges: FloatArray) -> Histogram:
    """Counts over evenly spaced `edges` (values outside fall in the end bins).

    One multiply and a bincount: np.histogram with an array of edges sorts the data instead.
    """
    bins = edges.size - 1
    lo, hi = float(edges[0]), float(edges[-1])
    values = x.ravel()
    with np.errstate(over="ignore", divide="ignore"):
        width = hi - lo
        scale = bins / width
    if np.isfinite(width) and np.isfinite(scale):
        index = (values - lo) * scale
    elif np.isfinite(width):  # a range of subnormal width: bins / width overflows
        index = (values - lo) / width * bins
    else:  # a range wider than the float limit: work in halves, which cannot overflow
        index = (values * 0.5 - lo * 0.5) * (bins / (hi * 0.5 - lo * 0.5))
    np.clip(index, 0, bins - 1, out=index)
    counts = np.bincount(index.astype(np.intp), minlength=bins)
    return Histogram(edges, counts.astype(np.int64))


def _stage_index(n: int) -> NDArray[np.intp]:
    if n <= MAX_STAGE_ELEMENTS:
        return np.arange(n, dtype=np.intp)
    return np.linspace(0, n - 1, MAX_STAGE_ELEMENTS).round().astype(np.intp)


def _spans(z: FloatArray, mask: NDArray[np.bool_]) -> tuple[tuple[float, float], ...]:
    """The intervals of z where mask holds, as (start, end) pairs."""
    if not mask.any():
        return ()
    padded = np.concatenate([[False], mask, [False]])
    changes = np.flatnonzero(np.diff(padded.astype(np.int8)))
    starts, ends = changes[0::2], changes[1::2] - 1
    return tuple((float(z[s]), float(z[e])) for s, e in zip(starts, ends, strict=True))
