"""Plot pieces with a fixed number of graphics items, updated in place every frame.

Nothing here loops over the values of an input: the marks of a series are one scatter item
whatever its size, and a large input is drawn from its binned density, so a frame costs the same
for ten values and for ten million.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from PySide6.QtGui import QBrush, QFont, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.pipeline import Histogram
from normgui.qt.plots._style import EDGE_SYMBOLS

FloatArray = NDArray[np.float64]
Span = tuple[float, float]


class BandPool:
    """Vertical shaded regions for a varying number of spans: a pool, grown on demand, never
    rebuilt; the regions left over are hidden."""

    def __init__(self, plot: pg.PlotItem, z: float = -20.0) -> None:
        self._plot = plot
        self._z = z
        self._brush: QBrush = pg.mkBrush(None)
        self.regions: list[pg.LinearRegionItem] = []

    def set_brush(self, brush: QBrush) -> None:
        self._brush = brush
        for region in self.regions:
            region.setBrush(brush)

    def set_spans(self, spans: Sequence[Span]) -> None:
        while len(self.regions) < len(spans):
            region = pg.LinearRegionItem(
                (0.0, 1.0), brush=self._brush, pen=pg.mkPen(None), movable=False
            )
            region.setZValue(self._z)
            self._plot.addItem(region, ignoreBounds=True)
            self.regions.append(region)
        for i, region in enumerate(self.regions):
            shown = i < len(spans)
            if shown:
                region.setRegion(spans[i])
            region.setVisible(shown)

    def shown_spans(self) -> list[Span]:
        return [tuple(r.getRegion()) for r in self.regions if r.isVisible()]


class CornerText:
    """A text box pinned to a corner of a plot's view: it stays there when the view is zoomed or
    panned, and never counts towards the data range."""

    def __init__(self, plot: pg.PlotItem, corner: tuple[float, float], margin: float = 6.0) -> None:
        self._view = plot.getViewBox()
        self._corner = corner
        self._margin = margin
        self._html = ""
        self.item = pg.TextItem(anchor=corner)
        self.item.setParentItem(self._view)
        self.item.setZValue(100)
        self._view.sigResized.connect(self._place)
        self._place()

    def _place(self) -> None:
        r = self._view.rect()
        m = self._margin
        self.item.setPos(
            r.left() + m + self._corner[0] * (r.width() - 2 * m),
            r.top() + m + self._corner[1] * (r.height() - 2 * m),
        )

    def set_html(self, html: str) -> None:
        if html != self._html:  # setHtml re-lays out the text: only when it changed
            self._html = html
            self.item.setHtml(html)
        self.item.setVisible(bool(html))

    def set_style(self, fill: QBrush, border: QPen, text_font: QFont) -> None:
        self.item.fill = fill
        self.item.border = border
        self.item.setFont(text_font)
        self.item.update()

    def html(self) -> str:
        return self._html


def density_marks(
    hist: Histogram, below: int, above: int, z_view: Span, size: float
) -> tuple[FloatArray, NDArray[np.float64]]:
    """Bin centres with values, and marker sizes growing with their counts (area ∝ count).

    `below` and `above` values were clipped into the outer bins; they are drawn at the edge
    instead, so they are taken out here.
    """
    counts = hist.counts.astype(np.float64)
    centres = 0.5 * (hist.edges[:-1] + hist.edges[1:])
    if counts.size:
        counts[0] -= below
        counts[-1] -= above
    keep = (counts > 0) & (centres >= z_view[0]) & (centres <= z_view[1])
    kept = counts[keep]
    top = kept.max() if kept.size else 1.0
    return centres[keep], size * (0.35 + 1.15 * np.sqrt(kept / top))


class CurveMarks:
    """One series drawn on a curve (the activation or its slope): a mark per value, or the
    binned density for large inputs, and a triangle at the edge where values lie beyond the view.
    """

    def __init__(self, plot: pg.PlotItem, z: float) -> None:
        self.points = pg.ScatterPlotItem(antialias=True)
        self.edges = pg.ScatterPlotItem(antialias=True)
        for item in (self.points, self.edges):
            item.setZValue(z)
            plot.addItem(item, ignoreBounds=True)

    def set_visible(self, visible: bool) -> None:
        self.points.setVisible(visible)
        self.edges.setVisible(visible)
        if not visible:
            self.points.clear()
            self.edges.clear()

    def set_points(
        self, x: FloatArray, y: FloatArray, symbol: str, size: float | FloatArray,
        pen: QPen, brush: QBrush,
    ) -> None:
        self.points.setData(x=x, y=y, symbol=symbol, size=size, pen=pen, brush=brush)

    def set_edges(
        self, below: int, above: int, curve_x: FloatArray, curve_y: FloatArray, size: float,
        pen: QPen, brush: QBrush,
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
        self.edges.setData(x=x, y=y, symbol=symbols, size=size * 1.3, pen=pen, brush=brush)
