"""A start-up floor for `make bench`: a plain PySide6 + pyqtgraph window holding what normgui's
first window holds, with none of normgui's code.

Run as `python same_widgets.py T0` (T0: time.time() when the parent started it); prints the
milliseconds from T0 to the window painted, as the bench's other start-up children do. The
widgets are the ones normgui's window shows at start, counted by kind: four plot widgets holding
five plot items, each with a curve and a few marks; a Data dock (a table in tabs, line edits,
spin boxes, tool buttons) and a Normalization dock (group boxes, sliders, spin boxes, combo
boxes) in scroll areas; a menu bar, two toolbars and a status bar. What normgui takes beyond it
is its own: its modules, its panels' logic, its first frame computed and drawn.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it

Fill = Callable[[QFormLayout], None]


def _plots() -> QWidget:
    z = np.linspace(-6.0, 6.0, 600)
    curve = 1.0 / (1.0 + np.exp(-z))
    marks = z[::40]
    area = QWidget()
    grid = QGridLayout(area)
    items = []
    for i in range(3):
        widget = pg.PlotWidget()
        grid.addWidget(widget, i // 2, i % 2)
        items.append(widget.getPlotItem())
    pair = pg.GraphicsLayoutWidget()  # the distributions: two plot items in one widget
    grid.addWidget(pair, 1, 1)
    items += [pair.addPlot(row=0, col=0), pair.addPlot(row=1, col=0)]
    for item in items:
        item.plot(z, curve)
        item.plot(marks, 1.0 / (1.0 + np.exp(-marks)), pen=None, symbol="o")
        item.showGrid(x=True, y=True)
        item.setLabel("bottom", "pre-activation z")
    return area


def _data(form: QFormLayout) -> None:
    for name in ("A", "B"):
        form.addRow(QLabel(f"Input {name}"), QLineEdit("1, 2, 3, 4"))
    tabs = QTabWidget()
    tabs.addTab(QTableWidget(2, 4), "Table")
    tabs.addTab(QWidget(), "Text")
    form.addRow(tabs)
    row = QWidget()
    buttons = QVBoxLayout(row)
    for text in ("Add", "Remove", "Paste", "Open", "Clear"):
        button = QToolButton()
        button.setText(text)
        buttons.addWidget(button)
    form.addRow(row)
    form.addRow("Batch", QCheckBox("A and B as one batch"))
    form.addRow("Generate", QComboBox())
    for name in ("rows", "columns", "seed"):
        form.addRow(name, QSpinBox())
    for name in ("mean", "spread"):
        form.addRow(name, QDoubleSpinBox())
    form.addRow(QPushButton("Generate"))


def _normalization(form: QFormLayout) -> None:
    for title in ("Method", "Parameters", "Activation", "Input"):
        box = QGroupBox(title)
        inside = QVBoxLayout(box)
        for _ in range(3):
            inside.addWidget(QLabel(title.lower()))
        form.addRow(box)
    for name in ("γ", "β", "ε", "momentum", "groups", "scale", "shift"):
        form.addRow(name, QDoubleSpinBox())
    for _ in range(5):
        form.addRow(QSlider(Qt.Orientation.Horizontal))
    for name in ("method", "activation", "regime"):
        form.addRow(name, QComboBox())
    form.addRow(QCheckBox("train"))
    form.addRow(QCheckBox("B"))
    form.addRow(QPushButton("Reset"))


def _dock(window: QMainWindow, title: str, side: Qt.DockWidgetArea, fill: Fill) -> None:
    body = QWidget()
    fill(QFormLayout(body))
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    dock = QDockWidget(title, window)
    dock.setWidget(scroll)
    window.addDockWidget(side, dock)


def build() -> QMainWindow:
    window = QMainWindow()
    window.setCentralWidget(_plots())
    _dock(window, "Data", Qt.DockWidgetArea.LeftDockWidgetArea, _data)
    _dock(window, "Normalization", Qt.DockWidgetArea.RightDockWidgetArea, _normalization)
    for title in ("File", "Edit", "View", "Scenes", "Help"):
        menu = window.menuBar().addMenu(title)
        for i in range(8):
            menu.addAction(f"{title} {i + 1}")
    for count in (10, 9):
        bar = window.addToolBar(f"{count}")
        for i in range(count):
            bar.addAction(f"Action {i + 1}")
    window.statusBar().showMessage("Ready")
    window.resize(1320, 720)
    return window


def main() -> None:
    t0 = float(sys.argv[1])
    app = QApplication([])
    window = build()
    window.show()
    app.processEvents()
    window.grab()
    print((time.time() - t0) * 1000, flush=True)
    # Leave at once: this plain window's teardown at interpreter exit (pyqtgraph's items
    # against Qt's) can crash, and it is not what is measured.
    os._exit(0)


if __name__ == "__main__":
    main()
