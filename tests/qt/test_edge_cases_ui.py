"""Numeric edge cases on screen: for every method, constant data, ε = 0, values near 1e308 and
1e-308 and a batch of one in training mode draw A in every plot, raise nothing (pytest-qt fails
a test on an exception in a paint), and the cases that need one show a warning."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import METHODS
from normgui.core.state import State
from normgui.qt.plots._style import padded
from normgui.qt.shell.main_window import MainWindow
from normgui.qt.theme import LIGHT

CASES: dict[str, dict[str, object]] = {
    "constant row": {"inputs_a": [[3.0, 3.0, 3.0, 3.0]]},
    "constant batch": {"inputs_a": [[3.0, 3.0], [3.0, 3.0]]},
    "ε = 0, constant": {"inputs_a": [[3.0, 3.0, 3.0, 3.0]], "eps": 0.0},
    "near 1e308": {"inputs_a": [[1e308, -1e308, 1e308, 0.0]]},
    "near 1e-308": {"inputs_a": [[1e-308, 2e-308, 3e-308, 4e-308]]},
    "constant 1e-308, tanh": {
        "inputs_a": [[1e-308, 1e-308], [1e-308, 1e-308]],
        "activation": "tanh",
    },
    "batch of one": {"inputs_a": [[1.0, 2.0, 3.0]], "training": True},
}
# Where the picture alone would mislead, the banner says what is going on.
WARNED: dict[tuple[str, str], str] = {
    ("layernorm", "ε = 0, constant"): "0/0",
    ("groupnorm", "ε = 0, constant"): "0/0",
    ("rmsnorm", "ε = 0, constant"): "",  # not constant for RMSNorm: 3/3 = 1
    ("batchnorm", "batch of one"): "batch of one",
    ("batchnorm", "constant row"): "batch of one",
}


def _a_pixels(image: QImage) -> int:
    """How many pixels of a widget's picture have A's colour (its points, lines, bars)."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    bgr = pixels[:, : width * 4].reshape(height, width, 4)[:, :, :3].astype(int)
    a = QColor(LIGHT.series[0])
    distance = np.abs(bgr - np.array([a.blue(), a.green(), a.red()])).sum(axis=2)
    return int(np.count_nonzero(distance < 60))


def _drawn_a_pixels(plot: pg.PlotWidget) -> int:
    """A's pixels in `plot`, its legend (which always shows A's colour) hidden."""
    legends = [i for i in plot.scene().items() if isinstance(i, pg.LegendItem) and i.isVisible()]
    for legend in legends:
        legend.hide()
    try:
        return _a_pixels(plot.grab().toImage())
    finally:
        for legend in legends:
            legend.show()


def test_edge_cases_draw_a_in_every_plot_and_warn(qtbot: QtBot) -> None:
    window = MainWindow(State())
    qtbot.addWidget(window)
    window.show()
    # A first start is maximized on a small screen (the offscreen one is 800 × 600): this test
    # wants room enough for every plot to show its marks.
    window.showNormal()
    window.resize(1200, 800)
    QApplication.processEvents()
    problems: list[str] = []
    for method in METHODS:
        for case, changes in CASES.items():
            if "eps" in changes and "eps" not in METHOD_SPECS[method].params:
                continue
            window.store.set_state(State(method=method, **changes))  # type: ignore[arg-type]
            window.store.flush()
            QApplication.processEvents()
            for number, plot in enumerate(window.plots.plot_widgets):
                if _drawn_a_pixels(plot) < 10:
                    problems.append(f"{method}, {case}: A is not drawn in plot {number + 1}")
                for low, high in plot.getPlotItem().getViewBox().viewRange():
                    if not (np.isfinite(high - low) and high - low > 1e-200):
                        problems.append(f"{method}, {case}: plot {number + 1} spans {low}…{high}")
            banner = window._warning_label.text() if window._warning_label.isVisible() else ""
            expected = WARNED.get((method, case))
            if expected and expected not in banner:
                problems.append(f"{method}, {case}: no warning about {expected!r}: {banner!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("lo", "hi"),
    [(0.0, 1e-308), (1e-308, 1e-308), (-1e308, 1e308), (5.0, 5.0), (0.0, 5e-324)],
)
def test_a_plotted_range_is_never_too_narrow_to_scale(lo: float, hi: float) -> None:
    low, high = padded(lo, hi)
    assert low <= max(lo, -1e300) and high >= min(hi, 1e300)  # kept within ±1e300
    assert np.isfinite(high - low) and high - low > 1e-200
