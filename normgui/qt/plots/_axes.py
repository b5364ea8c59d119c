"""Axes whose grid lies under the data and is drawn in opaque colours.

pyqtgraph draws a plot's grid as the axes' tick lines stretched across the plot, translucent,
over the view's items. Qt's raster engine draws translucent lines without antialiasing through a
slow path: the 23 lines of one axis at 1920×1080 took about 2 ms, the same lines opaque 0.2 ms
(measured here) — and an axis is drawn again whenever its range changes, which while γ is dragged
is the frame that misses the screen's refresh. Here each line has the opaque colour its
translucent one had over the plot's background, and the axes lie under the view, as the grid
does in most plotting programs: it no longer crosses the curve and the marks, and where nothing
covers it the picture is the same, pixel for pixel.
"""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtGui import QColor, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

AXES: Final = ("left", "bottom")
HIDDEN_AXES: Final = ("top", "right")  # a PlotItem has them too, hidden
# Under the plot's view box (pyqtgraph puts it at -100 and the axes at 0.5, above it).
UNDER_VIEW: Final = -200.0


class GridAxis(pg.AxisItem):
    """An axis drawing its grid lines opaque, in their colour over `under` (see the module)."""

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self._under = QColor("white")
        # No SI prefixes on these axes: off from the start, or every range set while the plot
        # is made lays the axis label's rich text out again (some 10 ms of a window's start).
        self.enableAutoSIPrefix(False)

    def set_under(self, background: QColor) -> None:
        """The colour the grid is drawn over: the plot's background."""
        if background != self._under:
            self._under = QColor(background)
            self.picture = None  # pyqtgraph's own way to have the axis drawn again
            self.update()

    def generateDrawSpecs(self, p: QPainter) -> Any:
        specs = super().generateDrawSpecs(p)
        if specs is None:
            return None
        axis, ticks, texts = specs
        return axis, [(self._opaque(pen), start, end) for pen, start, end in ticks], texts

    def _opaque(self, pen: QPen) -> QPen:
        top = pen.color()
        alpha = top.alphaF()
        if alpha >= 1.0:
            return pen
        under = self._under
        opaque = QPen(pen)
        opaque.setColor(
            QColor.fromRgbF(
                alpha * top.redF() + (1.0 - alpha) * under.redF(),
                alpha * top.greenF() + (1.0 - alpha) * under.greenF(),
                alpha * top.blueF() + (1.0 - alpha) * under.blueF(),
            )
        )
        return opaque


def grid_axes(**axes: GridAxis) -> dict[str, pg.AxisItem]:
    """The axes for a plot being made, GridAxis unless given (`axes`, by side): made with them,
    a plot does not make pyqtgraph's own first, only for new_plot to replace them. (Only the
    shown sides: pyqtgraph shows every axis it is given.)"""
    return {name: axes.get(name) or GridAxis(name) for name in AXES}


def grid_under_view(plot: pg.PlotItem) -> None:
    """Give `plot` GridAxis axes (unless it has them already) and put them under its view."""
    missing = {
        name: GridAxis(name) for name in AXES if not isinstance(plot.getAxis(name), GridAxis)
    }
    if missing:
        plot.setAxisItems(missing)
    for name in AXES:
        plot.getAxis(name).setZValue(UNDER_VIEW)
