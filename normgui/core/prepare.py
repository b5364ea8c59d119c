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
from normgui.core.context import (
    eps_in_force,
    joint_batch,
    normalize_args,
    scaled,
    wants_joint_batch,
)
from normgui.core.methods import Method, Stats, get_method
from normgui.core.normalize import RunningStats, mean_std, statistics
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
    raw_a = scaled(state, state.inputs_a)
    raw_b = scaled(state, state.inputs_b) if state.b_shown and state.inputs_b is not None else None
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


def _normalize_inputs(
    state: State, raw_a: FloatArray, raw_b: FloatArray | None, warnings: list[str]
) -> tuple[FloatArray, FloatArray | None]:
    """x̂ for A and B (γ and β are applied later, so the stages can show x̂ on its own)."""
    if raw_b is not None and wants_joint_batch(state) and not joint_batch(state):
        warnings.append(
            "A and B have different numbers of features, so they cannot form one batch; "
            "each is normalized with its own statistics"
        )
    if raw_b is not None and joint_batch(state):
        both = _normalize_one(state, np.vstack([raw_a, raw_b]), "A and B", warnings)
        return both[: raw_a.shape[0]], both[raw_a.shape[0] :]
    xhat_a = _normalize_one(state, raw_a, "A", warnings)
    xhat_b = None if raw_b is None else _normalize_one(state, raw_b, "B", warnings)
    return xhat_a, xhat_b


def _normalize_one(state: State, x: FloatArray, label: str, warnings: list[str]) -> FloatArray:
    method = get_method(state.method)
    args = normalize_args(state, x.shape[1])
    if "groups" in method.params and args["groups"] != state.groups:
        warnings.append(
            f"{state.groups} groups do not divide the {x.shape[1]} features of {label}; "
            f"using {args['groups']}"
        )
    if "training" in method.params and not state.training and args["running"] is not state.running:
        warnings.append(
            f"the running statistics have {state.running.n_features} features but {label} "
            f"has {x.shape[1]}; fresh statistics (mean 0, variance 1) are used"
        )
    try:
        stats = statistics(x, method.key, **args)
    except ValueError as refused:
        # What the method cannot do with this data (BatchNorm in training mode on a batch of
        # one) is said, and x̂ shown as 0, rather than a picture that fails to draw.
        warnings.append(f"{label}: {refused} Every x̂ is shown as 0.")
        return np.zeros_like(x)
    _warn_zero_spread(method, stats, eps_in_force(state), label, warnings)
    return stats.normalize(x)


def _warn_zero_spread(
    method: Method, stats: Stats, eps: float | None, label: str, warnings: list[str]
) -> None:
    """Say where a convention of the method fired (a row or column without spread: its x̂ is 0,
    or, for the scalers, the values are only shifted), which would otherwise look like a bug;
    and where ε = 0 leaves a division by a spread whose squares underflow."""
    if not stats.depends_on_data:
        return  # nothing divided, or eval mode divides by the running variance
    fired = np.asarray(stats.fired)
    if np.any(fired):
        if eps == 0.0:
            warnings.append(
                f"ε = 0 and {label} has {method.fired_words}: "
                "that is 0/0, shown as 0 — this is what ε is there to prevent"
            )
        elif method.fired_note:
            warnings.append(f"{label} has {method.fired_words}: {method.fired_note}")
    elif eps == 0.0 and np.any(stats.gain < _SQUARE_UNDERFLOW):
        where = "row" if method.statistics_over == "row" else "column"
        warnings.append(
            f"ε = 0 and a {where} of {label} spans less than 1e-154: the squares in its variance "
            "underflow to 0 (or nearly), so x̂ is shown as 0 or inexact — give ε a value"
        )


# Below this a square is subnormal or 0 in float64: variances of such values are not computed.
_SQUARE_UNDERFLOW: Final = float(np.sqrt(np.finfo(np.float64).tiny))
