"""MarkCloud: many marks of one style drawn with a few QPainter calls straight from numpy arrays.

pyqtgraph's ScatterPlotItem does some Python work for every point when its data is set (about
2 µs a point: 20 ms a frame for the 4000 values drawn one by one before the plots switch to
densities). Here setting data only stores the arrays, and painting maps them with numpy and
draws them in C++: filled circles and squares are wide-pen points (round or square caps), hollow
rings are line segments around each mark. Per-mark sizes are rounded to whole pixels and drawn one
call per size, so the cost never depends on the number of marks in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments

FloatArray = NDArray[np.floating]
Shape = Literal["circle", "square"]

# Unit outlines of the hollow shapes, closed (the first vertex repeated).
_ANGLES = np.linspace(0.0, 2.0 * np.pi, 11)  # a decagon: round enough at marker sizes
_OUTLINES: dict[str, tuple[FloatArray, FloatArray]] = {
    "circle": (np.cos(_ANGLES), np.sin(_ANGLES)),
    "square": (np.array([-1.0, 1.0, 1.0, -1.0, -1.0]), np.array([-1.0, -1.0, 1.0, 1.0, -1.0])),
}
_LIMIT = 2.0**30  # device coordinates beyond this crash Qt's raster engine
# Above this many marks, rims are left out and hollow marks are drawn filled: at that density
# they would merge into a band anyway, and every pass over the marks costs 2-15 µs a mark.
DETAIL_LIMIT = 1000


@dataclass(frozen=True)
class MarkStyle:
    """How every mark of a cloud looks; sizes are in pixels, whatever the zoom."""

    shape: Shape = "circle"
    size: float = 10.0
    color: QColor | str = "#000000"
    rim: QColor | str | None = None  # a ring in this colour around filled marks
    rim_width: float = 1.0
    hollow: bool = False  # (give it an opaque colour: its segments overlap at the corners)
    line_width: float = 1.5  # of hollow marks


class MarkCloud(pg.GraphicsObject):
    """Marks at (x, y) in data coordinates, all of one style (sizes may vary per mark)."""

    def __init__(self) -> None:
        super().__init__()
        self._x: FloatArray = np.zeros(0)
        self._y: FloatArray = np.zeros(0)
        self._sizes: FloatArray | None = None
        self._style = MarkStyle()
        self._pens: list[QPen] = []
        self.set_style(self._style)

    def setData(self, x: ArrayLike, y: ArrayLike, sizes: ArrayLike | None = None) -> None:
        self._x = np.asarray(x, dtype=np.float64)
        self._y = np.asarray(y, dtype=np.float64)
        self._sizes = None if sizes is None else np.asarray(sizes, dtype=np.float64)
        self.informViewBoundsChanged()
        self.update()

    def getData(self) -> tuple[FloatArray, FloatArray]:
        return self._x, self._y

    def clear(self) -> None:
        self.setData(np.zeros(0), np.zeros(0))

    @property
    def sizes(self) -> FloatArray:
        """The size of every mark in pixels."""
        if self._sizes is None:
            return np.full(self._x.size, self._style.size)
        return self._sizes

    @property
    def style(self) -> MarkStyle:
        return self._style

    def set_style(self, style: MarkStyle) -> None:
        self._style = style
        cap = Qt.PenCapStyle.RoundCap if style.shape == "circle" else Qt.PenCapStyle.SquareCap
        colours = [pg.mkColor(style.color)]
        if style.rim is not None and not style.hollow:
            colours.insert(0, pg.mkColor(style.rim))
        self._pens = []
        for colour in colours:
            pen = QPen(colour)
            pen.setCapStyle(cap)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            self._pens.append(pen)
        self.update()

    # QGraphicsItem: the marks are drawn at a size in pixels, so their extent in data
    # coordinates depends on the zoom; the visible view covers every mark that can be seen.
    def boundingRect(self) -> QRectF:
        rect = self.viewRect()
        return QRectF() if rect is None else rect

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewTransformChanged()

    def dataBounds(
        self, ax: int, frac: float = 1.0, orthoRange: object = None
    ) -> tuple[float | None, float | None]:
        values = self._x if ax == 0 else self._y
        finite = values[np.isfinite(values)]
        if finite.size == 0:
            return (None, None)
        return (float(finite.min()), float(finite.max()))

    def paint(self, p: QPainter, *args: object) -> None:
        if self._x.size == 0:
            return
        t = p.transform()
        # A view about 1e-308 wide scales by inf: its NaNs go far off screen, with no warning.
        with np.errstate(invalid="ignore", over="ignore"):
            px = np.clip(t.m11() * self._x + t.m21() * self._y + t.dx(), -_LIMIT, _LIMIT)
            py = np.clip(t.m12() * self._x + t.m22() * self._y + t.dy(), -_LIMIT, _LIMIT)
        px, py = np.nan_to_num(px, nan=_LIMIT), np.nan_to_num(py, nan=_LIMIT)
        p.resetTransform()
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        style = self._style
        if style.hollow and px.size <= DETAIL_LIMIT:
            self._paint_hollow(p, px, py)
            return
        if self._sizes is None:
            groups: list[tuple[float, slice | NDArray[np.bool_]]] = [(style.size, slice(None))]
        else:
            rounded = np.maximum(1.0, np.round(self._sizes))
            groups = [(float(s), rounded == s) for s in np.unique(rounded)]
        # All the rims first, then all the fills: a rim never covers a neighbour's fill.
        pens = self._pens if px.size <= DETAIL_LIMIT else self._pens[-1:]
        for i, pen in enumerate(pens):
            rim = i == 0 and len(pens) == 2
            for size, which in groups:
                # A square as wide as the circle would look bigger: give it the same area.
                width = size * (0.886 if style.shape == "square" else 1.0)
                pen.setWidthF(width + 2.0 * style.rim_width if rim else width)
                p.setPen(pen)
                p.drawPoints(pg.functions.arrayToQPolygonF(px[which], py[which]))

    def _paint_hollow(self, p: QPainter, px: FloatArray, py: FloatArray) -> None:
        ux, uy = _OUTLINES[self._style.shape]
        radius = 0.5 * (self.sizes if self._sizes is not None else self._style.size)
        r = np.broadcast_to(np.asarray(radius, dtype=np.float64), px.shape)[:, np.newaxis]
        # A square's outline reaches its corners: shrink it to the area of the circle.
        scale = r * (0.85 if self._style.shape == "square" else 1.0)
        xs = (px[:, np.newaxis] + scale * ux).ravel()
        ys = (py[:, np.newaxis] + scale * uy).ravel()
        connect = np.ones(xs.size, dtype=np.int32)
        connect[ux.size - 1 :: ux.size] = 0  # no line from one mark to the next
        pen = self._pens[-1]
        pen.setWidthF(self._style.line_width)
        p.setPen(pen)
        # Separate line segments, not one path: Qt strokes a path of thousands of small
        # outlines some thirty times slower.
        segments = arrayToLineSegments(xs, ys, connect, False)  # keep it alive while drawn
        p.drawLines(*segments.drawargs())
