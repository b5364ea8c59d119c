"""Plot pieces with a fixed number of graphics items, updated in place every frame.

Nothing here loops over the values of an input: the marks of a series are one MarkCloud
whatever its size, and a large input is drawn from its binned density, so a frame costs the same
for ten values and for ten million.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QBrush, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt
from pyqtgraph.graphicsItems.LegendItem import ItemSample

from normgui.core.activations import ActivationCurve, RegimeSettings, activation_curve
from normgui.core.pipeline import CURVE_POINTS, Histogram
from normgui.qt.plots._marks import MarkCloud, MarkStyle
from normgui.qt.plots._strip import Strip
from normgui.qt.plots._style import EDGE_SYMBOLS

FloatArray = NDArray[np.floating]
Span = tuple[float, float]


@functools.lru_cache(maxsize=16)
def curve_across(x: Span, activation: str, regime: RegimeSettings) -> ActivationCurve:
    """The activation and its regime spans across `x`, the range a plot shows: they depend on
    nothing else, so while γ or β move within that range they are not drawn again (and what is
    drawn across the same range shares them: a page's curves and their RegimeBands)."""
    return activation_curve(*x, activation, regime, CURVE_POINTS)


def density_marks(
    hist: Histogram,
    below: int,
    above: int,
    z_view: Span,
    size: float,
    groups: int = 48,
    shifted: bool = False,
) -> tuple[FloatArray, FloatArray]:
    """Bin centres with values, and mark sizes growing with their counts (area ∝ count).

    Neighbouring bins are summed down to about `groups` marks, about one mark's width apart on
    a plot, so that they do not merge into one band; `shifted` moves the groups by half a group,
    so that B's marks fall between A's. `below` and `above` values were clipped
    into the outer bins; they are drawn at the edge instead, so they are taken out here.
    """
    counts = hist.counts.astype(np.float64)
    centres = 0.5 * (hist.edges[:-1] + hist.edges[1:])
    if counts.size:
        counts[0] -= below
        counts[-1] -= above
    k = max(1, counts.size // groups)
    start = k // 2 if shifted else 0
    m = (counts.size - start) // k * k
    counts = counts[start : start + m].reshape(-1, k).sum(axis=1)
    centres = centres[start : start + m].reshape(-1, k).mean(axis=1)
    keep = (counts > 0) & (centres >= z_view[0]) & (centres <= z_view[1])
    kept = counts[keep]
    top = kept.max() if kept.size else 1.0
    return centres[keep], size * (0.3 + 1.0 * np.sqrt(kept / top))


class CurveMarks:
    """One series drawn on a curve (the activation or its slope): a mark per value, or the
    binned density for large inputs, and a triangle at the edge where values lie beyond the view.
    """

    def __init__(self, plot: pg.PlotItem, z: float) -> None:
        self.points = MarkCloud()
        self.edges = pg.ScatterPlotItem(antialias=True)
        for item in (self.points, self.edges):
            item.setZValue(z)
            plot.addItem(item, ignoreBounds=True)

    def set_visible(self, visible: bool) -> None:
        if visible == self.points.isVisible():
            return  # (a hidden series was emptied when it was hidden)
        self.points.setVisible(visible)
        self.edges.setVisible(visible)
        if not visible:
            self.points.clear()
            self.edges.clear()

    def set_points(
        self, x: FloatArray, y: FloatArray, style: MarkStyle, sizes: FloatArray | None = None
    ) -> None:
        if style != self.points.style:
            self.points.set_style(style)
        self.points.setData(x, y, sizes)

    def set_edges(
        self,
        below: int,
        above: int,
        curve_x: FloatArray,
        curve_y: FloatArray,
        size: float,
        pen: QPen,
        brush: QBrush,
    ) -> None:
        """Triangles at the left and right edge of the view, on the curve, for off-view values."""
        x: list[float] = []
        y: list[float] = []
        symbols: list[str] = []
        for count, i, symbol in ((below, 0, EDGE_SYMBOLS[0]), (above, -1, EDGE_SYMBOLS[1])):
            if count:
                x.append(float(curve_x[i]))
                y.append(float(curve_y[i]))
                symbols.append(symbol)
        if not x and len(self.edges.data) == 0:
            return  # none before, none now: most frames, and setData costs some 0.1 ms
        self.edges.setData(x=x, y=y, symbol=symbols, size=size * 1.3, pen=pen, brush=brush)


class _Sample(ItemSample):
    """A legend sample drawn from a description rather than read off the item, and deaf to
    clicks (pyqtgraph's sample hides its item on a click, which the next frame would undo)."""

    def __init__(self, item: pg.GraphicsObject, mark: MarkStyle | None, swatch: bool) -> None:
        super().__init__(item)
        self._mark = mark
        self._swatch = swatch

    def paint(self, p: QPainter, *args: object) -> None:
        opts = self.item.opts
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(pg.mkPen(opts["pen"]))
        if self._swatch:  # a histogram: a box in its outline and fill
            filled = opts.get("fillLevel") is not None and opts.get("fillBrush") is not None
            p.setBrush(pg.mkBrush(opts["fillBrush"] if filled else None))
            p.drawRect(QRectF(3.0, 5.0, 14.0, 11.0))
            return
        p.drawLine(QPointF(0.0, 10.0), QPointF(20.0, 10.0))
        if self._mark is not None:
            size = min(self._mark.size, 12.0)
            square = self._mark.shape == "square"
            p.setPen(pg.mkPen(self._mark.rim) if self._mark.rim is not None else pg.mkPen(None))
            p.setBrush(pg.mkBrush(self._mark.color))
            half = size * (0.443 if square else 0.5)
            rect = QRectF(10.0 - half, 10.0 - half, 2 * half, 2 * half)
            if square:
                p.drawRect(rect)
            else:
                p.drawEllipse(rect)

    def mouseClickEvent(self, event: object) -> None:
        return


class SeriesLegend:
    """A small legend naming A and B side by side in a strip outside the data area, listing B
    only while it is shown (a hidden item would appear in a pyqtgraph legend as a crossed-out
    eye)."""

    def __init__(
        self, strip: Strip, items: Sequence[pg.GraphicsObject], swatch: bool = False
    ) -> None:
        self.legend = pg.LegendItem(verSpacing=-4, colCount=len(items), frame=False)
        strip.hold_legend(self.legend)
        self._items = tuple(items)
        self._swatch = swatch
        self._marks: tuple[MarkStyle | None, ...] = (None,) * len(self._items)
        self._shown: list[bool] = []

    def set_shown(self, shown: Sequence[bool]) -> None:
        if list(shown) == self._shown:
            return
        self._shown = list(shown)
        self._rebuild()

    def set_marks(self, marks: Sequence[MarkStyle | None]) -> None:
        self._marks = tuple(marks)
        self._rebuild()

    def _rebuild(self) -> None:
        self.legend.clear()
        for item, mark, on in zip(self._items, self._marks, self._shown, strict=False):
            if on:
                name = item.opts.get("name") or ""
                self.legend.addItem(_Sample(item, mark, self._swatch), name)

    def names(self) -> list[str]:
        return [label.text for _, label in self.legend.items]

    def set_style(self, text_color: str, size_pt: float) -> None:
        self.legend.setLabelTextColor(text_color)
        self.legend.setLabelTextSize(f"{size_pt:g}pt")
        self._rebuild()  # labels take a new colour and size only when made again
