"""Plots 2 and 4 of the Training page, with the activation's regimes shaded: one tracked unit's
input over training (its 15th, 50th and 85th percentiles — Ioffe & Szegedy's Figure 1 b, c), and
the chosen layer now, its pre-activations on the activation curve with γ and β."""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence
from typing import Final

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPainter

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import SYMMETRIC, RegimeSettings, activate, bounds_for
from normgui.core.activations import regime_spans as spans_on
from normgui.core.readouts import number, percent
from normgui.core.training.history import run_series
from normgui.core.training.records import LayerRecord
from normgui.qt.plots._curves import crowded
from normgui.qt.plots._items import Bands, extend_spans
from normgui.qt.plots._marks import MarkCloud, ViewSpanning
from normgui.qt.plots._style import (
    brush,
    font,
    function_symbol,
    new_plot,
    pen,
    series_styles,
    style_plot,
)
from normgui.qt.theme import LIGHT, Theme
from normgui.qt.training._base import (
    RUN_LABELS,
    SteadyRange,
    TrainingPlot,
    View,
    finite_range,
    set_series,
)

Span = tuple[float, float]
FAR: Final = 1e300  # saturation runs on past any view
# Where the regimes of an activation that is not symmetric are looked for, and how finely:
# past ±20 every activation keeps the regime it has there (extend_spans carries it on).
GRID_REACH: Final = 20.0
GRID_POINTS: Final = 8001


@functools.lru_cache(maxsize=16)
def regime_spans(activation: str) -> tuple[list[Span], list[Span]]:
    """The linear band and the saturation zones of `activation` on its input axis, with the
    default regime settings, as the records count them. A symmetric activation's are two exact
    bounds; ReLU's and GELU's are found on a fine grid, as the Layer page's plots find them."""
    if activation in SYMMETRIC:
        z_lin, z_sat = bounds_for(activation, RegimeSettings())
        return [(-z_lin, z_lin)], [(-FAR, -z_sat), (z_sat, FAR)]
    z = np.linspace(-GRID_REACH, GRID_REACH, GRID_POINTS)
    grid = (-GRID_REACH, GRID_REACH)
    linear, saturated = spans_on(z, activation, RegimeSettings())
    return extend_spans(linear, grid, -FAR, FAR), extend_spans(saturated, grid, -FAR, FAR)


def near_zero(activation: str) -> Span:
    """The least value range of a plot of `activation`'s input: its linear band and a little
    more (a band that runs on, ReLU's, gives ±1)."""
    linear, _ = regime_spans(activation)
    inner = [b for a, b in linear if a <= 0 <= b and b < FAR]
    reach = 1.15 * inner[0] if inner else 1.0
    return -reach, reach


class HBands(ViewSpanning):
    """Horizontal shaded bands across the whole width of a plot (Bands, turned a quarter)."""

    def __init__(self, plot: pg.PlotItem) -> None:
        super().__init__()
        self._spans: list[Span] = []
        self._brush: QBrush = pg.mkBrush(None)
        self.setZValue(-20)
        plot.addItem(self, ignoreBounds=True)

    def set_brush(self, fill: QBrush) -> None:
        self._brush = fill
        self.update()

    def set_spans(self, spans: Sequence[Span]) -> None:
        if list(spans) != self._spans:
            self._spans = list(spans)
            self.update()

    def paint(self, p: QPainter, *args: object) -> None:
        view = self.viewRect()
        if view is None:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(self._brush)
        for a, b in self._spans:
            low, high = max(a, view.top()), min(b, view.bottom())
            if high > low:
                p.drawRect(QRectF(view.left(), low, view.width(), high - low))


class DriftPlot(TrainingPlot):
    """The tracked unit's pre-activation percentiles over training, A and B, over the bands."""

    title = "A unit's input over training"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.plot = new_plot(self.widget.getPlotItem())
        self.plot.setLabel("bottom", "step")
        self.linear = HBands(self.plot)
        self.saturated = HBands(self.plot)
        self.lines = {
            (run, k): pg.PlotDataItem(connect="finite", antialias=True)
            for run in RUN_LABELS
            for k in range(3)
        }
        self.fills = {
            run: pg.FillBetweenItem(self.lines[run, 0], self.lines[run, 2]) for run in RUN_LABELS
        }
        for item in [*self.fills.values(), *self.lines.values()]:
            self.plot.addItem(item)
        self._range = SteadyRange(self.plot)
        self._title = ""
        self._theme = LIGHT

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, self._title or self.title)
        self.linear.set_brush(brush(theme.linear_band))
        self.saturated.set_brush(brush(theme.saturation_band))
        for (run, k), line in self.lines.items():
            i = RUN_LABELS.index(run)
            width = theme.line_width * (1.0 if k == 1 else 0.5)
            line.setPen(pen(theme.series[i], width, dashed=i == 1))
        for run, fill in self.fills.items():
            fill.setBrush(brush(theme.series[RUN_LABELS.index(run)], 40))

    def show(self, view: View) -> None:
        setup = view.history.setup
        activation = setup.a.activation
        linear, saturated = regime_spans(activation)
        self.linear.set_spans(linear)
        self.saturated.set_spans(saturated)
        values = []
        title = self.title
        for run in RUN_LABELS:
            records = view.records(run)
            for k in range(3):
                self.lines[run, k].setVisible(bool(records))
            self.fills[run].setVisible(bool(records))
            if not records:
                continue
            layer = view.layer_index(run)
            s = run_series(records, layer)
            for k in range(3):
                set_series(self.lines[run, k], s.steps, s.tracked[:, k])
            values.append(s.tracked)
            if run == "A":
                symbol = function_symbol(activation)
                title = f"Layer {layer + 1}, unit {s.unit}: its {symbol} input, 15/50/85 %"
        if title != self._title:
            self._title = title
            style_plot(self.plot, self._theme, title)
            self.plot.setLabel("left", "pre-activation y")
        least = near_zero(activation)
        self._range.show((0.0, float(setup.steps)), finite_range(*values, least=least))


class NowPlot(TrainingPlot):
    """The chosen layer's pre-activations (some probe samples × every unit) on the activation
    curve, with the regimes shaded, and per run: how many are linear or saturated, γ and β."""

    title = "Now"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.plot = new_plot(self.widget.getPlotItem())
        self.plot.setLabel("bottom", "pre-activation y")
        self.linear = Bands(self.plot)
        self.saturated = Bands(self.plot)
        self.curve = pg.PlotDataItem(antialias=True)
        self.curve.setZValue(10)
        self.plot.addItem(self.curve)
        # B's own curve, drawn when its activation is not A's: its points sit on it.
        self.curve_b = pg.PlotDataItem(antialias=True)
        self.curve_b.setZValue(9)
        self.plot.addItem(self.curve_b)
        self.marks = {run: MarkCloud() for run in RUN_LABELS}
        for z, cloud in zip((31, 30), self.marks.values(), strict=True):
            cloud.setZValue(z)
            self.plot.addItem(cloud, ignoreBounds=True)
        # Top left, inside the view, wherever it is zoomed: a child of the view box.
        self.readout = pg.TextItem(anchor=(0, 0))
        self.readout.setParentItem(self.plot.getViewBox())
        self.readout.setPos(6, 6)
        self.readout.setZValue(100)
        self._readout_html = ""
        self._range = SteadyRange(self.plot)
        self._key: tuple[object, ...] = ()
        self._theme = LIGHT
        self._styles = series_styles(LIGHT)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._styles = series_styles(theme)
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, self.title)
        self.linear.set_brush(brush(theme.linear_band))
        self.saturated.set_brush(brush(theme.saturation_band))
        self.curve.setPen(pen(theme.curve, theme.line_width * 1.2))
        self.curve_b.setPen(pen(theme.series[1], theme.line_width * 0.8, dashed=True))
        self.readout.fill = brush(theme.background, 215)
        self.readout.border = pen(theme.foreground, 1.0, alpha=60)
        self.readout.setFont(font(theme, 0.85))
        self.readout.setColor(theme.foreground)
        self._readout_html = ""
        self._key = ()

    def show(self, view: View) -> None:
        setup = view.history.setup
        activation, activation_b = setup.a.activation, setup.b.activation
        lines, reach = [], 6.0
        for i, run in enumerate(RUN_LABELS):
            snapshot = view.history.snapshot(run, view.upto)
            record = view.history.last(run, view.upto)
            cloud = self.marks[run]
            if snapshot is None or record is None or not snapshot.ys:
                cloud.setVisible(False)
                continue
            layer = view.layer_index(run)
            y = snapshot.ys[min(layer, len(snapshot.ys) - 1)].astype(np.float64).ravel()
            y = y[np.isfinite(y)]
            cloud.set_style(crowded(self._styles[i].density, y.size))
            cloud.setData(y, activate(y, setup.runs[run].activation))
            cloud.setVisible(True)
            if y.size:
                reach = max(reach, 1.05 * float(np.percentile(np.abs(y), 99.5)))
            if record.layers:
                lines.append(_readout(run, record.layers[min(layer, len(record.layers) - 1)]))
            elif record.diverged:
                lines.append(f"{run}: diverged")
        reach = min(reach, 1e6)
        x = (-reach, reach)
        key = (activation, activation_b, x)
        if key != self._key:
            self._key = key
            z = np.linspace(x[0], x[1], 600)
            self.curve.setData(z, activate(z, activation))
            self.curve_b.setData(z, activate(z, activation_b))
            linear, saturated = regime_spans(activation)
            self.linear.set_spans(linear)
            self.saturated.set_spans(saturated)
            symbol = function_symbol(activation)
            self.plot.setLabel("left", f"{symbol}(y)")
        b_apart = activation_b != activation and self.marks["B"].isVisible()
        self.curve_b.setVisible(b_apart)
        ends = np.array(x)
        curve_y = [activate(ends, a) for a in (activation, activation_b)[: 1 + b_apart]]
        self._range.show(x, finite_range(*curve_y, least=(0.0, 1.0)))
        text = "<br/>".join(lines)
        if text != self._readout_html:  # a relayout of rich text: only when it changed
            self._readout_html = text
            self.readout.setHtml(text)
            self.readout.textItem.setTextWidth(-1)  # one line each: never wrapped to an old width
            self.readout.updateTextPos()
        self.readout.setVisible(bool(text))


def _readout(run: str, layer: LayerRecord) -> str:
    """A run's line of the readout; its γ and β on a line of their own, indented, so that the
    readout stays narrower than the plot."""
    text = f"<b>{run}</b>: " + html.escape(  # (a percentage may read "<0.1%")
        f"{percent(layer.linear)} linear, {percent(layer.saturated)} saturated"
    )
    if layer.gamma is not None and layer.beta is not None:
        text += "<br/>&nbsp;&nbsp;&nbsp;&nbsp;" + html.escape(
            f"γ {number(layer.gamma.mean)} ± {number(layer.gamma.std)}, "
            f"β {number(layer.beta.mean)} ± {number(layer.beta.std)}"
        )
    return text
