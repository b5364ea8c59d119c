"""What the training plots share: the view they draw (the history up to a record, the layer
looked into), their place in a PlotArea, and steady ranges.

They sit in a PlotArea (normgui.qt.plots) for its layout, theme, presentation mode, PNG and SVG
export; the area hands them the Layer page's Frames too, which are not theirs: `draw` returns
no ranges, so the area leaves each plot's ranges to the plot, set from the records it shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
from PySide6.QtGui import QColor

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.pipeline import Frame
from normgui.core.training.history import History
from normgui.core.training.records import Record
from normgui.qt.plots._plot import Cover, Range, Ranges
from normgui.qt.plots._style import mix, padded
from normgui.qt.theme import Theme

LAYER_MODES: Final = {"regimes": "linear and saturated", "activations": "activations mean, std"}
RUN_LABELS: Final = ("A", "B")


@dataclass(frozen=True, eq=False)
class View:
    """What the training plots show: `history` up to record `upto` (None: the newest), the
    hidden layer `layer` (0 the first, −1 the last), the layers plot in `layers_mode`."""

    history: History
    upto: int | None = None
    layer: int = -1
    layers_mode: str = "regimes"

    def records(self, run: str) -> list[Record]:
        records = self.history.records.get(run, [])
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


class SteadyRange:
    """A plot's ranges, changed only when the data leaves them or fills less than half: axes
    that jump at every record are hard to read and cost a redraw each."""

    def __init__(self, plot: pg.PlotItem) -> None:
        self._plot = plot
        self._shown: Ranges | None = None

    def show(self, x: Range, y: Range) -> None:
        if self._shown is not None:
            (x0, x1), (y0, y1) = self._shown
            if x == (x0, x1) and y0 <= y[0] and y[1] <= y1 and y[1] - y[0] >= 0.5 * (y1 - y0):
                return
        self._shown = (x, y)
        self._plot.setRange(xRange=x, yRange=y, padding=0.0)

    def reset(self) -> None:
        self._shown = None


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
