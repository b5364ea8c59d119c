"""What the training plots share: the view they draw (the history up to a record, the layer
looked into), their place in a PlotArea, and steady ranges.

They sit in a PlotArea (normgui.qt.plots) for its layout, theme, presentation mode, PNG and SVG
export; the area hands them the Layer page's Frames too, which are not theirs: `draw` returns
no ranges, so the area leaves each plot's ranges to the plot, set from the records it shows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.pipeline import Frame
from normgui.core.training.history import History, Snapshot
from normgui.core.training.records import Record
from normgui.qt.plots._area import set_view_range, steady_range
from normgui.qt.plots._plot import Cover, Range, Ranges
from normgui.qt.plots._style import mix, padded
from normgui.qt.theme import Theme

LAYER_MODES: Final = {"regimes": "linear and saturated", "activations": "activations mean, std"}
RUN_LABELS: Final = ("A", "B")


@dataclass(frozen=True, eq=False)
class View:
    """What the training plots show: `history` up to record `upto` (None: the newest), the
    hidden layer `layer` (0 the first, −1 the last), the layers plot in `layers_mode`, and
    `live`: each run's snapshot at the step reached, when that is past its last record (the
    Now plot shows it while following the run). `lockstep` (while training): a run's
    records past those of the other, which is still catching up, wait for it — so that
    each record's step is drawn once, both runs together, not once for each."""

    history: History
    upto: int | None = None
    layer: int = -1
    layers_mode: str = "regimes"
    live: Mapping[str, Snapshot] = field(default_factory=dict)
    lockstep: bool = False
    # How many records of each run are shown (the history grows while this view is kept).
    counts: tuple[int, ...] = field(init=False)

    def __post_init__(self) -> None:
        records = [self.history.records.get(run, []) for run in RUN_LABELS]
        counts = [len(r) for r in records]
        # A run that ended (it diverged) or has not started is not waited for.
        waited = [n for n, r in zip(counts, records, strict=True) if r and not r[-1].diverged]
        if self.lockstep and waited:
            common = min(waited)
            counts = [
                min(n, common) if r and not r[-1].diverged else n
                for n, r in zip(counts, records, strict=True)
            ]
        object.__setattr__(self, "counts", tuple(counts))

    def same_records(self, other: View | None) -> bool:
        """Whether `other` shows the very records this view shows: a plot of the records drawn
        for it has nothing new to draw (a look at the worker between two records brings a new
        step, and the Now plot's points, only)."""
        return (
            other is not None
            and other.history is self.history
            and other.counts == self.counts
            and (other.history.info is None) == (self.history.info is None)
            and (other.upto, other.layer, other.layers_mode)
            == (self.upto, self.layer, self.layers_mode)
        )

    def snapshot(self, run: str) -> Snapshot | None:
        """The run's snapshot shown now: its live one while following the run, if newer than
        the record's."""
        kept = self.history.snapshot(run, self.upto)
        live = self.live.get(run) if self.upto is None else None
        if live is not None and (kept is None or live.step > kept.step):
            return live
        return kept

    def records(self, run: str) -> list[Record]:
        records = self.history.records.get(run, [])[: self.counts[RUN_LABELS.index(run)]]
        return records if self.upto is None else records[: self.upto + 1]

    def layer_index(self, run: str) -> int:
        config = self.history.setup.runs.get(run)
        n = len(config.hidden) if config is not None else 1
        return self.history.setup.replace(layer=self.layer).layer_index(n)


class TrainingPlot:
    """The part of the Plot protocol a training plot shares (see the module's note)."""

    title = ""
    widget: pg.PlotWidget

    @property
    def covers(self) -> Mapping[pg.PlotItem, Cover]:
        return {}

    def draw(self, frame: Frame) -> Mapping[pg.PlotItem, Ranges]:
        return {}

    def set_theme(self, theme: Theme) -> None:
        raise NotImplementedError

    def show(self, view: View) -> None:
        raise NotImplementedError

    def shows(self, view: View) -> bool:
        """Whether the plot shows `view` already (it has nothing new to draw for it)."""
        return False


class RecordsPlot(TrainingPlot):
    """A plot of the records, drawn again only when the records it shows change: a look at
    the worker between two records brings a new step, and the Now plot's points, only."""

    _drawn: View | None = None  # the view drawn last; None after a new theme

    def shows(self, view: View) -> bool:
        return view.same_records(self._drawn)

    def show(self, view: View) -> None:
        if not self.shows(view):
            self._drawn = view
            self.draw_records(view)

    def draw_records(self, view: View) -> None:
        raise NotImplementedError


class SteadyRange:
    """A plot's y range (and its x range, `steady_x`; else the x range is the one asked for,
    as a run's steps), changed only when the data leaves it or fills less than half: axes that
    jump at every record are hard to read, and each change repaints the whole plot (its axes,
    grid and cached layers). A range that changes grows by `headroom` on each side that moved,
    so that data drifting outwards moves it now and then, not at every frame."""

    def __init__(self, plot: pg.PlotItem, headroom: float = 0.0, steady_x: bool = False) -> None:
        self._plot = plot
        self._headroom = headroom
        self._steady_x = steady_x
        self._shown: Ranges | None = None

    def show(self, x: Range, y: Range) -> bool:
        """Show `x` as it is (with `steady_x`, what steady_x() gave: what was drawn across it
        fits it exactly) and `y` kept steady. False if that is what was shown already (the
        plot's range is left alone: a zoom by the mouse stays)."""
        shown = self._shown
        if shown is not None:
            y = self._steady(shown[1], y)
            if (x, y) == shown:
                return False
        self._shown = (x, y)
        set_view_range(self._plot, x, y)
        return True

    def steady_x(self, wanted: Range) -> Range:
        """The x range show() would show for `wanted` (to fit what depends on it first)."""
        if self._shown is None or not self._steady_x:
            return wanted
        return self._steady(self._shown[0], wanted)

    def _steady(self, shown: Range, wanted: Range) -> Range:
        kept = steady_range(shown, wanted, shrink=0.5, headroom=self._headroom)
        # Without headroom a range that changes is exactly the one wanted (steady_range would
        # widen an empty one to a unit range).
        return kept if kept is shown or self._headroom > 0.0 else wanted

    def reset(self) -> None:
        self._shown = None


def spread(values: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Places for labels wanted at `values` (one each, in any order) at least `gap` apart and
    within [lo, hi] where there is room, each as near its value as the others let it be: runs
    of labels too close are pushed apart around their mean, the usual layout of the end labels
    of lines."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    room = max(0.0, hi - lo)

    def placed(wanted: list[float]) -> float:
        """The lowest place of a run of labels wanted at `wanted` (sorted), gap apart."""
        span = (len(wanted) - 1) * gap
        low = sum(wanted) / len(wanted) - span / 2
        return min(max(low, lo), hi - span) if span <= room else lo + (room - span) / 2

    runs: list[tuple[list[float], float]] = []  # bottom up: (wanted places, lowest place)
    for i in order:
        wanted = [float(values[i])]
        runs.append((wanted, placed(wanted)))
        while len(runs) > 1:
            (below, low), (top, top_low) = runs[-2], runs[-1]
            if low + len(below) * gap <= top_low:
                break
            merged = below + top
            runs[-2:] = [(merged, placed(merged))]
    places = [0.0] * len(values)
    k = 0
    for wanted, low in runs:
        for j in range(len(wanted)):
            places[order[k]] = low + j * gap
            k += 1
    return places


class BoxedText(pg.TextItem):
    """A pyqtgraph TextItem whose box (its `fill` and `border`) is a plain rectangle drawn
    without antialiasing: its edges are straight anyway, and Qt's antialiased fill of the
    translucent polygon TextItem draws took some 3 ms a paint, half of a Now plot's frame."""

    fill: QBrush
    border: QPen

    def paint(self, p: QPainter, *args: object) -> None:
        fill, border = self.fill, self.border
        self.fill, self.border = NO_FILL, NO_BORDER
        try:
            super().paint(p, *args)  # (it keeps the item's transform in step with its view)
        finally:
            self.fill, self.border = fill, border
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(border)
        p.setBrush(fill)
        p.drawRect(self.textItem.mapRectToParent(self.textItem.boundingRect()))


NO_FILL: Final = QBrush(Qt.BrushStyle.NoBrush)
NO_BORDER: Final = QPen(Qt.PenStyle.NoPen)


def thin_lines(*lines: pg.PlotDataItem) -> None:
    """Draw `lines` with at most two points (the lowest and the highest) per pixel column, and
    only what is in view: a long run has tens of thousands of records per line."""
    for line in lines:
        line.setDownsampling(auto=True, method="peak")
        line.setClipToView(True)


def finite_range(*arrays: np.ndarray, least: Range | None = None, pad: float = 0.06) -> Range:
    """The padded range of the finite values of `arrays`, covering `least` too."""
    values = [a[np.isfinite(a)] for a in arrays if a.size]
    values = [v for v in values if v.size]
    if not values:
        return least if least is not None else (0.0, 1.0)
    lo = min(float(v.min()) for v in values)
    hi = max(float(v.max()) for v in values)
    if least is not None:
        lo, hi = min(lo, least[0]), max(hi, least[1])
    return padded(lo, hi, pad)


def set_series(line: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
    """`line` through the points (x, y); a lone point (the record at step 0, before any
    training) as a dot, since a line through one point draws nothing."""
    if x.size == 1 and np.isfinite(y).all():  # (no loss is measured before the first step)
        colour = pg.mkPen(line.opts["pen"]).color()
        line.setData(x, y, symbol="o", symbolSize=8, symbolPen=None, symbolBrush=colour)
    else:
        line.setData(x, y, symbol=None)


def layer_colour(theme: Theme, run: int, layer: int, n_layers: int) -> QColor:
    """Run `run`'s colour, lighter for the layers near the input, full for the last one."""
    strength = 0.35 + 0.65 * (layer + 1) / max(1, n_layers)
    return pg.mkColor(mix(theme.series[run], theme.background, strength))
