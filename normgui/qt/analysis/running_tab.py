"""The Running statistics tab (BatchNorm): the running mean and variance per feature over the
Steps taken, against the statistics of the data they approach, and the selected sample's output
in training mode beside eval mode."""

from __future__ import annotations

from typing import Final

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.analysis import RunningHistory, TrainEval, running_history_table, train_eval
from normgui.core.context import selection
from normgui.core.formatting import short
from normgui.core.pipeline import Frame
from normgui.core.sensitivity import window
from normgui.core.state import State
from normgui.qt.analysis.tab import AnalysisTab
from normgui.qt.analysis.verdicts import read_only_table, text_item
from normgui.qt.plots._style import font, new_plot, padded, pen, style_plot
from normgui.qt.store import Store
from normgui.qt.theme import OKABE_ITO, Theme

# Okabe–Ito without yellow, which is too pale for a thin line on white.
LINE_COLOURS: Final = tuple(
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "reddish_purple", "orange", "sky_blue")
)
MAX_LINES: Final = len(LINE_COLOURS)
MAX_ROWS: Final = 64
NOT_BATCHNORM: Final = (
    "Running statistics belong to BatchNorm. Choose BatchNorm in the Normalization panel and "
    "press Step a few times: here the running mean and variance of each feature approach the "
    "statistics of the data, and the training-mode output stands beside the eval-mode one."
)


class RunningPlot:
    """One statistic per feature over the steps (solid, with marks), and the value it approaches
    (a dashed line of the same colour)."""

    def __init__(self, plot: pg.PlotItem, title: str) -> None:
        self.plot = new_plot(plot)
        self.title = title
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.setLabel("bottom", "step")
        self.lines = [pg.PlotDataItem() for _ in range(MAX_LINES)]
        self.targets = [pg.InfiniteLine(angle=0, movable=False) for _ in range(MAX_LINES)]
        for line, target in zip(self.lines, self.targets, strict=True):
            self.plot.addItem(line)
            self.plot.addItem(target, ignoreBounds=True)

    def set_theme(self, theme: Theme) -> None:
        style_plot(self.plot, theme, self.title)
        for i, (line, target) in enumerate(zip(self.lines, self.targets, strict=True)):
            colour = LINE_COLOURS[i]
            line.setPen(pen(colour, theme.line_width * 0.8))
            line.setSymbol("o")
            line.setSymbolSize(max(5.0, theme.marker_size * 0.6))
            line.setSymbolBrush(pg.mkBrush(colour))
            line.setSymbolPen(pen(theme.background, 1.0))
            target.setPen(pen(colour, max(1.0, theme.line_width * 0.6), dashed=True))

    def draw(self, steps: np.ndarray, values: np.ndarray, targets: np.ndarray) -> None:
        """`values`: steps × shown features; `targets`: one per shown feature (NaN: none)."""
        shown = values.shape[1]
        for i, (line, target) in enumerate(zip(self.lines, self.targets, strict=True)):
            line.setVisible(i < shown)
            target.setVisible(i < shown and bool(np.isfinite(targets[i])))
            if i < shown:
                line.setData(steps, values[:, i])
                if np.isfinite(targets[i]):
                    target.setValue(float(targets[i]))
        finite = np.concatenate([values.ravel(), targets[np.isfinite(targets)]])
        self.plot.setRange(
            xRange=padded(0.0, float(max(1, steps[-1])), 0.04),
            yRange=padded(float(finite.min()), float(finite.max()), 0.08),
            padding=0.0,
        )


class RunningTab(AnalysisTab):
    title = "Running statistics"

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.message = QLabel(NOT_BATCHNORM)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setAccessibleName("Running statistics message")

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setAccessibleName("Running statistics plots")
        # Plots with a title, tick labels and an axis label: below this they are flat lines.
        self.graphics.setMinimumSize(200, 240)
        self.mean_plot = RunningPlot(self.graphics.addPlot(row=0, col=0), "running mean")
        self.var_plot = RunningPlot(self.graphics.addPlot(row=0, col=1), "running variance")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("Running statistics caption")
        self.table = read_only_table(
            "Train and eval outputs", ["Feature", "x", "train y", "eval y", "eval − train"], None
        )
        self.table_heading = QLabel()
        right = QVBoxLayout()
        right.setSpacing(2)
        right.addWidget(self.table_heading)
        right.addWidget(self.table, 1)
        left = QVBoxLayout()
        left.setSpacing(2)
        left.addWidget(self.graphics, 1)
        left.addWidget(self.caption)
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(left, 3)
        row.addLayout(right, 2)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)
        self.history: RunningHistory | None = None
        self.outputs: TrainEval | None = None
        self.set_theme(self._theme)

    def set_theme(self, theme: Theme) -> None:
        super().set_theme(theme)
        self.graphics.setBackground(theme.background)
        self.mean_plot.set_theme(theme)
        self.var_plot.set_theme(theme)
        small = font(theme, 0.9)
        for plot in (self.mean_plot.plot, self.var_plot.plot):
            plot.getAxis("bottom").setTickFont(small)
        if self.isVisible():
            self.refresh()

    def show_frame(self, frame: Frame) -> None:
        state = frame.state
        if state.method != "batchnorm":
            self.stack.setCurrentIndex(0)
            self.history = self.outputs = None
            return
        self.stack.setCurrentIndex(1)
        history = self.history = running_history_table(state)
        _, feature = selection(state)
        shown = window(history.n_features, feature, MAX_LINES)
        cols = np.arange(shown.start, shown.stop)
        self.mean_plot.draw(history.steps, history.mean[:, cols], history.data_mean[cols])
        self.var_plot.draw(history.steps, history.var[:, cols], history.data_var[cols])
        features = ", ".join(str(c + 1) for c in cols)
        colours = "solid: the running value after each Step; dashed: the data's mean and "
        self.caption.setText(
            f"Step {int(history.steps[-1])}, momentum {short(history.momentum)} · feature"
            f"{'s' if len(cols) > 1 else ''} {features} · {colours}unbiased variance (÷(n − 1)),"
            f" which the running values approach. {history.note}".strip()
        )
        self._fill_table(state)

    def _fill_table(self, state: State) -> None:
        outputs = self.outputs = train_eval(state)
        mode = "training" if state.training else "eval"
        self.table_heading.setText(
            f"Sample {outputs.sample + 1} of A in both modes (in force: {mode})"
            + (f" — {outputs.note}" if outputs.note else "")
        )
        d = outputs.x.size
        _, feature = selection(state)
        rows = window(d, feature, MAX_ROWS)
        lines = window(d, feature, MAX_LINES)
        self.table.setRowCount(len(rows))
        for r, j in enumerate(rows):
            train = None if outputs.train is None else float(outputs.train[j])
            evaluated = float(outputs.eval[j])
            cells = (
                str(j + 1),
                short(float(outputs.x[j])),
                "—" if train is None else short(train),
                short(evaluated),
                "—" if train is None else short(evaluated - train),
            )
            for c, text in enumerate(cells):
                item = text_item(text)
                if c == 0 and j in lines:  # the colour of its lines in the plots, as a key
                    item.setText(f"■ {text}")
                    item.setForeground(QBrush(QColor(LINE_COLOURS[j - lines.start])))
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
