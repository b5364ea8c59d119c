"""The part of the pipeline that does not depend on γ, β or the activation, cached.

Dragging γ or β changes only the affine step and what follows it, so the normalized values, the
statistics of the raw inputs and their histogram are computed once per input and method and then
reused. The cache is keyed by the identity of the (read-only) input arrays and the parameters
that matter, so it can never return numbers of another State.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

import numpy as np

from normgui.core.binning import Histogram, even_edges, histogram
from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import RunningStats, mean_std, normalize
from normgui.core.state import State
from normgui.core.types import FloatArray

HIST_BINS = 60
_CACHE_SIZE = 2


@dataclass(frozen=True, eq=False)
class PreparedInput:
    """One input (A or B) up to x̂: raw values, their statistics and histogram, and x̂."""

    raw: FloatArray  # after the input scale and shift
    normalized: FloatArray  # x̂
    row_mean: FloatArray
    row_std: FloatArray
    col_mean: FloatArray
    col_std: FloatArray
    hist_raw: Histogram

    @cached_property
    def normalized_sorted(self) -> FloatArray:
        """x̂ sorted, for counting through γ·x̂ + β without forming it (see binning)."""
        return np.sort(self.normalized, axis=None)


@dataclass(frozen=True, eq=False)
class Prepared:
    a: PreparedInput
    b: PreparedInput | None
    warnings: tuple[str, ...]


_cache: list[tuple[tuple[Any, ...], Prepared]] = []


def normalization_key(state: State, with_b: bool = True) -> tuple[Any, ...]:
    """What x̂ depends on: compare two keys with same_key to know whether x̂ can be reused."""
    running = state.running_history[-1] if state.running_history else None
    return (
        state.inputs_a,
        state.inputs_b if with_b and state.b_shown else None,
        state.method,
        state.eps,
        state.groups,
        state.feature_range,
        state.training,
        running,
        state.input_scale,
        state.input_shift,
        state.stats_source,
    )


def same_key(a: tuple[Any, ...] | None, b: tuple[Any, ...]) -> bool:
    if a is None:
        return False
    # Arrays and running statistics by identity (they are immutable), the rest by value.
    return all(
        x is y if isinstance(x, (np.ndarray, RunningStats)) or x is None or y is None else x == y
        for x, y in zip(a, b, strict=True)
    )


def prepare(state: State) -> Prepared:
    """Raw inputs, x̂ and their statistics for `state`, from the cache when nothing changed."""
    key = normalization_key(state)
    for i, (cached_key, prepared) in enumerate(_cache):
        if same_key(cached_key, key):
            _cache.insert(0, _cache.pop(i))
            return prepared
    prepared = _prepare(state)
    _cache.insert(0, (key, prepared))  # the key holds the arrays, so their ids stay unique
    del _cache[_CACHE_SIZE:]
    return prepared


def _prepare(state: State) -> Prepared:
    warnings: list[str] = []
    raw_a = _scaled_input(state, state.inputs_a)
    raw_b = _scaled_input(state, state.inputs_b) if state.b_shown else None
    xhat_a, xhat_b = _normalize_inputs(state, raw_a, raw_b, warnings)
    lo, hi = float(raw_a.min()), float(raw_a.max())
    if raw_b is not None:
        lo, hi = min(lo, float(raw_b.min())), max(hi, float(raw_b.max()))
    edges = even_edges(lo, hi, HIST_BINS)

    def one(raw: FloatArray, xhat: FloatArray) -> PreparedInput:
        row_mean, row_std = mean_std(raw, axis=1)
        col_mean, col_std = mean_std(raw, axis=0)
        return PreparedInput(raw, xhat, row_mean, row_std, col_mean, col_std, histogram(raw, edges))

    a = one(raw_a, xhat_a)
    b = None if raw_b is None or xhat_b is None else one(raw_b, xhat_b)
    return Prepared(a, b, tuple(warnings))


def _scaled_input(state: State, x: FloatArray | None) -> FloatArray:
    assert x is not None
    if state.input_scale == 1.0 and state.input_shift == 0.0:
        return x
    with np.errstate(over="ignore", invalid="ignore"):
        out = x * state.input_scale + state.input_shift
    return np.clip(out, -np.finfo(np.float64).max, np.finfo(np.float64).max)


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
    _warn_zero_spread(state, x, label, warnings, eps_zero=kwargs["eps"] == 0.0)
    return normalize(x, method, **kwargs)  # type: ignore[arg-type]  # kwargs built per method


def _warn_zero_spread(
    state: State, x: FloatArray, label: str, warnings: list[str], eps_zero: bool
) -> None:
    """Say when a row or column the method divides by has no spread: its x̂ is then 0 (or, for
    the scalers, the values are only shifted), which would otherwise look like a bug."""
    if state.method == "identity" or (state.method == "batchnorm" and not state.training):
        return  # nothing divided, or eval mode divides by the running variance
    if not eps_zero and state.method in ("rmsnorm", "l2"):
        return  # only an all-zero row is special, and ε handles it
    spec = METHOD_SPECS[state.method]
    axis = 1 if spec.statistics_over == "row" else 0
    where = "row" if axis == 1 else "column"
    with np.errstate(over="ignore"):  # values ±1e308 apart: a spread of inf, which is not 0
        spread = np.ptp(x, axis=axis)
    if state.method in ("rmsnorm", "l2"):
        spread = np.max(np.abs(x), axis=axis)
    if np.any(spread == 0) and eps_zero:
        warnings.append(
            f"ε = 0 and {label} has a constant {where}: "
            "that is 0/0, shown as 0 — this is what ε is there to prevent"
        )
    elif np.any(spread == 0) and "eps" in spec.params:
        warnings.append(
            f"{label} has a constant {where}: it has no spread, so its x̂ is 0 "
            "(ε keeps this from being 0/0)"
        )
    elif np.any(spread == 0):
        warnings.append(
            f"{label} has a constant {where}: it has no spread, so it is only shifted, "
            "not scaled (a scale of 1, as scikit-learn does)"
        )
    elif eps_zero and np.any(spread < _SQUARE_UNDERFLOW):
        warnings.append(
            f"ε = 0 and a {where} of {label} spans less than 1e-154: the squares in its variance "
            "underflow to 0 (or nearly), so x̂ is shown as 0 or inexact — give ε a value"
        )


# Below this a square is subnormal or 0 in float64: variances of such values are not computed.
_SQUARE_UNDERFLOW: Final = float(np.sqrt(np.finfo(np.float64).tiny))
