"""The sample the analysis looks at, with everything its normalization depends on.

The pipeline normalizes whole arrays; the analysis (sensitivity, the explain pane, the running
statistics) looks at one sample and one element. `sample_context` gathers, for the selected
sample of A or B, the numbers the pipeline used for it: the input after the input transform, the
batch its column statistics come from (A and B as one batch when the pipeline does so), γ, β, ε
and the groups in force. It mirrors `normgui.core.pipeline` exactly; the tests check the two
against each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from normgui.core.methods import Method, Stats, get_method
from normgui.core.normalize import RunningStats
from normgui.core.normalize import statistics as normalize_statistics
from normgui.core.state import State
from normgui.core.types import FloatArray

Series = Literal["A", "B"]


def selection(state: State) -> tuple[int, int]:
    """The selected (sample, feature) of A, clamped to its shape."""
    n, d = state.inputs_a.shape
    return min(state.selected_sample, n - 1), min(state.selected_feature, d - 1)


def scaled(state: State, x: FloatArray) -> FloatArray:
    """`x` after the input scale and shift, as the pipeline computes it (clipped to the float
    range: an input transform never makes a finite value infinite)."""
    if state.input_scale == 1.0 and state.input_shift == 0.0:
        return x
    limit = np.finfo(np.float64).max
    with np.errstate(over="ignore", invalid="ignore"):
        return np.clip(x * state.input_scale + state.input_shift, -limit, limit)


def effective_groups(groups: int, n_features: int) -> int:
    """The largest number of groups ≤ `groups` that divides the features (at least 1)."""
    return max(g for g in range(1, min(groups, n_features) + 1) if n_features % g == 0)


def wants_joint_batch(state: State) -> bool:
    """Whether the State asks for A and B as one batch: B shown, a method with statistics over
    each feature taken from the data, and statistics from both inputs."""
    return (
        state.b_shown
        and get_method(state.method).statistics_over == "column"
        and state.stats_source == "joint"
        and not (state.method == "batchnorm" and not state.training)
    )


def joint_batch(state: State) -> bool:
    """Whether the pipeline takes the column statistics over A and B as one batch (as asked,
    and possible: A and B have the same number of features)."""
    b = state.inputs_b
    return wants_joint_batch(state) and b is not None and b.shape[1] == state.inputs_a.shape[1]


def batch_of_a(state: State) -> FloatArray:
    """The samples A's statistics are taken over, after the input transform: A, or A and B."""
    a = scaled(state, state.inputs_a)
    if not joint_batch(state) or state.inputs_b is None:
        return a
    return np.vstack([a, scaled(state, state.inputs_b)])


def eps_in_force(state: State) -> float | None:
    """The ε the method uses (the State's, or the method's default), None if it has none."""
    method = get_method(state.method)
    if method.default_eps is None:
        return None
    return state.eps if state.eps is not None else method.eps_default()


def normalize_args(state: State, n_features: int) -> dict[str, Any]:
    """The keyword arguments of `normalize` (and of a method's statistics) that reproduce the
    State's normalization of data with `n_features` features (γ = 1, β = 0): the groups that
    divide them, running statistics that fit them."""
    return {
        "eps": state.eps if get_method(state.method).default_eps is not None else None,
        "groups": effective_groups(state.groups, n_features),
        "feature_range": state.feature_range,
        "training": state.training,
        "running": state.running.fitted(n_features),
    }


def gamma_beta(state: State, n_features: int) -> tuple[FloatArray, FloatArray]:
    """γ and β as the pipeline applies them: one value each, or one per feature when the
    per-feature switch is on; β = 0 for a method without β."""
    if state.per_feature:
        gamma = per_feature_values(state.gamma_features, n_features, state.gamma)
        beta = per_feature_values(state.beta_features, n_features, state.beta)
    else:
        gamma, beta = np.array([state.gamma]), np.array([state.beta])
    if not get_method(state.method).has_beta:
        beta = np.zeros(1)
    return gamma, beta


def affine_parameters(state: State, n_features: int) -> tuple[FloatArray, FloatArray]:
    """γ and β per feature, as the pipeline applies them (β = 0 for methods without β)."""
    gamma, beta = gamma_beta(state, n_features)
    return np.broadcast_to(gamma, n_features).copy(), np.broadcast_to(beta, n_features).copy()


def per_feature_values(values: tuple[float, ...], n: int, fill: float) -> FloatArray:
    out = np.full(n, fill, dtype=np.float64)
    k = min(n, len(values))
    out[:k] = values[:k]
    return out


@dataclass(frozen=True, eq=False)
class SampleContext:
    """One sample of A or B and what its normalization depends on.

    `x` is the sample after the input transform (what the pipeline normalizes); `batch` holds the
    samples its column statistics are taken over and `batch_row` is the sample's row in it (for
    row methods `batch` is the series itself).
    """

    state: State
    which: Series
    sample: int
    feature: int
    x: FloatArray
    batch: FloatArray
    batch_row: int
    gamma: FloatArray
    beta: FloatArray
    eps: float | None
    groups: int
    joint: bool

    @property
    def method(self) -> str:
        return self.state.method

    @property
    def record(self) -> Method:
        return get_method(self.state.method)

    @property
    def n_features(self) -> int:
        return int(self.x.shape[0])

    @property
    def n_batch(self) -> int:
        return int(self.batch.shape[0])

    @property
    def eps_value(self) -> float:
        return 0.0 if self.eps is None else self.eps

    @property
    def statistics_over(self) -> str:
        return self.record.statistics_over

    @property
    def running(self) -> RunningStats:
        """The running statistics eval mode uses for this sample (fresh ones if they do not fit)."""
        return self.state.running.fitted(self.n_features)

    @property
    def data(self) -> FloatArray:
        """What the method takes its statistics of: the sample alone for a method whose
        statistics are over each sample, else the batch."""
        return self.batch if self.statistics_over == "column" else self.x[np.newaxis, :]

    @property
    def row(self) -> int:
        """The sample's row in `data`."""
        return self.batch_row if self.statistics_over == "column" else 0

    @cached_property
    def _stats_or_refusal(self) -> Stats | str:
        try:
            return self.statistics_of(self.data)
        except ValueError as refused:
            return str(refused)

    @property
    def stats(self) -> Stats | None:
        """The method's statistics of `data`, None where the method refuses it (BatchNorm in
        training mode on a batch of one; the pipeline then shows x̂ = 0 and says why)."""
        stats = self._stats_or_refusal
        return None if isinstance(stats, str) else stats

    @property
    def refusal(self) -> str | None:
        """Why the method refuses `data`, or None."""
        stats = self._stats_or_refusal
        return stats if isinstance(stats, str) else None

    def statistics_of(self, data: FloatArray, features: NDArray[np.intp] | None = None) -> Stats:
        """The method's statistics of `data` with the State's parameters (ValueError if refused);
        `features`: the sample's features `data` holds, where it holds only some."""
        args = normalize_args(self.state, self.n_features)
        if features is not None:
            running = args["running"]
            args["running"] = RunningStats(
                running.mean[features], running.var[features], running.count
            )
        return normalize_statistics(data, self.method, **args)

    @cached_property
    def xhat(self) -> FloatArray:
        """x̂ of the sample, as the pipeline computes it (0 where the method refuses the data)."""
        if self.stats is None:
            return np.zeros(self.n_features)
        return self.stats.normalize(self.data)[self.row]


def sample_context(
    state: State, which: Series = "A", sample: int | None = None, feature: int | None = None
) -> SampleContext:
    """The context of a sample of A or B: by default the selected one (clamped to the data).

    Raises ValueError for B when B is not shown.
    """
    if which not in ("A", "B"):
        raise ValueError(f"the series is A or B, not {which!r}")
    if which == "B" and (not state.b_shown or state.inputs_b is None):
        raise ValueError("B is not shown: turn on Compare with B")
    data = state.inputs_a if which == "A" else state.inputs_b
    assert data is not None
    n, d = data.shape
    sel_sample, sel_feature = selection(state)
    i = min(sel_sample if sample is None else sample, n - 1)
    j = min(sel_feature if feature is None else feature, d - 1)
    if i < 0 or j < 0:
        raise ValueError("the sample and the element are counted from 0")
    raw = scaled(state, data)
    batch, row = raw, i
    joint = joint_batch(state)
    if joint and state.inputs_b is not None:
        raw_a = scaled(state, state.inputs_a)
        raw_b = scaled(state, state.inputs_b)
        batch = np.vstack([raw_a, raw_b])
        row = i if which == "A" else raw_a.shape[0] + i
    gamma, beta = affine_parameters(state, d)
    return SampleContext(
        state=state,
        which=which,
        sample=i,
        feature=j,
        x=raw[i],
        batch=batch,
        batch_row=row,
        gamma=gamma,
        beta=beta,
        eps=eps_in_force(state),
        groups=effective_groups(state.groups, d),
        joint=joint,
    )
