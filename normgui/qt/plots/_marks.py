"""MarkCloud: many marks of one style drawn with a few QPainter calls straight from numpy arrays.

pyqtgraph's ScatterPlotItem does some Python work for every point when its data is set (about
2 µs a point: 20 ms a frame for the 4000 values drawn one by one before the plots switch to
densities). Here setting data only stores the arrays, and painting maps them with numpy and
draws them in C++, so the cost never depends on the number of marks in Python.

On screen (Qt's raster engine) every mark is a copy of a small picture drawn once per size and
kept in an atlas: one drawPixmapFragments call for the rims and one for the fills. Stroking an
antialiased wide-pen point costs some 20-40 µs a mark, which made the marks the dearest part of a
frame. Any other device (an SVG export) gets vectors: filled circles and squares are wide-pen
points (round or square caps), hollow rings line segments around each mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPaintEngine, QPainter, QPen, QPixmap, QPolygonF

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from pyqtgraph.Qt.internals import PrimitiveArray

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


# A sprite's layer: the rim under a filled mark, the fill, or the outline of a hollow one.
Layer = Literal["rim", "fill", "ring"]


class _Atlas:
    """Pictures of one mark per (layer, whole-pixel size), side by side in one pixmap, drawn at
    the device's pixel ratio so that they are as sharp as marks drawn directly."""

    def __init__(self) -> None:
        self.pixmap = QPixmap()
        self._rects: dict[tuple[Layer, float], tuple[int, int, int, int]] = {}
        self._key: tuple[object, ...] = ()

    def sources(
        self, cloud: MarkCloud, layer: Layer, sizes: FloatArray, dpr: float
    ) -> NDArray[np.float64]:
        """The source rectangle (x, y, width, height in device pixels) of each mark's sprite."""
        wanted, index = np.unique(sizes, return_inverse=True)
        key = (cloud.style, dpr)
        if key != self._key or any((layer, float(w)) not in self._rects for w in wanted):
            known = {size for (_, size) in self._rects} if key == self._key else set()
            layers = {lay for (lay, _) in self._rects} if key == self._key else set()
            self._build(cloud, layers | {layer}, known | {float(w) for w in wanted}, dpr)
            self._key = key
        table = np.array([self._rects[(layer, float(w))] for w in wanted], dtype=np.float64)
        return table[index.ravel()]

    def _build(self, cloud: MarkCloud, layers: set[Layer], sizes: set[float], dpr: float) -> None:
        style = cloud.style
        keys = [(layer, size) for layer in sorted(layers) for size in sorted(sizes)]
        # Room for the widest pen (a rim, or a hollow mark's outline) and antialiasing.
        extra = 2.0 * max(style.rim_width, style.line_width) + 2.0
        sides = [int(np.ceil((size + extra) * dpr)) for _, size in keys]
        pixmap = QPixmap(max(1, sum(sides)), max(1, max(sides, default=1)))
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._rects = {}
        left = 0
        for (layer, size), side in zip(keys, sides, strict=True):
            centre = QPointF(left + side / 2.0, side / 2.0)
            painter.resetTransform()
            painter.translate(centre)
            painter.scale(dpr, dpr)
            cloud.paint_sprite(painter, layer, size)
            self._rects[(layer, size)] = (left, 0, side, side)
            left += side
        painter.end()
        self.pixmap = pixmap


class ViewSpanning(pg.GraphicsObject):
    """An item that may reach anywhere in its view: its bounding rectangle is the visible view
    (what it draws beyond is never seen), so it follows every zoom and pan."""

    def boundingRect(self) -> QRectF:
        rect = self.viewRect()
        return QRectF() if rect is None else rect

    def viewTransformChanged(self) -> None:
        self.prepareGeometryChange()
        super().viewTransformChanged()


class MarkCloud(ViewSpanning):
    """Marks at (x, y) in data coordinates, all of one style (sizes may vary per mark)."""

    def __init__(self) -> None:
        super().__init__()
        self._x: FloatArray = np.zeros(0)
        self._y: FloatArray = np.zeros(0)
        self._sizes: FloatArray | None = None
        self._style = MarkStyle()
        self._pens: list[QPen] = []
        self._atlas = _Atlas()
        self._fragments = PrimitiveArray(QPainter.PixmapFragment, 10)
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

    # (The marks are drawn at a size in pixels, so their extent in data coordinates depends on
    # the zoom: hence a ViewSpanning item.)

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
        sizes = np.maximum(1.0, np.round(self.sizes))
        layers = self._layers(px.size)
        engine = p.paintEngine()
        if engine is not None and engine.type() == QPaintEngine.Type.Raster:
            self._paint_sprites(p, px, py, sizes, layers)
        elif layers == ["ring"]:
            self._paint_hollow(p, px, py)
        else:
            self._paint_points(p, px, py, sizes, layers)

    def _layers(self, count: int) -> list[Layer]:
        """What each mark is drawn of, bottom first. Above DETAIL_LIMIT marks, rims are left out
        and hollow marks are drawn filled."""
        style = self._style
        if style.hollow:
            return ["ring"] if count <= DETAIL_LIMIT else ["fill"]
        return ["rim", "fill"] if style.rim is not None and count <= DETAIL_LIMIT else ["fill"]

    def _paint_sprites(
        self,
        p: QPainter,
        px: FloatArray,
        py: FloatArray,
        sizes: FloatArray,
        layers: list[Layer],
    ) -> None:
        # The scale from here to device pixels (with the world transform reset): the screen's
        # pixel ratio, or an export's (a 2× PNG is drawn through a widget whose own ratio is 1).
        dpr = abs(p.deviceTransform().m11()) or 1.0
        # Only the marks on screen (with a margin for their size) are handed to Qt.
        window = p.window()
        margin = float(sizes.max()) + 8.0
        on_screen = (
            (px > window.left() - margin)
            & (px < window.right() + margin)
            & (py > window.top() - margin)
            & (py < window.bottom() + margin)
        )
        px, py, sizes = px[on_screen], py[on_screen], sizes[on_screen]
        if px.size == 0:
            return
        # All the rims first, then all the fills: a rim never covers a neighbour's fill.
        for layer in layers:
            sources = self._atlas.sources(self, layer, sizes, dpr)
            self._fragments.resize(px.size)
            fragments = self._fragments.ndarray()
            fragments[:, 0] = px
            fragments[:, 1] = py
            fragments[:, 2:6] = sources
            fragments[:, 6:10] = (1.0 / dpr, 1.0 / dpr, 0.0, 1.0)  # scale x, y, rotation, opacity
            first, count = self._fragments.drawargs()
            p.drawPixmapFragments(first, count, self._atlas.pixmap)

    def paint_sprite(self, p: QPainter, layer: Layer, size: float) -> None:
        """Draw one mark of `layer` and `size` centred on the origin (for the atlas)."""
        if layer == "ring":
            ux, uy = _OUTLINES[self._style.shape]
            r = self._ring_radius(0.5 * size)
            p.setPen(self._pen_for(layer, size))
            p.setBrush(Qt.BrushStyle.NoBrush)
            corners = zip(ux[:-1], uy[:-1], strict=True)  # (the outline repeats its first corner)
            p.drawPolygon(QPolygonF([QPointF(r * x, r * y) for x, y in corners]))
        else:
            p.setPen(self._pen_for(layer, size))
            p.drawPoint(QPointF(0.0, 0.0))

    def _pen_for(self, layer: Layer, size: float) -> QPen:
        """The pen that draws a mark of `layer` and `size`: a point as wide as the mark (or
        wider by the rim), or the outline of a hollow one."""
        style = self._style
        pen = self._pens[0] if layer == "rim" else self._pens[-1]
        if layer == "ring":
            pen.setWidthF(style.line_width)
            return pen
        # A square as wide as the circle would look bigger: give it the same area.
        width = size * (0.886 if style.shape == "square" else 1.0)
        pen.setWidthF(width + 2.0 * style.rim_width if layer == "rim" else width)
        return pen

    def _ring_radius(self, radius: FloatArray | float) -> FloatArray | float:
        # A square's outline reaches its corners: shrink it to the area of the circle.
        return radius * (0.85 if self._style.shape == "square" else 1.0)

    def _paint_points(
        self,
        p: QPainter,
        px: FloatArray,
        py: FloatArray,
        sizes: FloatArray,
        layers: list[Layer],
    ) -> None:
        groups = [(float(s), sizes == s) for s in np.unique(sizes)]
        for layer in layers:
            for size, which in groups:
                p.setPen(self._pen_for(layer, size))
                p.drawPoints(pg.functions.arrayToQPolygonF(px[which], py[which]))

    def _paint_hollow(self, p: QPainter, px: FloatArray, py: FloatArray) -> None:
        ux, uy = _OUTLINES[self._style.shape]
        radius = np.broadcast_to(np.asarray(0.5 * self.sizes, dtype=np.float64), px.shape)
        scale = np.asarray(self._ring_radius(radius))[:, np.newaxis]
        xs = (px[:, np.newaxis] + scale * ux).ravel()
        ys = (py[:, np.newaxis] + scale * uy).ravel()
        connect = np.ones(xs.size, dtype=np.int32)
        connect[ux.size - 1 :: ux.size] = 0  # no line from one mark to the next
        # A width in pixels whatever the device's scale, as pyqtgraph's own pens: an SVG reader
        # then finds nothing to scale (see lecture/svg_flatten.py).
        pen = QPen(self._pen_for("ring", 0.0))
        pen.setCosmetic(True)
        p.setPen(pen)
        # Separate line segments, not one path: Qt strokes a path of thousands of small
        # outlines some thirty times slower.
        segments = arrayToLineSegments(xs, ys, connect, False)  # keep it alive while drawn
        p.drawLines(*segments.drawargs())
