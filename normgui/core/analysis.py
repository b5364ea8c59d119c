"""The numbers behind the analysis tabs, from a State or a Frame: pure, and called only when a
tab is on screen, so they never slow the live update of the plots.

* A vs B: `stage_differences(frame)` — how far apart A and B are after each stage.
* Invariances: `paper_rows()` (Table 1 of the LayerNorm paper, computed once) and
  `state_invariance(state)` (the data-level table for the method and data in use);
  `transform_changes(state, key)` is the State change that puts the transformed A into B.
* Running statistics: `running_history_table(state)` and `train_eval(state)`.
* Sensitivity: `jacobian` and `sensitivity`, from normgui.core.sensitivity.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from normgui.core.context import (
    affine_parameters,
    eps_in_force,
    normalize_args,
    sample_context,
    scaled,
)
from normgui.core.data_invariance import DATA_TRANSFORMS, data_invariance, data_transform
from normgui.core.formatting import short
from normgui.core.invariance import (
    PAPER_METHODS,
    PAPER_TRANSFORMS,
    RTOL,
    InvarianceCell,
    compare_outputs,
    invariance_cells,
)
from normgui.core.methods import get_method
from normgui.core.normalize import RunningStats, normalize
from normgui.core.pipeline import Frame
from normgui.core.sensitivity import MAX_FEATURES, Sensitivity, jacobian, sensitivity
from normgui.core.state import State
from normgui.core.types import FloatArray

__all__ = [
    "MAX_FEATURES",
    "STAGES",
    "InvarianceRow",
    "PaperRow",
    "RunningHistory",
    "Sensitivity",
    "StageDifference",
    "TrainEval",
    "compare_summary",
    "invariance_rows_used",
    "jacobian",
    "not_comparable",
    "paper_rows",
    "running_history_table",
    "sensitivity",
    "stage_differences",
    "state_invariance",
    "train_eval",
    "transform_changes",
]

# --- A vs B ---------------------------------------------------------------------------------------

STAGES: Final = {
    "raw": "raw input",
    "normalized": "normalized",
    "affine": "after γ and β",
    "activated": "activated",
}


class StageDifference(NamedTuple):
    """How far apart A and B are after one stage: the largest |A − B|, that relative to the
    largest |value|, and whether they are indistinguishable (relative difference ≤ 1e-9)."""

    max_abs: float
    relative: float
    indistinguishable: bool


def not_comparable(frame: Frame) -> str | None:
    """Why A and B cannot be compared value by value, or None when they can."""
    if frame.b is None:
        return "Turn on Compare with B to see how far apart A and B are after each stage."
    if frame.a.raw.shape != frame.b.raw.shape:
        a, b = frame.a.raw.shape, frame.b.raw.shape
        return (
            f"A is {a[0]}×{a[1]} and B is {b[0]}×{b[1]}: they are compared value by value, "
            "so they need the same shape."
        )
    return None


def stage_differences(frame: Frame, rtol: float = RTOL) -> dict[str, StageDifference]:
    """stage → (max |A − B|, relative, indistinguishable); empty when A and B cannot be compared
    (see `not_comparable`)."""
    b = frame.b
    if b is None or not_comparable(frame) is not None:
        return {}
    out: dict[str, StageDifference] = {}
    for stage in STAGES:
        cell = compare_outputs(getattr(frame.a, stage), getattr(b, stage), rtol)
        out[stage] = StageDifference(cell.change, cell.relative_change, bool(cell.invariant))
    return out


def compare_summary(diffs: dict[str, StageDifference], method: str = "") -> str:
    """One sentence on where A and B become (in)distinguishable (`method`: for a remark on
    LayerNorm, which in a network acts on summed inputs)."""
    if not diffs:
        return ""
    same = [k for k, d in diffs.items() if d.indistinguishable]
    if diffs["raw"].indistinguishable:
        return "A and B are the same input."
    if not same:
        return "A and B stay apart through every stage: the network can tell them apart."
    first = next(k for k in STAGES if k in same)
    if diffs["activated"].indistinguishable:
        remark = (
            " (In a network, LayerNorm acts on the summed inputs Wx, where two such inputs "
            "rarely coincide.)"
            if method == "layernorm"
            else ""
        )
        return (
            f"A and B differ as inputs but are indistinguishable from the {STAGES[first]} "
            f"stage on: whatever follows cannot tell them apart.{remark}"
        )
    return f"A and B coincide at the {STAGES[first]} stage but differ at the end."


# --- Invariances ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaperRow:
    """A transformation of Table 1 and, per method of the paper, its cell."""

    key: str
    label: str
    description: str
    cells: dict[str, InvarianceCell]


@functools.cache
def paper_rows(seed: int = 0) -> tuple[PaperRow, ...]:
    """Table 1 of the LayerNorm paper, computed (see normgui.core.invariance), by transformation."""
    cells = invariance_cells(seed)
    return tuple(
        PaperRow(t.key, t.label, t.description, {m: cells[m][t.key] for m in PAPER_METHODS})
        for t in PAPER_TRANSFORMS
    )


@dataclass(frozen=True)
class InvarianceRow:
    """One transformation of the data-level table for the State's method and data.

    `cell` uses the State's own parameters; `exact` the same with ε = 0, filled in when the
    method has an ε > 0 and `cell` shows a change: ε alone may be what breaks the invariance.
    """

    key: str
    label: str
    description: str
    cell: InvarianceCell
    exact: InvarianceCell | None = None

    @property
    def verdict(self) -> str:
        """'invariant', 'nearly' (only ε changes it), 'changes' or 'n/a'."""
        if self.cell.invariant is None:
            return "n/a"
        if self.cell.invariant:
            return "invariant"
        if self.exact is not None and self.exact.invariant:
            return "nearly"
        return "changes"

    @property
    def text(self) -> str:
        """The verdict in words, with the size of the change: never colour alone."""
        change = short(self.cell.change)
        return {
            "invariant": "✓ invariant",
            "nearly": f"≈ invariant: only ε changes the output, by up to {change}",
            "changes": f"✗ changes the output by up to {change}",
            "n/a": f"— not applicable: {self.cell.note}",
        }[self.verdict]


# The data-level table normalizes the data a dozen times: beyond this many values it asks the
# question of the first samples only (the verdicts are properties of the method, not the size).
MAX_INVARIANCE_VALUES: Final = 250_000


def invariance_rows_used(state: State, max_values: int = MAX_INVARIANCE_VALUES) -> int:
    """How many samples of A the data-level table uses: all, or the first that fit max_values."""
    n, d = state.inputs_a.shape
    return n if n * d <= max_values else max(2, min(n, max_values // d))


def state_invariance(
    state: State, max_values: int = MAX_INVARIANCE_VALUES
) -> tuple[InvarianceRow, ...]:
    """The data-level table for the State's method, its parameters and the data A (after the
    input transform): for each of DATA_TRANSFORMS, whether x̂ changes and by how much.

    γ and β come after the normalization and are left out (the change is that of x̂). Large
    data is asked about its first `invariance_rows_used` samples.
    """
    x = scaled(state, state.inputs_a[: invariance_rows_used(state, max_values)])
    kwargs = normalize_args(state, x.shape[1])
    cells = data_invariance(x, state.method, **kwargs)
    has_eps = (eps_in_force(state) or 0.0) > 0
    rows = []
    for t in DATA_TRANSFORMS:
        cell = cells[t.key]
        exact = None
        if has_eps and cell.invariant is False:
            exact = data_invariance(x, state.method, transforms=(t,), **{**kwargs, "eps": 0.0})[
                t.key
            ]
        rows.append(InvarianceRow(t.key, t.label, t.description, cell, exact))
    return tuple(rows)


def transform_changes(state: State, key: str) -> dict[str, Any]:
    """The State changes that make B the transformed A (as the normalization sees them: B goes
    through the same input transform) and turn Compare on. Column methods then take statistics
    from each input on its own, so that B's output is that of the transformed data alone."""
    t = data_transform(key)
    raw_b = t.apply(scaled(state, state.inputs_a))
    s, c = state.input_scale, state.input_shift
    if (s, c) == (1.0, 0.0) or s == 0.0:
        b = raw_b
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            b = (raw_b - c) / s
    changes: dict[str, Any] = {"inputs_b": b, "compare": True}
    if get_method(state.method).statistics_over == "column":
        changes["stats_source"] = "each"
    return changes


# --- Running statistics ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RunningHistory:
    """BatchNorm's running statistics after each Step (step 0: the fresh buffers), against the
    statistics of the data A they are stepped on."""

    steps: NDArray[np.int64]  # 0, 1, …, k
    mean: FloatArray  # (k + 1) × d
    var: FloatArray
    data_mean: FloatArray  # per feature: what the running mean approaches
    data_var: FloatArray  # unbiased (ddof 1): what the running variance approaches
    batch_var: FloatArray  # biased (ddof 0): what training mode divides by
    momentum: float
    note: str = ""

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[1])


def running_history_table(state: State) -> RunningHistory:
    """The running mean and variance over the Steps taken for the current width of A.

    Steps taken with another number of features (before the data changed shape) are left out.
    """
    x = scaled(state, state.inputs_a)
    n, d = x.shape
    kept: list[RunningStats] = []
    for stats in reversed(state.running_history):
        if stats.n_features != d:
            break
        kept.append(stats)
    kept.reverse()
    dropped = len(state.running_history) - len(kept)
    first = RunningStats.initial(d)
    history = [first, *kept]
    note = ""
    if dropped:
        note = f"{dropped} earlier step(s) had another number of features and are not shown."
    data_var = x.var(axis=0, ddof=1) if n > 1 else np.full(d, np.nan)
    if n < 2:
        note = (note + " " if note else "") + "A batch of one has no variance: Step needs two."
    return RunningHistory(
        steps=np.arange(len(history), dtype=np.int64),
        mean=np.array([h.mean for h in history]),
        var=np.array([h.var for h in history]),
        data_mean=x.mean(axis=0),
        data_var=data_var,
        batch_var=x.var(axis=0),
        momentum=state.momentum,
        note=note,
    )


@dataclass(frozen=True, eq=False)
class TrainEval:
    """The selected sample of A through BatchNorm in both modes: y = γ·x̂ + β."""

    sample: int
    x: FloatArray
    train: FloatArray | None  # None: training mode cannot run (a batch of one)
    eval: FloatArray
    note: str = ""


def train_eval(state: State) -> TrainEval:
    """BatchNorm's output for the selected sample of A in training mode (batch statistics) and in
    eval mode (running statistics), whatever the method and the mode in force."""
    bn = state.replace(method="batchnorm", training=True)
    ctx = sample_context(bn)
    gamma, beta = affine_parameters(bn, ctx.n_features)
    x_a = scaled(bn, bn.inputs_a)
    eval_x = normalize(x_a, "batchnorm", eps=bn.eps, training=False, running=ctx.running)
    train_y = None
    note = ""
    if ctx.n_batch >= 2:
        train_x = normalize(ctx.batch, "batchnorm", eps=bn.eps, training=True)
        train_y = train_x[ctx.batch_row] * gamma + beta
    else:
        note = "Training mode needs a batch of at least two samples."
    return TrainEval(ctx.sample, ctx.x, train_y, eval_x[ctx.sample] * gamma + beta, note)
