"""Plot 3: each followed element as a polyline through its four stages, raw x → x̂ → γ·x̂ + β →
activation. All the lines of a series are one item, cut between elements by a connect mask."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QFontMetrics

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.pipeline import Frame
from normgui.qt.plots._axes import grid_axes
from normgui.qt.plots._items import SeriesLegend
from normgui.qt.plots._marks import MarkCloud
from normgui.qt.plots._plot import Cover, Ranges
from normgui.qt.plots._same import ab_same
from normgui.qt.plots._stage_scales import (
    PAD,
    SCALINGS,
    FloatArray,
    Scaling,
    StageScales,
    raw_dwarfs_the_rest,
    stage_bounds,
    to_unit,
)
from normgui.qt.plots._strip import Strip
from normgui.qt.plots._style import (
    SeriesStyle,
    font,
    function_symbol,
    new_plot,
    padded,
    pen,
    series_styles,
    set_axis_label,
    style_plot,
)
from normgui.qt.theme import LIGHT, Theme

STAGES = 4


class _Signals(QObject):
    # The plot area draws the frame again on this (a plot is no QObject itself).
    redraw_requested = Signal()


class StagesPlot:
    title = "Stages, element by element"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget(axisItems=grid_axes(), enableMenu=False)  # (see new_plot)
        self.plot = new_plot(self.widget.getPlotItem())
        self.plot.setLabel("left", "value")
        self.plot.setLabel("bottom", "")
        # Line segments rather than one path: Qt strokes a path of hundreds of crossing
        # polylines with a wide or dashed pen many times slower.
        self.lines = tuple(pg.PlotDataItem(antialias=True, name=name) for name in "AB")
        self.marks = (MarkCloud(), MarkCloud())
        for z, line, marks in zip((11, 10), self.lines, self.marks, strict=True):
            line.setZValue(z)
            line.curve.setSegmentedLineMode("on")
            marks.setZValue(z + 10)
            self.plot.addItem(line)
            self.plot.addItem(marks)
        self.strip = Strip(self.plot)
        self.legend = SeriesLegend(self.strip, self.lines)
        self.scales = StageScales()
        self.scales.setVisible(False)
        self.plot.addItem(self.scales, ignoreBounds=True)
        self.scaling: Scaling = "auto"
        self._each = False
        self._signals = _Signals()
        self.redraw_requested = self._signals.redraw_requested
        self._scaling_actions = self._make_scaling_actions()
        self._theme = LIGHT
        self._styles = series_styles(LIGHT)
        self._activation = ""
        self._x_range = (-0.45, STAGES - 0.55)
        self.covers: dict[pg.PlotItem, Cover] = {}  # fixed stages across, nothing to carry on

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._styles = series_styles(theme)
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, self.title)
        # room for the first and last tick labels, which pyqtgraph leaves out if they stick out
        pad = 0.45 if theme.font_pt <= 12 else 0.8
        self._x_range = (-pad, STAGES - 1 + pad)
        # Two-line tick labels, a little smaller on a projector so that four fit side by side;
        # pyqtgraph sizes an axis for one line, so the height is set here.
        tick_font = font(theme, 1.0 if theme.font_pt <= 12 else 0.8)
        # Italic, as symbols are written, and because some fonts (DejaVu Sans upright) misplace
        # the combining hat of x̂; their italic places it right.
        tick_font.setItalic(True)
        self.plot.getAxis("bottom").setTickFont(tick_font)
        lines = QFontMetrics(tick_font).lineSpacing()
        self.plot.getAxis("bottom").setHeight(round(2.4 * lines + theme.font_pt // 2 + 8))
        self.legend.set_style(theme.foreground, theme.font_pt * 0.9)
        self.strip.set_style(font(theme, 0.9), theme.foreground)
        self.legend.set_marks([style.point for style in self._styles])
        self.scales.set_style(font(theme, 0.8), theme.foreground, theme.background)
        self.plot.showGrid(x=True, y=not self._each, alpha=theme.grid_alpha)
        self.plot.getAxis("left").setStyle(showValues=not self._each)

    def _make_scaling_actions(self) -> QActionGroup:
        """Right-click on the plot: one scale for all stages, each its own, or automatic."""
        group = QActionGroup(self.widget)
        view = self.widget.viewport()
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for key, text in SCALINGS.items():
            action = QAction(text, group)
            action.setCheckable(True)
            action.setData(key)
            action.setChecked(key == self.scaling)
            action.triggered.connect(lambda _=False, k=key: self.set_scaling(k))
            view.addAction(action)
        return group

    def draw(self, frame: Frame) -> dict[pg.PlotItem, Ranges]:
        self._name_stages(frame.state.activation)
        lo, hi = stage_bounds([s.stage_values for s in frame.series])
        each = self.scaling == "each" or (self.scaling == "auto" and raw_dwarfs_the_rest(lo, hi))
        self._show_scales(each, lo, hi)
        same = ab_same(frame)
        for i, (line, marks, style) in enumerate(
            zip(self.lines, self.marks, self._styles, strict=True)
        ):
            s = frame.series[i] if i < len(frame.series) else None
            line.setVisible(s is not None)
            marks.setVisible(s is not None)
            if s is None:
                line.clear()
                marks.clear()
                continue
            values = to_unit(s.stage_values, lo, hi) if each else s.stage_values
            self._draw_series(line, marks, style, values, ringed=same and s is frame.b)
        self.legend.set_shown([s is not None for s in (frame.a, frame.b)])
        words = ["B's lines meet A's at <i>x̂</i>"] if same else []
        if each:
            words.append("each stage on its own scale")
        self.strip.set_html("; ".join(words))
        y = padded(0.0, 1.0, PAD) if each else padded(float(lo.min()), float(hi.max()), PAD)
        return {self.plot: (self._x_range, y)}

    def _name_stages(self, activation: str) -> None:
        if activation != self._activation:
            self._activation = activation
            f = function_symbol(activation)
            names = (
                "raw\nx",
                "normalized\nx̂",
                "affine\nγ·x̂ + β",
                f"activated\n{f}(γ·x̂ + β)",
            )
            self.plot.getAxis("bottom").setTicks([list(enumerate(names))])

    def _draw_series(
        self,
        line: pg.PlotDataItem,
        marks: MarkCloud,
        style: SeriesStyle,
        values: FloatArray,
        ringed: bool,
    ) -> None:
        """One series' lines and marks; `ringed`: B, drawn around A's marks it coincides with."""
        n = values.shape[0]
        # Few elements: bold lines that can each be followed; many: thin, light ones.
        many = n > 12
        line_pen = (
            style.line_pen
            if many
            else pen(style.color, self._theme.line_width * 0.8, dashed=style.dashed)
        )
        x = np.tile(np.arange(STAGES, dtype=np.float64), n)
        line.setData(
            x=x,
            y=values.ravel(),
            connect=np.tile(np.array([True, True, True, False]), n),
            pen=line_pen,
        )
        mark = style.point if not many else replace(style.density, size=style.point.size * 0.6)
        if ringed and not many:
            mark = style.ring  # B meets A at x̂: an outline around A's mark from there on
        if mark != marks.style:
            marks.set_style(mark)
        marks.setData(x, values.ravel())

    def set_scaling(self, scaling: Scaling) -> None:
        """Shared, per stage, or per stage when the raw values dwarf the rest ("auto");
        the plot area draws the frame again (redraw_requested)."""
        if scaling not in SCALINGS:
            raise ValueError(f"stage scaling: one of {', '.join(SCALINGS)}, not {scaling!r}")
        self.scaling = scaling
        for action in self._scaling_actions.actions():
            action.setChecked(action.data() == scaling)
        self.redraw_requested.emit()

    def _show_scales(self, each: bool, lo: FloatArray, hi: FloatArray) -> None:
        """The stages' own axes, or the shared one (switched only when it changes: an axis
        redrawn costs more than the rest of the plot)."""
        if each:
            self.scales.set_stages(lo, hi)
        if each == self._each:
            return
        self._each = each
        self.scales.setVisible(each)
        left = self.plot.getAxis("left")
        left.setStyle(showValues=not each)
        set_axis_label(self.plot, "left", "each on its own scale" if each else "value")
        self.plot.showGrid(x=True, y=not each, alpha=self._theme.grid_alpha)
