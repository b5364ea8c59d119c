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

import math
from typing import Any, Final

from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

AXES: Final = ("left", "bottom")
HIDDEN_AXES: Final = ("top", "right")  # a PlotItem has them too, hidden
# Under the plot's view box (pyqtgraph puts it at -100 and the axes at 0.5, above it).
UNDER_VIEW: Final = -200.0


def nice_step(value: float, up: bool) -> float:
    """The nearest 1, 2 or 5 × 10ⁿ (any whole n) at or above `value` (`up`), or at or below
    it; `value` > 0."""
    power = 10.0 ** math.floor(math.log10(value))
    steps = [power * m for m in (0.5, 1.0, 2.0, 5.0, 10.0)]
    if up:
        return next(step for step in steps if step >= value * (1 - 1e-9))
    return max(step for step in steps if step <= value * (1 + 1e-9))


def label_spacing(
    span: float, pixels: float, label: float, preferred: float, least: float = 0.0
) -> float:
    """The spacing of an axis' labelled ticks: a 1, 2 or 5 × 10ⁿ, `preferred` (the axis' own)
    unless that puts labels `label` px high less than `label` apart on an axis `pixels` long
    showing `span`; `least` at least (1: whole counts). When that leaves no tick within the
    span, the largest within it: on a short axis (a strip of stacked plots, a projector's
    stacked histograms) one number is better than none, and better than numbers written over
    each other."""
    wanted = max(least, preferred, label * span / pixels if pixels > 0 else span)
    spacing = nice_step(wanted, up=True) if wanted > 0 else least
    if spacing <= span or span <= 0:
        return spacing
    return max(least, nice_step(span, up=False))


class GridAxis(pg.AxisItem):
    """An axis drawing its grid lines opaque, in their colour over `under` (see the module).

    Upright, it also keeps its labels apart: pyqtgraph labels its coarsest ticks however short
    the axis, and on a short one (the Learning plot's loss strip beside a caption) they were
    written over each other. Its labelled ticks are then as far apart as `label_spacing` says
    (no nearer than `least_spacing`); the finer ones still draw the grid."""

    least_spacing: float = 0.0

    def __init__(self, orientation: str, **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self._under = QColor("white")
        # No SI prefixes on these axes: off from the start, or every range set while the plot
        # is made lays the axis label's rich text out again (some 10 ms of a window's start).
        self.enableAutoSIPrefix(False)

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        levels: list[tuple[float, float]] = [
            (spacing, offset)
            for spacing, offset in super().tickSpacing(minVal, maxVal, size)
            if spacing >= self.least_spacing
        ]
        span = maxVal - minVal
        if self.orientation not in ("left", "right"):
            return levels  # (across, pyqtgraph leaves out labels that do not fit)
        if not (math.isfinite(span) and span > 0.0 and size > 0.0):
            return levels  # no range to label (pyqtgraph's own answer: no ticks)
        own = levels[0][0] if levels else 0.0
        major = label_spacing(span, size, self.label_height(), own, self.least_spacing)
        finer = [
            (s, o) for s, o in levels if s < major and math.isclose(major / s, round(major / s))
        ]
        return [(major, 0.0), *finer]

    def label_height(self) -> float:
        """A tick label's height as pyqtgraph measures it (0.8 of its font's line)."""
        tick_font = self.style["tickFont"]
        return 0.8 * QFontMetricsF(tick_font if tick_font is not None else self.font()).height()

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
