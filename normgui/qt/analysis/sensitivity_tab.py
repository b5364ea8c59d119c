"""The Sensitivity tab: the Jacobian ∂yᵢ/∂xⱼ of the selected sample as a heat map with a colour
bar, and the selected element in words ("a change of 1 in x₃ moves y₃ by 0.6261").

Clicking a cell selects its input element.
"""

from __future__ import annotations

import html
from typing import Final

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent

from normgui.core.analysis import Sensitivity, sensitivity
from normgui.core.formatting import short
from normgui.core.pipeline import Frame
from normgui.qt.analysis.fonts import math_font
from normgui.qt.analysis.tab import AnalysisTab
from normgui.qt.plots._style import font, pen, style_plot, without_menu
from normgui.qt.store import Store
from normgui.qt.theme import Theme

COLOUR_MAP: Final = "CET-D1"  # diverging blue–white–red: 0 is white, the sign is the hue
MAX_LABELLED: Final = 8  # cell values are written in the cells up to this many features
MAX_TICKS: Final = 16
# Entries smaller than ZERO_SHARE of a plain standardization's slope (1 / std of the input) are
# numerically zero: ε's trace when BatchNorm sees a batch of two, or rounding. They are labelled
# "0", and the colour scale never stretches below FLOOR times that, so they look white too
# (at most 1/FLOOR of full colour): a label never contradicts its colour.
ZERO_SHARE: Final = 1e-4
FLOOR: Final = 20.0


def zero_below(x: np.ndarray) -> float:
    """The size under which an entry of a Jacobian of input `x` counts as zero."""
    std = float(np.std(x)) if x.size else 0.0
    natural = 1.0 / std if std > 0 and np.isfinite(1.0 / std) else 1.0
    return ZERO_SHARE * natural


def colour_limit(matrix: np.ndarray, zero: float) -> float:
    """The symmetric limit of the colour scale: the largest entry, but never under FLOOR ×
    `zero` (nor 0)."""
    finite = matrix[np.isfinite(matrix)]
    peak = float(np.max(np.abs(finite))) if finite.size else 0.0
    limit = max(peak, FLOOR * zero)
    return limit if limit > 0 else 1.0


class HeatMap:
    """A matrix as coloured cells with symmetric limits, a colour bar, and values in the cells
    when they are few. Items are made once; `set_matrix` updates them."""

    def __init__(self) -> None:
        self.widget = pg.GraphicsLayoutWidget()
        self.widget.setAccessibleName("Jacobian heat map")
        self.widget.setMinimumSize(160, 120)
        self.plot = self.widget.addPlot(row=0, col=0)
        without_menu(self.plot)
        self.plot.hideButtons()
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.invertY(True)
        self.plot.setAspectLocked(False)
        for name in ("left", "bottom"):
            self.plot.getAxis(name).enableAutoSIPrefix(False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(
            values=(-1.0, 1.0),
            colorMap=pg.colormap.get(COLOUR_MAP),
            interactive=False,
            width=14,
            colorMapMenu=False,
        )
        without_menu(self.bar)  # (a ColorBarItem is a PlotItem)
        self.bar.setImageItem(self.image)
        self.widget.addItem(self.bar, row=0, col=1)
        self.outline = pg.PlotDataItem()
        self.outline.setZValue(20)
        self.plot.addItem(self.outline)
        self.cell_labels: list[pg.TextItem] = []
        self.limit = 1.0
        self.zero = 0.0
        self.matrix = np.zeros((1, 1))
        self._label_font = QFont()

    def set_theme(self, theme: Theme, title: str) -> None:
        self.widget.setBackground(theme.background)
        style_plot(self.plot, theme, title)
        self.plot.showGrid(x=False, y=False)
        self.bar.axis.setPen(pen(theme.foreground))
        self.bar.axis.setTextPen(pen(theme.foreground))
        self.bar.axis.setTickFont(font(theme, 0.9))
        self.outline.setPen(pen(theme.foreground, 2.5))
        self._label_font = font(theme, 0.85)
        for label in self.cell_labels:
            label.setFont(self._label_font)

    def set_labels(self, x_label: str, y_label: str) -> None:
        for name, text in (("bottom", x_label), ("left", y_label)):
            axis = self.plot.getAxis(name)
            if axis.labelText != text:
                axis.setLabel(text, **axis.labelStyle)

    def set_matrix(self, matrix: np.ndarray, first: int, selected: int, zero: float = 0.0) -> None:
        """Show `matrix` (rows = outputs, columns = inputs) for features first, first + 1, …;
        outline the cell of the selected element on the diagonal. Entries under `zero` are
        numerically zero: labelled 0 and (see colour_limit) white."""
        self.matrix = matrix
        w = matrix.shape[0]
        self.zero = zero
        self.limit = colour_limit(matrix, zero)
        self.image.setImage(np.nan_to_num(matrix), autoLevels=False)
        self.image.setRect(0.0, 0.0, float(w), float(w))
        self.bar.setLevels((-self.limit, self.limit))
        step = max(1, int(np.ceil(w / MAX_TICKS)))
        ticks = [(i + 0.5, str(first + i + 1)) for i in range(0, w, step)]
        for name in ("bottom", "left"):
            self.plot.getAxis(name).setTicks([ticks, []])
        self.plot.setRange(xRange=(0, w), yRange=(0, w), padding=0.02)
        k = selected
        self.outline.setData([k, k + 1, k + 1, k, k], [k, k, k + 1, k + 1, k])
        self._set_cell_labels(matrix if w <= MAX_LABELLED else None)

    def _set_cell_labels(self, matrix: np.ndarray | None) -> None:
        count = 0 if matrix is None else matrix.size
        while len(self.cell_labels) < count:
            label = pg.TextItem(anchor=(0.5, 0.5))
            label.setZValue(10)
            label.setFont(self._label_font)
            self.plot.addItem(label, ignoreBounds=True)
            self.cell_labels.append(label)
        for n, label in enumerate(self.cell_labels):
            shown = matrix is not None and n < count
            label.setVisible(shown)
            if not shown or matrix is None:
                continue
            i, j = divmod(n, matrix.shape[1])
            value = float(matrix[i, j])
            dark_cell = abs(value) > 0.6 * self.limit
            text = "0" if abs(value) < self.zero or value == 0 else short(value)
            label.setText(text, color="#FFFFFF" if dark_cell else "#1A1A1A")
            label.setPos(j + 0.5, i + 0.5)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        """(row, column) of the cell under a scene position, or None."""
        if not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        w = self.matrix.shape[0]
        i, j = int(np.floor(point.y())), int(np.floor(point.x()))
        return (i, j) if 0 <= i < w and 0 <= j < w else None


class SensitivityTab(AnalysisTab):
    title = "Sensitivity"

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.heat_map = HeatMap()
        self.through_check = QCheckBox("Through the activation")
        self.through_check.setAccessibleName("Through the activation")
        self.through_check.setToolTip(
            "∂f(yᵢ)/∂xⱼ instead of ∂yᵢ/∂xⱼ: each row multiplied by the activation's slope f′(yᵢ)"
        )
        self.words = QLabel()
        self.words.setWordWrap(True)
        self.words.setAccessibleName("Sensitivity in words")
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.words.setFont(math_font(self.words.font(), 1.05))
        side = QVBoxLayout()
        side.setSpacing(4)
        side.addWidget(self.through_check)
        side.addWidget(self.words, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.heat_map.widget, 2)
        layout.addLayout(side, 3)
        self.result: Sensitivity | None = None
        self._title = "∂y/∂x"
        self.set_theme(self._theme)
        self.through_check.toggled.connect(self._on_through_check_toggled)
        self.heat_map.widget.scene().sigMouseClicked.connect(self._on_heat_map_clicked)

    def set_theme(self, theme: Theme) -> None:
        super().set_theme(theme)
        self.heat_map.set_theme(theme, self._title)
        if self.isVisible():
            self.refresh()

    def show_frame(self, frame: Frame) -> None:
        state = frame.state
        through = self.through_check.isChecked()
        result = sensitivity(state, "A", through_activation=through)
        self.result = result
        f = "σ" if state.activation == "sigmoid" else state.activation
        title = f"∂{f}(yᵢ)/∂xⱼ" if through else "∂yᵢ/∂xⱼ"
        title += f" · sample {result.sample + 1} of A"
        if title != self._title:
            self._title = title
            self.heat_map.set_theme(self._theme, title)
        self.heat_map.set_labels("input xⱼ", f"output {f}(yᵢ)" if through else "output yᵢ")
        self.heat_map.set_matrix(
            result.matrix, result.features.start, result.selected, zero_below(frame.a.raw)
        )
        lines = [html.escape(line) for line in result.words()]
        lines[0] = f"<b>{lines[0]}</b>"
        notes = "".join(f"<br><i>{html.escape(n)}</i>" for n in result.notes)
        self.words.setText("<br>".join(lines) + notes)

    def _on_through_check_toggled(self, _checked: bool) -> None:
        self.mark_stale()
        self.refresh()

    def _on_heat_map_clicked(self, event: MouseClickEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.result is None:
            return
        cell = self.heat_map.cell_at(event.scenePos())
        if cell is None:
            return
        feature = self.result.features.start + cell[1]
        self._store.update("Select element", selected_feature=feature)
