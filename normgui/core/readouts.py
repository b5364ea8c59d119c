"""Readouts: one or two live lines of plain words computed from a Frame, for the lecture scenes.

A scene names the readouts it shows under its caption (`READOUTS`); each is a pure function of the
Frame the plots draw, so it follows every change the lecturer makes. "A and B coincide after
LayerNorm" is not typed into the scene: it is measured.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import numpy as np

from normgui.core.context import joint_batch, sample_context
from normgui.core.invariance import PAPER_METHODS, PAPER_TRANSFORMS, invariance_cells
from normgui.core.methods import get_method
from normgui.core.normalize import normalize
from normgui.core.pipeline import Frame, compute
from normgui.core.types import FloatArray

# x̂ of A and B count as the same when they differ by less than this, relative to their size:
# rounding leaves ~1e-16; ε > 0 on a re-scaled input leaves ~1e-6, which is not "the same".
SAME_RTOL: Final = 1e-9
_SUPERSCRIPTS: Final = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_SYMBOLS: Final = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "gelu": "GELU"}


@dataclass(frozen=True)
class Readout:
    """What a readout says: `lines` of plain text, and optionally a small table.

    `table` is a header row followed by data rows; `highlight` is the index of the data row to
    emphasise (the method in force), or None.
    """

    lines: tuple[str, ...]
    table: tuple[tuple[str, ...], ...] = ()
    highlight: int | None = None


def number(value: float, digits: int = 3) -> str:
    """`value` with `digits` significant digits, a real minus sign, and powers of ten written
    as 1.9·10⁻⁷ rather than 1.9e-07 (read from a projector, not parsed)."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        power = "10" + str(int(exponent)).translate(_SUPERSCRIPTS)
        text = power if mantissa in ("1", "-1") else f"{mantissa}·{power}"
        if mantissa == "-1":
            text = "-" + text
    return text.replace("-", "−")


def vector(values: FloatArray, digits: int = 3, limit: int = 6) -> str:
    """A short vector: [1.34, −0.447, …] (at most `limit` entries shown)."""
    flat = np.asarray(values, dtype=np.float64).ravel()
    parts = [number(float(v), digits) for v in flat[:limit]]
    if flat.size > limit:
        parts.append("…")
    return "[" + ", ".join(parts) + "]"


def symbol(activation: str) -> str:
    """How the activation is written in a formula: σ for the sigmoid."""
    return _SYMBOLS.get(activation, activation)


def percent(fraction: float) -> str:
    """A share as a whole percentage that never rounds a few values away to 0 % or 100 %."""
    if 0.0 < fraction < 0.01:
        return "<1%"
    if 0.99 < fraction < 1.0:
        return ">99%"
    return f"{100.0 * fraction:.0f}%"


def _label(frame: Frame) -> str:
    return get_method(frame.state.method).label


# --- A and B ----------------------------------------------------------------------------------


def ab_difference(frame: Frame) -> float | None:
    """The largest |x̂_A − x̂_B| element by element, or None when B is not shown or the shapes
    differ (then there is nothing to compare element by element)."""
    if frame.b is None or frame.b.normalized.shape != frame.a.normalized.shape:
        return None
    return float(np.max(np.abs(frame.a.normalized - frame.b.normalized)))


def ab_coincide(frame: Frame, rtol: float = SAME_RTOL) -> bool | None:
    """Whether A and B are the same after the normalization (None: nothing to compare)."""
    diff = ab_difference(frame)
    if diff is None or frame.b is None:
        return None
    scale = max(1.0, float(np.max(np.abs(frame.a.normalized))))
    return diff <= rtol * scale


def ab_readout(frame: Frame) -> Readout:
    """Whether the normalization tells A and B apart, measured."""
    label = _label(frame)
    if frame.b is None:
        return Readout(("Turn on Compare to put B beside A",))
    diff = ab_difference(frame)
    if diff is None:
        return Readout((f"A and B have different shapes: {label} cannot be compared elementwise",))
    verdict = "coincide" if ab_coincide(frame) else "stay apart"
    return Readout((f"A and B {verdict} after {label} (largest difference {number(diff)})",))


# --- regimes, γ and β --------------------------------------------------------------------------


def regime_readout(frame: Frame) -> Readout:
    """γ and β in force and where A (and B) fall: linear, saturated, mean slope."""
    state = frame.state
    f = symbol(state.activation)
    has_beta = get_method(state.method).has_beta
    params = f"γ = {number(state.gamma)}" + (f", β = {number(state.beta)}" if has_beta else "")
    if state.per_feature:
        params = "γ, β per feature"
    parts = []
    for s in frame.series:
        r = s.regime
        parts.append(
            f"{s.label}: {percent(r.linear)} linear, {percent(r.saturated)} saturated, "
            f"mean {f}′ {r.mean_grad:.3f}"
        )
    return Readout((f"{params}  →  " + " · ".join(parts),))


def identity_readout(frame: Frame) -> Readout:
    """How far γ·x̂ + β is from the input x: 0 when γ and β undo the normalization."""
    worst = 0.0
    scale = 0.0
    for s in frame.series:
        worst = max(worst, float(np.max(np.abs(s.affine - s.raw))))
        scale = max(scale, float(np.max(np.abs(s.raw))))
    if worst <= 1e-9 * max(1.0, scale):
        return Readout(
            (f"γ and β give back the input: the output differs from it by {number(worst, 2)}",)
        )
    return Readout((f"The output is not the input: it differs by up to {number(worst, 2)}",))


# --- sensitivity: one step of the input --------------------------------------------------------


def nudge_effect(frame: Frame, delta: float = 1.0) -> tuple[int, int, float, float, float]:
    """What adding `delta` to the selected element of A does to its activation.

    Returns (sample, feature, x, Δf, Δy): the change of the activation and of the
    pre-activation. The whole pipeline runs again on the nudged input, so statistics taken over
    a batch move as they really would.
    """
    state = frame.state
    n, d = state.inputs_a.shape
    i, j = min(state.selected_sample, n - 1), min(state.selected_feature, d - 1)
    nudged = np.array(state.inputs_a)
    nudged[i, j] += delta
    after = compute(state.replace(inputs_a=nudged))
    change = float(after.a.activated[i, j] - frame.a.activated[i, j])
    dy = float(after.a.affine[i, j] - frame.a.affine[i, j])
    return i, j, float(state.inputs_a[i, j]), change, dy


def nudge_readout(frame: Frame) -> Readout:
    """How far one step (+1, one grey level) of the selected input moves its output."""
    i, j, x, change, dy = nudge_effect(frame)
    f = symbol(frame.state.activation)
    where = f"x[{i + 1}, {j + 1}] = {number(x, 4)} → {number(x + 1.0, 4)}"
    if abs(change) < 1e-12:
        moved = f"{f} does not move (it is flat there: saturated)"
    else:
        moved = f"{f} moves by {number(change, 2)} (y by {number(dy, 2)})"
    return Readout((f"One step more, {where}: {moved}",))


# --- statistics: batch, dataset, running --------------------------------------------------------


def _column_stats(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    return x.mean(axis=0), x.var(axis=0)


def _batch(frame: Frame) -> FloatArray:
    """The batch BatchNorm's training mode takes its statistics over: A, or A and B together."""
    if frame.b is not None and joint_batch(frame.state.replace(method="batchnorm", training=True)):
        return np.vstack([frame.a.raw, frame.b.raw])
    return frame.a.raw


def statistics_readout(frame: Frame) -> Readout:
    """The statistics each input was normalized with: its own row's, its batch's, or the
    running ones."""
    state = frame.state
    spec = get_method(state.method)
    if spec.statistics_over == "none":
        return Readout((f"{spec.label} uses no statistics",))
    if spec.statistics_over == "row":
        return Readout(
            tuple(
                f"{s.label}: each sample's own mean {vector(s.row_mean)} · std {vector(s.row_std)}"
                for s in frame.series
            )
        )
    if state.method == "batchnorm" and not state.training:
        return running_readout(frame)
    batches: list[tuple[str, FloatArray]]
    if frame.b is not None and joint_batch(state):
        batches = [("the batch {A, B}", np.vstack([frame.a.raw, frame.b.raw]))]
    else:
        batches = [(s.label, s.raw) for s in frame.series]
    lines = []
    for name, x in batches:
        mean, var = _column_stats(x)
        lines.append(
            f"{name} (n = {x.shape[0]}): mean {vector(mean)} · std {vector(np.sqrt(var))} "
            "per feature"
        )
    return Readout(tuple(lines))


def running_readout(frame: Frame) -> Readout:
    """BatchNorm's statistics: the batch's (biased and unbiased variance) and the running ones
    (moved towards the unbiased variance at every Step), and which are in force."""
    state = frame.state
    batch = _batch(frame)
    n = batch.shape[0]
    running = state.running
    steps = running.count
    run = (
        f"running mean {vector(running.mean)} · var {vector(running.var)} "
        f"after {steps} step{'s' if steps != 1 else ''}"
    )
    if n < 2:
        first = "A batch of one: its variance is 0, so training has nothing to divide by"
        return Readout((first, f"Eval would use the {run}"))
    mean, biased = _column_stats(batch)
    unbiased = batch.var(axis=0, ddof=1)
    this = (
        f"the batch (n = {n}): mean {vector(mean)} · var {vector(biased)}, "
        f"unbiased {vector(unbiased)}"
    )
    if state.method == "batchnorm" and state.training:
        return Readout((f"Training uses {this}", f"Eval would use the {run}"))
    lines = [f"Eval uses the {run}", f"Training would use {this}"]
    if state.method == "batchnorm" and frame.b is None:
        lines.append(_eval_against_training(frame))
    return Readout(tuple(lines))


def _eval_against_training(frame: Frame) -> str:
    """How the eval outputs of A compare with what training mode would give: a factor when
    they are proportional (the running mean has caught up), else the largest difference."""
    evaluated = frame.a.normalized
    trained = normalize(frame.a.raw, "batchnorm", eps=frame.eps_used, training=True)
    norm = float(np.sum(trained * trained))
    ratio = float(np.sum(evaluated * trained)) / norm if norm > 0 else 0.0
    off = float(np.max(np.abs(evaluated - ratio * trained)))
    if norm > 0 and off <= 0.01 * max(1e-12, float(np.max(np.abs(evaluated)))):
        return f"Eval outputs = {ratio:.3f} × the training outputs"
    diff = float(np.max(np.abs(evaluated - trained)))
    return f"Eval outputs differ from the training outputs by up to {number(diff)}"


# --- ε ------------------------------------------------------------------------------------------


def eps_readout(frame: Frame) -> Readout:
    """The variance ε is added to, and how much ε shrinks x̂: √(Var / (Var + ε))."""
    eps = frame.eps_used
    label = _label(frame)
    if eps is None:
        return Readout((f"{label} has no ε",))
    ctx = sample_context(frame.state)
    where = f"sample {ctx.sample + 1}"
    if ctx.statistics_over == "column":
        where = f"feature {ctx.feature + 1}"
    stats = ctx.stats
    if stats is not None and not stats.depends_on_data:
        where += " (running)"
    if stats is None or "var" not in stats.named:
        # ε under no variance (RMSNorm, L2): it only keeps a division by the size from 0/0.
        return Readout((f"ε = {number(eps)} guards the division by the size of {where}",))
    var = float(np.broadcast_to(stats.named["var"], ctx.data.shape)[ctx.row, ctx.feature])
    shrink = 1.0 if math.isinf(var) else math.sqrt(var / (var + eps)) if var + eps > 0 else 0.0
    head = f"Var of {where} = {number(var)}, ε = {number(eps)}"
    if eps > var:
        return Readout((f"{head}: ε dominates, the normalized values shrink to {shrink:.2f}×",))
    return Readout((f"{head}: ε is small next to Var, the normalized values keep {shrink:.2f}×",))


# --- invariances --------------------------------------------------------------------------------

# Table 1's columns, short enough for a projector: what is multiplied by δ or shifted by c (the
# paper's γ, renamed so as not to clash with the gain γ in the same window).
_SHORT_TRANSFORMS: Final = {
    "weight_matrix_rescaling": "weights × δ",
    "weight_matrix_recentering": "weights + c",
    "weight_vector_rescaling": "one unit's weights × δ",
    "dataset_rescaling": "data × δ",
    "dataset_recentering": "data + c",
    "single_case_rescaling": "one case × δ",
}


@functools.cache
def _paper_table() -> tuple[tuple[str, ...], ...]:
    cells = invariance_cells()
    rows = [("", *(_SHORT_TRANSFORMS[t.key] for t in PAPER_TRANSFORMS))]
    for method, label in PAPER_METHODS.items():
        marks = ("✓" if cells[method][t.key].invariant else "✗" for t in PAPER_TRANSFORMS)
        rows.append((label, *marks))
    return tuple(rows)


def invariance_readout(frame: Frame) -> Readout:
    """Table 1 of the LayerNorm paper, recomputed by experiment, with the method in force
    highlighted."""
    methods = list(PAPER_METHODS)
    highlight = methods.index(frame.state.method) if frame.state.method in methods else None
    return Readout((), _paper_table(), highlight)


READOUTS: Final[dict[str, Callable[[Frame], Readout]]] = {
    "ab_difference": ab_readout,
    "regime": regime_readout,
    "identity": identity_readout,
    "nudge": nudge_readout,
    "statistics": statistics_readout,
    "running": running_readout,
    "eps": eps_readout,
    "invariance": invariance_readout,
}


def readouts_for(frame: Frame, names: tuple[str, ...]) -> tuple[Readout, ...]:
    """The readouts `names` for `frame` (each name must be a key of READOUTS)."""
    # Statistics of values near ±1e308 overflow to inf, which the readouts show as such.
    with np.errstate(over="ignore", invalid="ignore"):
        return tuple(READOUTS[name](frame) for name in names)
