"""Plots 1 and 3 of the Training page, against the step: learning (training loss above, test
accuracy below) and every hidden layer over training (in the linear regime and saturated, or
the activations' mean and spread — Glorot & Bengio's Figure 2)."""

from __future__ import annotations

from typing import Final

import numpy as np
from PySide6.QtGui import QFontMetricsF

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.training.history import run_series
from normgui.core.training.words import run_names
from normgui.qt.plots._strip import Strip
from normgui.qt.plots._style import brush, font, new_plot, pen, style_plot
from normgui.qt.theme import LIGHT, Theme
from normgui.qt.training._base import (
    RUN_LABELS,
    RecordsPlot,
    SteadyRange,
    View,
    finite_range,
    layer_colour,
    set_series,
    spread,
    thin_lines,
)

# The layers' names at their lines' ends: this far apart at least, in heights of their letters.
LABEL_GAP: Final = 1.0


def stacked(widget: pg.PlotWidget) -> tuple[pg.PlotItem, pg.PlotItem]:
    """Two plot items one above the other in `widget`, sharing the step axis. They are named
    by a label inside each (see inner_label): rotated axis labels of two short plots would
    run into each other."""
    bottom = new_plot(widget.getPlotItem())
    top = new_plot(pg.PlotItem())
    layout = pg.GraphicsLayout()
    widget.setCentralItem(layout)
    layout.addItem(top, row=0, col=0)
    layout.addItem(bottom, row=1, col=0)
    layout.setSpacing(0)
    bottom.setLabel("bottom", "step")
    bottom.setXLink(top)
    top.getAxis("bottom").setStyle(showValues=False)
    for plot in (top, bottom):
        plot.getAxis("left").setWidth(48)
    return top, bottom


def inner_label(plot: pg.PlotItem) -> pg.TextItem:
    """A name at the top of `plot`'s view, centred, wherever the view is zoomed."""
    label = pg.TextItem(anchor=(0.5, 0))
    label.setParentItem(plot.getViewBox())
    label.setZValue(90)
    plot.getViewBox().sigResized.connect(lambda box: label.setPos(box.rect().center().x(), 2))
    return label


def style_label(label: pg.TextItem, theme: Theme) -> None:
    label.setColor(theme.foreground)
    label.setFont(font(theme, 0.9))
    label.fill = brush(theme.background, 190)


class LearningPlot(RecordsPlot):
    """Training loss (mean over the batches between records) and test accuracy, A and B."""

    title = "Learning"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.loss, self.accuracy = stacked(self.widget)
        self.names = (inner_label(self.loss), inner_label(self.accuracy))
        self.names[0].setText("training loss")
        self.names[1].setText("test accuracy")
        self.lines = {
            (plot, run): pg.PlotDataItem(connect="finite", antialias=True)
            for plot in (self.loss, self.accuracy)
            for run in RUN_LABELS
        }
        for (plot, _run), line in self.lines.items():
            plot.addItem(line)
        thin_lines(*self.lines.values())
        self.chance = pg.InfiniteLine(angle=0, movable=False)
        self.chance_label = pg.TextItem(anchor=(0, 1))
        self.accuracy.addItem(self.chance, ignoreBounds=True)
        self.accuracy.addItem(self.chance_label, ignoreBounds=True)
        # The key in a band above the loss, on one line: inside the plot it covered the loss
        # of a run whose loss falls slowly (see Strip).
        self.legend = pg.LegendItem(verSpacing=-4, colCount=2)
        self.key = Strip(self.loss, "above", share=0.3)
        self.key.hold_legend(self.legend)
        self._names: tuple[str, ...] = ()
        self._ranges = (SteadyRange(self.loss), SteadyRange(self.accuracy))
        self._theme = LIGHT

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._drawn = None
        self.widget.setBackground(theme.background)
        style_plot(self.loss, theme, self.title)
        style_plot(self.accuracy, theme, "")
        self.accuracy.setTitle(None)
        for (_plot, run), line in self.lines.items():
            i = RUN_LABELS.index(run)
            line.setPen(pen(theme.series[i], theme.line_width, dashed=i == 1))
        self.chance.setPen(pen(theme.foreground, 1.0, alpha=120, dashed=True))
        for label in self.names:
            style_label(label, theme)
        self.chance_label.setColor(theme.foreground)
        self.chance_label.setFont(font(theme, 0.8))
        self.legend.setBrush(brush(theme.background, 200))
        self.legend.setLabelTextColor(theme.foreground)
        self.legend.setLabelTextSize(f"{theme.font_pt * 0.85:g}pt")
        self._names = ()  # the legend's labels take a new style only when made again

    def draw_records(self, view: View) -> None:
        setup = view.history.setup
        losses, names = [], run_names(view.history.setup)
        for run in RUN_LABELS:
            records = view.records(run)
            for plot in (self.loss, self.accuracy):
                self.lines[plot, run].setVisible(bool(records))
            if not records:
                continue
            s = run_series(records, view.layer_index(run))
            set_series(self.lines[self.loss, run], s.steps, s.loss)
            set_series(self.lines[self.accuracy, run], s.steps, s.test_accuracy)
            losses.append(s.loss)
        shown = tuple(names[run] for run in RUN_LABELS if view.records(run))
        if shown != self._names:
            self._names = shown
            self.legend.clear()
            for run, name in zip(RUN_LABELS, shown, strict=False):
                self.legend.addItem(self.lines[self.loss, run], name)
        info = view.history.info
        self.chance.setVisible(info is not None)
        if info is not None:
            self.chance.setPos(info.chance)
            self.chance_label.setText(f"chance {info.chance:.0%}")
            self.chance_label.setPos(0, info.chance)
        x = (0.0, float(setup.steps))
        top = finite_range(*losses, least=(0.0, 0.1))
        self._ranges[0].show(x, (0.0, top[1]))
        self._ranges[1].show(x, (0.0, 1.02))


class LayersPlot(RecordsPlot):
    """Every hidden layer over training, lighter near the input: the fractions of its
    pre-activations in the linear regime (above) and saturated (below), or the mean and the
    standard deviation of its activations."""

    title = "Layers over training"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.top, self.bottom = stacked(self.widget)
        self.names = (inner_label(self.top), inner_label(self.bottom))
        self._lines: dict[tuple[str, int, int], pg.PlotDataItem] = {}
        self._labels: dict[tuple[str, int], pg.TextItem] = {}
        self._ends: dict[tuple[str, int], tuple[float, float]] = {}  # where each line ends
        self._ranges = (SteadyRange(self.top), SteadyRange(self.bottom))
        self._mode = ""
        self._theme = LIGHT
        # The labels keep apart at whatever size and range the plot has.
        box = self.top.getViewBox()
        box.sigResized.connect(self._place_labels)
        box.sigYRangeChanged.connect(self._place_labels)

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._drawn = None
        self.widget.setBackground(theme.background)
        style_plot(self.top, theme, self.title)
        style_plot(self.bottom, theme, "")
        self.bottom.setTitle(None)
        for label in self.names:
            style_label(label, theme)
        # The lines are made again, in the new colours, at the next show().
        for (_run, _layer, row), line in self._lines.items():
            (self.top if row == 0 else self.bottom).removeItem(line)
        for label in self._labels.values():
            self.top.removeItem(label)
        self._lines.clear()
        self._labels.clear()
        self._ends.clear()

    def _line(self, run: str, layer: int, n_layers: int, row: int) -> pg.PlotDataItem:
        key = (run, layer, row)
        line = self._lines.get(key)
        if line is None:
            i = RUN_LABELS.index(run)
            colour = layer_colour(self._theme, i, layer, n_layers)
            line = pg.PlotDataItem(connect="finite", antialias=True)
            thin_lines(line)
            line.setPen(pen(colour, self._theme.line_width * 0.8, dashed=i == 1))
            (self.top if row == 0 else self.bottom).addItem(line)
            self._lines[key] = line
            if row == 0:
                label = pg.TextItem(f"{run}{layer + 1}", color=colour, anchor=(0, 0.5))
                label.setFont(font(self._theme, 0.8))
                self.top.addItem(label, ignoreBounds=True)
                self._labels[run, layer] = label
        return line

    def draw_records(self, view: View) -> None:
        mode = view.layers_mode
        if mode != self._mode:
            self._mode = mode
            regimes = mode == "regimes"
            words = (
                ("in the linear regime", "saturated")
                if regimes
                else ("activations f(y): mean", "activations f(y): standard deviation")
            )
            for label, text in zip(self.names, words, strict=True):
                label.setText(text)
            for r in self._ranges:
                r.reset()
        tops, bottoms = [], []
        for line in self._lines.values():
            line.setVisible(False)
        for label in self._labels.values():
            label.setVisible(False)
        self._ends.clear()
        for run in RUN_LABELS:
            records = view.records(run)
            if not records:
                continue
            s = run_series(records, view.layer_index(run))
            upper, lower = (s.linear, s.saturated) if mode == "regimes" else (s.mean, s.std)
            n = upper.shape[1]
            for k in range(n):
                for row, values in ((0, upper[:, k]), (1, lower[:, k])):
                    line = self._line(run, k, n, row)
                    set_series(line, s.steps, values)
                    line.setVisible(True)
                if s.steps.size and np.isfinite(upper[-1, k]):
                    self._ends[run, k] = (float(s.steps[-1]), float(upper[-1, k]))
            tops.append(upper)
            bottoms.append(lower)
        x = (0.0, float(view.history.setup.steps) * 1.06)  # room for the layers' names
        if mode == "regimes":
            self._ranges[0].show(x, (0.0, 1.02))
            self._ranges[1].show(x, (0.0, 1.02))
        else:
            self._ranges[0].show(x, finite_range(*tops, least=(0.0, 1.0) if tops else None))
            self._ranges[1].show(x, finite_range(*bottoms, least=(0.0, 0.1)))
        self._place_labels()

    def _place_labels(self) -> None:
        """Each layer's name beside its line's end, none over another: nudged apart by a
        text's height at least, within the plot (B3 was drawn over B2 where they end close)."""
        box = self.top.getViewBox()
        height = box.height()
        (_x0, _x1), (y0, y1) = box.viewRange()
        if height <= 0 or y1 <= y0:
            return
        keys = list(self._ends)
        gap = 0.0
        if keys:
            # The height of the letters (the item's own box has margins around them).
            text = QFontMetricsF(self._labels[keys[0]].textItem.font()).height()
            gap = LABEL_GAP * text * (y1 - y0) / height
        places = spread([self._ends[k][1] for k in keys], gap, y0 + gap / 2, y1 - gap / 2)
        for key, y in zip(keys, places, strict=True):
            label = self._labels[key]
            label.setPos(self._ends[key][0], y)
            label.setVisible(True)
