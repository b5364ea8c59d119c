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
from typing import Final, Literal

import numpy as np

from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import RunningStats, default_eps
from normgui.core.prepare import effective_groups
from normgui.core.state import State
from normgui.core.types import FloatArray

Series = Literal["A", "B"]
SUBSCRIPTS: Final = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")


def sub(index: int) -> str:
    """The 1-based subscript of a 0-based index: sub(2) == '₃'."""
    return str(index + 1).translate(SUBSCRIPTS)


def selection(state: State) -> tuple[int, int]:
    """The selected (sample, feature) of A, clamped to its shape."""
    n, d = state.inputs_a.shape
    return min(state.selected_sample, n - 1), min(state.selected_feature, d - 1)


def scaled(state: State, x: FloatArray) -> FloatArray:
    """`x` after the input scale and shift, as the pipeline computes it."""
    if state.input_scale == 1.0 and state.input_shift == 0.0:
        return x
    limit = np.finfo(np.float64).max
    with np.errstate(over="ignore", invalid="ignore"):
        return np.clip(x * state.input_scale + state.input_shift, -limit, limit)


def joint_batch(state: State) -> bool:
    """Whether the pipeline takes the column statistics over A and B as one batch."""
    b = state.inputs_b
    return (
        state.b_shown
        and b is not None
        and METHOD_SPECS[state.method].statistics_over == "column"
        and state.stats_source == "joint"
        and not (state.method == "batchnorm" and not state.training)
        and b.shape[1] == state.inputs_a.shape[1]
    )


def eps_in_force(state: State) -> float | None:
    """The ε the method uses (the State's, or the method's default), None if it has none."""
    if "eps" not in METHOD_SPECS[state.method].params:
        return None
    return state.eps if state.eps is not None else default_eps(state.method)


def affine_parameters(state: State, n_features: int) -> tuple[FloatArray, FloatArray]:
    """γ and β per feature, as the pipeline applies them (β = 0 for methods without β)."""
    if state.per_feature:
        gamma = per_feature_values(state.gamma_features, n_features, state.gamma)
        beta = per_feature_values(state.beta_features, n_features, state.beta)
    else:
        gamma = np.full(n_features, state.gamma)
        beta = np.full(n_features, state.beta)
    if "beta" not in METHOD_SPECS[state.method].params:
        beta = np.zeros(n_features)
    return gamma, beta


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
        return METHOD_SPECS[self.method].statistics_over

    @property
    def running(self) -> RunningStats:
        """The running statistics eval mode uses for this sample (fresh ones if they do not fit)."""
        running = self.state.running
        d = self.n_features
        return running if running.n_features == d else RunningStats.initial(d)


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
        groups=effective_groups(state.groups, d) if state.method == "groupnorm" else 1,
        joint=joint,
    )
