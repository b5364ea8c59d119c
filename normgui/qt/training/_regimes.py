"""Plots 2 and 4 of the Training page, with the activation's regimes shaded: one tracked unit's
input over training (its 15th, 50th and 85th percentiles — Ioffe & Szegedy's Figure 1 b, c), and
the chosen layer now, its pre-activations on the activation curve with γ and β.

Each run's regimes are its own activation's: B's, when its activation is not A's, are hatched
over A's (see _bands)."""

from __future__ import annotations

import html
from typing import Final

import numpy as np

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import ActivationCurve, activate
from normgui.core.readouts import number, percent
from normgui.core.training.history import Snapshot, run_series
from normgui.core.training.records import LayerRecord
from normgui.core.training.setup import TrainingSetup
from normgui.qt.plots._curves import crowded
from normgui.qt.plots._items import curve_across
from normgui.qt.plots._layers import keep_painted
from normgui.qt.plots._marks import MarkCloud
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
from normgui.qt.training._bands import RECORDS_REGIME, RunBands, bands_key, near_zero
from normgui.qt.training._base import (
    RUN_LABELS,
    BoxedText,
    RecordsPlot,
    SteadyRange,
    TrainingPlot,
    View,
    finite_range,
    set_series,
    thin_lines,
)

# The Now plot's x range grows by this much when its points leave it: while a network learns
# they drift outwards a little at every frame, and each new range repaints the whole plot.
NOW_HEADROOM: Final = 0.25
# The same for the tracked unit's percentiles, which wander at every record.
DRIFT_HEADROOM: Final = 0.1


class DriftPlot(RecordsPlot):
    """The tracked unit's pre-activation percentiles over training, A and B, over the bands."""

    title = "A unit's input over training"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.plot = new_plot(self.widget.getPlotItem())
        self.plot.setLabel("bottom", "step")
        self.bands = RunBands(self.plot, across_x=False)
        self.lines = {
            (run, k): pg.PlotDataItem(connect="finite", antialias=True)
            for run in RUN_LABELS
            for k in range(3)
        }
        thin_lines(*self.lines.values())
        self.fills = {
            run: pg.FillBetweenItem(self.lines[run, 0], self.lines[run, 2]) for run in RUN_LABELS
        }
        for item in [*self.fills.values(), *self.lines.values()]:
            self.plot.addItem(item)
        # What B's hatched bands are, at the bottom of the view, when they are drawn.
        self.key = BoxedText(anchor=(0, 1))
        self.key.setParentItem(self.plot.getViewBox())
        self.key.setZValue(90)
        self.plot.getViewBox().sigResized.connect(
            lambda box: self.key.setPos(4, box.rect().bottom() - 2)
        )
        self._range = SteadyRange(self.plot, headroom=DRIFT_HEADROOM)
        self._title = ""
        self._theme = LIGHT

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._drawn = None
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, self._title or self.title)
        self.bands.set_theme(theme)
        for (run, k), line in self.lines.items():
            i = RUN_LABELS.index(run)
            width = theme.line_width * (1.0 if k == 1 else 0.5)
            line.setPen(pen(theme.series[i], width, dashed=i == 1))
        for run, fill in self.fills.items():
            fill.setBrush(brush(theme.series[RUN_LABELS.index(run)], 40))
        self.key.setColor(theme.foreground)
        self.key.setFont(font(theme, 0.8))
        self.key.fill = brush(theme.background, 190)

    def draw_records(self, view: View) -> None:
        setup = view.history.setup
        activation = setup.a.activation
        values, title = [], self.title
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
        apart = self.bands.show(setup, bool(view.records("B")))
        self.key.setText(bands_key(setup, apart))
        self.key.setVisible(apart)
        if title != self._title:
            self._title = title
            style_plot(self.plot, self._theme, title)
            self.plot.setLabel("left", "pre-activation y")
        least = near_zero(activation)
        if apart:
            b_least = near_zero(setup.b.activation)
            least = (min(least[0], b_least[0]), max(least[1], b_least[1]))
        self._range.show((0.0, float(setup.steps)), finite_range(*values, least=least))


class NowPlot(TrainingPlot):
    """The chosen layer's pre-activations (some probe samples × every unit) on the activation
    curve, with the regimes shaded, and per run: how many are linear or saturated, γ and β.
    While the run is followed, the points are those of the step reached (the records' between
    records), and the step they show is said."""

    title = "Now"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.plot = new_plot(self.widget.getPlotItem())
        self.plot.setLabel("bottom", "pre-activation y")
        self.bands = RunBands(self.plot, across_x=True)
        self.curve = pg.PlotDataItem(antialias=True)
        self.curve.setZValue(10)
        self.plot.addItem(self.curve)
        # B's own curve, drawn when its activation is not A's: its points sit on it.
        self.curve_b = pg.PlotDataItem(antialias=True)
        self.curve_b.setZValue(9)
        self.plot.addItem(self.curve_b)
        keep_painted(self.curve.curve, self.curve_b.curve)  # (they change with the range only)
        self.marks = {run: MarkCloud() for run in RUN_LABELS}
        for z, cloud in zip((31, 30), self.marks.values(), strict=True):
            cloud.setZValue(z)
            self.plot.addItem(cloud, ignoreBounds=True)
        # Top left, inside the view, wherever it is zoomed: a child of the view box.
        self.readout = BoxedText(anchor=(0, 0))
        self.readout.setParentItem(self.plot.getViewBox())
        self.readout.setPos(6, 6)
        self.readout.setZValue(100)
        # Bottom right: the step the points are from.
        self.step = BoxedText(anchor=(1, 1))
        self.step.setParentItem(self.plot.getViewBox())
        self.step.setZValue(100)
        self.plot.getViewBox().sigResized.connect(
            lambda box: self.step.setPos(box.rect().right() - 4, box.rect().bottom() - 2)
        )
        self._readout_html = ""
        self._range = SteadyRange(self.plot, headroom=NOW_HEADROOM, steady_x=True)
        self._curve_key: tuple[object, ...] = ()
        # The setup and whether B has its own curve, as drawn last; and whether the mouse has
        # zoomed or panned the plot since its range was last set.
        self._curves_of: tuple[TrainingSetup, bool] | None = None
        self._zoomed = False
        self.plot.getViewBox().sigRangeChangedManually.connect(self._on_view_range_changed_manually)
        self._shown: tuple[object, ...] = ()  # what the marks and readout were drawn from
        self._theme = LIGHT
        self._styles = series_styles(LIGHT)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._styles = series_styles(theme)
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, self.title)
        self.bands.set_theme(theme)
        self.curve.setPen(pen(theme.curve, theme.line_width * 1.2))
        self.curve_b.setPen(pen(theme.series[1], theme.line_width * 0.8, dashed=True))
        for label, scale in ((self.readout, 0.85), (self.step, 0.8)):
            label.fill = brush(theme.background, 215)
            label.setFont(font(theme, scale))
            label.setColor(theme.foreground)
        self.readout.border = pen(theme.foreground, 1.0, alpha=60)
        self._readout_html = ""
        self._curve_key = ()
        self._shown = ()

    def show(self, view: View) -> None:
        setup = view.history.setup
        snapshots = {run: view.snapshot(run) for run in RUN_LABELS}
        records = {run: view.history.last(run, view.upto) for run in RUN_LABELS}
        shown = (setup, view.layer, *snapshots.values(), *records.values())
        if len(shown) == len(self._shown) and all(
            a is b for a, b in zip(shown, self._shown, strict=True)
        ):
            return  # the very snapshots and records drawn last
        self._shown = shown
        lines, points, reach = [], {}, 6.0
        for run in RUN_LABELS:
            snapshot, record = snapshots[run], records[run]
            if snapshot is None or record is None or not snapshot.ys:
                continue
            layer = view.layer_index(run)
            y = snapshot.ys[min(layer, len(snapshot.ys) - 1)].astype(np.float64).ravel()
            points[run] = y = y[np.isfinite(y)]
            if y.size:
                reach = max(reach, 1.05 * _quantile(np.abs(y), 0.995))
            # The counts are the record's: said with its step when the points are newer.
            at = record.step if record.step != snapshot.step else None
            if record.layers:
                lines.append(_readout(run, record.layers[min(layer, len(record.layers) - 1)], at))
            elif record.diverged:
                lines.append(f"{run}: diverged")
        apart = self.bands.show(setup, "B" in points)
        reach = min(reach, 1e6)
        x = self._range.steady_x((-reach, reach))
        if self._range.show(x, _curves_y(_curves(setup, x, apart))):
            self._zoomed = False  # the range set takes the place of the mouse's
        # A zoom by the mouse stays until a new range is needed: its curves go across it.
        self._draw_curves(setup, self._view_x() if self._zoomed else x, apart)
        self._draw_points(setup, points)
        key = bands_key(setup, apart)
        self._set_readout("<br/>".join(lines + ([f"<i>{key}</i>"] if key and lines else [])))
        self.step.setText(_steps_words(snapshots))

    def _draw_points(self, setup: TrainingSetup, points: dict[str, np.ndarray]) -> None:
        """Each run's points on its own activation curve, one per pixel column of the range
        now shown: thousands of marks (probe samples × units) pile up on a curve a few hundred
        pixels wide, and a mark hidden under its neighbours costs as much to draw as one seen
        (a point's height follows from where it is across, as it lies on the curve)."""
        column = self.plot.getViewBox().viewPixelSize()[0]
        for i, run in enumerate(RUN_LABELS):
            cloud, y = self.marks[run], points.get(run)
            cloud.setVisible(y is not None)
            if y is None:
                continue
            style = crowded(self._styles[i].density, y.size)  # (sized by how many there are)
            if column > 0 and np.isfinite(column) and y.size:
                _, first = np.unique(np.round(y / column), return_index=True)
                y = y[first]
            if cloud.style != style:
                cloud.set_style(style)
            cloud.setData(y, activate(y, setup.runs[run].activation))

    def _draw_curves(self, setup: TrainingSetup, x: tuple[float, float], apart: bool) -> None:
        """A's curve across `x`, and B's when `apart`: drawn again only when the range or an
        activation changed (they are cached pixels, see keep_painted)."""
        self._curves_of = (setup, apart)
        key = (setup.a.activation, setup.b.activation, x, apart)
        if key == self._curve_key:
            return
        self._curve_key = key
        for item, curve in zip((self.curve, self.curve_b), _curves(setup, x, apart), strict=False):
            item.setData(curve.z, curve.act)
        self.curve_b.setVisible(apart)
        self.plot.setLabel("left", f"{function_symbol(setup.a.activation)}(y)")

    def _view_x(self) -> tuple[float, float]:
        (lo, hi), _ = self.plot.viewRange()
        return float(lo), float(hi)

    def _on_view_range_changed_manually(self, _axes: object) -> None:
        """The mouse zoomed or panned the plot: the curves across what it shows now (zoomed
        out, they stopped at the edges of the range before; the bands follow by themselves)."""
        self._zoomed = True
        if self._curves_of is not None:
            setup, apart = self._curves_of
            self._draw_curves(setup, self._view_x(), apart)

    def _set_readout(self, text: str) -> None:
        if text != self._readout_html:  # a relayout of rich text: only when it changed
            self._readout_html = text
            self.readout.setHtml(text)
            self.readout.textItem.setTextWidth(-1)  # one line each: never wrapped to an old width
            self.readout.updateTextPos()
        self.readout.setVisible(bool(text))


def _curves(setup: TrainingSetup, x: tuple[float, float], apart: bool) -> list[ActivationCurve]:
    """A's activation across `x`, and B's when `apart`: the same cached curves as the Layer
    page's, whose regimes the bands shade."""
    runs = (setup.a, setup.b)[: 1 + apart]
    return [curve_across(x, run.activation, RECORDS_REGIME) for run in runs]


def _curves_y(curves: list[ActivationCurve]) -> tuple[float, float]:
    """The y range `curves` need (not only their ends': GELU dips below 0 near y = -0.75)."""
    return finite_range(*(curve.act for curve in curves), least=(0.0, 1.0))


def _quantile(values: np.ndarray, q: float) -> float:
    """The value at quantile `q` of `values` (the one at or just above it, without the
    interpolation of np.percentile, whose overhead outweighs a few thousand values)."""
    k = min(values.size - 1, int(np.ceil(q * (values.size - 1))))
    return float(np.partition(values, k)[k])


def _steps_words(snapshots: dict[str, Snapshot | None]) -> str:
    """The step of the points shown: "step 1234", or each run's where they differ."""
    steps = {run: s.step for run, s in snapshots.items() if s is not None}
    if not steps:
        return ""
    if len(set(steps.values())) == 1:
        return f"step {next(iter(steps.values()))}"
    return " · ".join(f"{run} at step {step}" for run, step in steps.items())


def _readout(run: str, layer: LayerRecord, at: int | None = None) -> str:
    """A run's line of the readout (measured at step `at`, if not the points' step); its γ and
    β on a line of their own, indented, so that the readout stays narrower than the plot."""
    name = f"<b>{run}</b>" + ("" if at is None else f" (step {at})")
    text = f"{name}: " + html.escape(  # (a percentage may read "<0.1%")
        f"{percent(layer.linear)} linear, {percent(layer.saturated)} saturated"
    )
    if layer.gamma is not None and layer.beta is not None:
        text += "<br/>&nbsp;&nbsp;&nbsp;&nbsp;" + html.escape(
            f"γ {number(layer.gamma.mean)} ± {number(layer.gamma.std)}, "
            f"β {number(layer.beta.mean)} ± {number(layer.beta.std)}"
        )
    return text
