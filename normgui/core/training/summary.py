"""What a training scene says under its caption, with the numbers of the run itself (never
typed in): each summary reads a History and gives a Readout, or None while there is nothing
to say yet. Scenes name them in their "training": {"summary": [...]}."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import numpy as np

from normgui.core.readouts import Readout, number, percent
from normgui.core.training.words import run_names

# A scene names its summaries when it is read (at start-up); the engine that made the History
# a summary reads is imported when there is one to read.
if TYPE_CHECKING:
    from normgui.core.training.history import History
    from normgui.core.training.records import Record

TARGET_ACCURACY: Final = 0.9  # "how fast": the first record at this test accuracy or more
TRANSFORM_ROWS: Final = 4  # features in the input-transform table: the widest and narrowest


def _finished(history: History) -> dict[str, Record]:
    return {
        run: records[-1]
        for run, records in history.records.items()
        if records and not records[-1].diverged
    }


def accuracy(history: History) -> Readout | None:
    """Test accuracy of A and B at the last record, beside chance."""
    last = _finished(history)
    if not last:
        return None
    names = run_names(history.setup)
    step = max(r.step for r in last.values())
    parts = [f"{names[run]} {percent(record.test_accuracy or 0.0)}" for run, record in last.items()]
    chance = f"; chance is {percent(history.info.chance)}" if history.info else ""
    return Readout((f"Test accuracy at step {step}: " + ", ".join(parts) + chance + ".",))


def speed(history: History) -> Readout | None:
    """The first step at which each run reached TARGET_ACCURACY test accuracy."""
    if not history.records:
        return None
    names = run_names(history.setup)
    parts = []
    for run, records in history.records.items():
        hit = next((r.step for r in records if (r.test_accuracy or 0.0) >= TARGET_ACCURACY), None)
        best = max((r.test_accuracy or 0.0 for r in records), default=0.0)
        parts.append(
            f"{names[run]} at step {hit}"
            if hit is not None
            else f"{names[run]} not yet (best {percent(best)})"
        )
    return Readout((f"{percent(TARGET_ACCURACY)} test accuracy reached: " + "; ".join(parts),))


def drift(history: History) -> Readout | None:
    """Where the tracked unit's input went: its median and 15–85 % band, first and last."""
    from normgui.core.training.history import run_series

    lines = []
    for run, records in history.records.items():
        config = history.setup.runs[run]
        layer = history.setup.layer_index(len(config.hidden))
        s = run_series(records, layer)
        if s.steps.size < 2:
            return None
        (p15, p50, p85), first = s.tracked[-1], s.tracked[0]
        lines.append(
            f"{run}: layer {layer + 1}, unit {s.unit}: median input {number(first[1])} → "
            f"{number(p50)} (15–85 %: {number(p15)} to {number(p85)}) by step {int(s.steps[-1])}"
        )
    return Readout(tuple(lines))


def saturation(history: History) -> Readout | None:
    """The top hidden layer's saturated fraction: its peak, when, and now."""
    from normgui.core.training.history import run_series

    lines = []
    for run, records in history.records.items():
        s = run_series(records, -1)
        if s.steps.size < 2 or not s.saturated.size:
            return None
        top = s.saturated[:, -1]
        peak = int(np.nanargmax(top))
        lines.append(
            f"{run}: top layer saturated {percent(float(top[peak]))} at most "
            f"(step {int(s.steps[peak])}), {percent(float(top[-1]))} at step {int(s.steps[-1])}"
        )
    return Readout(tuple(lines))


def regimes(history: History) -> Readout | None:
    """Each layer's share in the linear regime at the start and now, with its γ and β."""
    records = history.records.get("A", [])
    if len(records) < 2 or not records[-1].layers:
        return None
    first, last = records[0], records[-1]
    rows: list[tuple[str, ...]] = [("layer", "linear at 0", f"at {last.step}", "γ", "β")]
    for k, (start, now) in enumerate(zip(first.layers, last.layers, strict=True)):
        gamma = "—" if now.gamma is None else f"{number(now.gamma.mean)} ± {number(now.gamma.std)}"
        beta = "—" if now.beta is None else f"{number(now.beta.mean)} ± {number(now.beta.std)}"
        rows.append((str(k + 1), percent(start.linear), percent(now.linear), gamma, beta))
    return Readout(
        ("In the sigmoid's linear regime, and the γ, β learned (mean ± spread):",), tuple(rows)
    )


def input_transform(history: History) -> Readout | None:
    """Each run's per-feature input transform x → scale·x + shift, side by side, for the
    features with the widest and the narrowest spread, and how far apart they are overall."""
    transforms = {}
    for run in history.runs:
        snapshot = history.snapshot(run)
        if snapshot is not None and snapshot.transform is not None:
            transforms[run] = snapshot.transform
    if len(transforms) < 2 or history.info is None:
        return None
    names = run_names(history.setup)
    (scale_a, shift_a), (scale_b, shift_b) = transforms["A"], transforms["B"]
    order = np.argsort(scale_a)
    picks = [*order[: TRANSFORM_ROWS // 2], *order[-(TRANSFORM_ROWS // 2) :]]
    rows: list[tuple[str, ...]] = [("feature", "scale A", "scale B", "shift A", "shift B")]
    for i in picks:
        rows.append(
            (
                history.info.feature_names[i],
                number(scale_a[i]),
                number(scale_b[i]),
                number(shift_a[i]),
                number(shift_b[i]),
            )
        )
    ratio = scale_b / scale_a
    line = (
        f"x → scale·x + shift per feature; {names['A']} vs {names['B']} (after training, "
        f"from its running statistics): B's scale is {number(float(np.min(ratio)))} to "
        f"{number(float(np.max(ratio)))} times A's."
    )
    return Readout((line,), tuple(rows))


SUMMARIES: Final[dict[str, Callable[[History], Readout | None]]] = {
    "accuracy": accuracy,
    "speed": speed,
    "drift": drift,
    "saturation": saturation,
    "regimes": regimes,
    "input_transform": input_transform,
}


def summaries(history: History, names: tuple[str, ...]) -> tuple[Readout, ...]:
    """The readouts `names` for `history`, those with something to say."""
    out = (SUMMARIES[name](history) for name in names)
    return tuple(r for r in out if r is not None)
