"""The regimes of an activation shaded on the Training page's plots 2 and 4: where its input
keeps it in its linear band, and where it saturates — each run's own, since A and B may have
different activations (B's are then hatched and outlined over A's filled ones)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Final

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import SYMMETRIC, RegimeSettings, bounds_for
from normgui.core.activations import regime_spans as spans_on
from normgui.qt.plots._items import extend_spans
from normgui.qt.plots._layers import keep_painted
from normgui.qt.plots._marks import ViewSpanning
from normgui.qt.plots._style import color
from normgui.qt.theme import LIGHT, Theme

Span = tuple[float, float]
FAR: Final = 1e300  # saturation runs on past any view
# Where the regimes of an activation that is not symmetric are looked for, and how finely:
# past ±20 every activation keeps the regime it has there (extend_spans carries it on).
GRID_REACH: Final = 20.0
GRID_POINTS: Final = 8001
# B's bands over A's: hatched in the regime's colour this much stronger, with a dashed edge.
HATCH_GAIN: Final = 3.0


@functools.lru_cache(maxsize=16)
def regime_spans(activation: str) -> tuple[list[Span], list[Span]]:
    """The linear band and the saturation zones of `activation` on its input axis, with the
    default regime settings, as the records count them. A symmetric activation's are two exact
    bounds; ReLU's and GELU's are found on a fine grid, as the Layer page's plots find them."""
    if activation in SYMMETRIC:
        z_lin, z_sat = bounds_for(activation, RegimeSettings())
        return [(-z_lin, z_lin)], [(-FAR, -z_sat), (z_sat, FAR)]
    z = np.linspace(-GRID_REACH, GRID_REACH, GRID_POINTS)
    grid = (-GRID_REACH, GRID_REACH)
    linear, saturated = spans_on(z, activation, RegimeSettings())
    return extend_spans(linear, grid, -FAR, FAR), extend_spans(saturated, grid, -FAR, FAR)


def near_zero(activation: str) -> Span:
    """The least value range of a plot of `activation`'s input: its linear band and a little
    more (a band that runs on, ReLU's, gives ±1)."""
    linear, _ = regime_spans(activation)
    inner = [b for a, b in linear if a <= 0 <= b and b < FAR]
    reach = 1.15 * inner[0] if inner else 1.0
    return -reach, reach


class RegimeBands(ViewSpanning):
    """One run's linear band and saturation zones, shaded across the whole height of a plot
    (`across_x`: spans of its x axis, as on the activation curve) or its whole width (spans of
    y, as over training); filled, or `hatched` and outlined to lie over another run's. Kept as
    painted pixels: they change only with the activation, the range or the theme."""

    def __init__(self, plot: pg.PlotItem, across_x: bool, hatched: bool = False) -> None:
        super().__init__()
        self._across_x = across_x
        self._hatched = hatched
        self._spans: tuple[list[Span], list[Span]] = ([], [])
        self._brushes: tuple[QBrush, QBrush] = (QBrush(), QBrush())
        self._pens: tuple[QPen, QPen] = (QPen(Qt.PenStyle.NoPen), QPen(Qt.PenStyle.NoPen))
        self.setZValue(-19 if hatched else -20)
        plot.addItem(self, ignoreBounds=True)
        keep_painted(self)
        self.set_theme(LIGHT)

    def set_theme(self, theme: Theme) -> None:
        looks = []
        for rgba in (theme.linear_band, theme.saturation_band):
            if not self._hatched:
                looks.append((QBrush(color(rgba)), QPen(Qt.PenStyle.NoPen)))
                continue
            strong = color(rgba[:3], min(255, round(rgba[3] * HATCH_GAIN)))
            edge = QPen(strong, 1.5)
            edge.setCosmetic(True)
            edge.setStyle(Qt.PenStyle.DashLine)
            looks.append((QBrush(strong, Qt.BrushStyle.BDiagPattern), edge))
        self._brushes = (looks[0][0], looks[1][0])
        self._pens = (looks[0][1], looks[1][1])
        self.update()

    def set_spans(self, linear: Sequence[Span], saturated: Sequence[Span]) -> None:
        spans = (
            [(float(a), float(b)) for a, b in linear],
            [(float(a), float(b)) for a, b in saturated],
        )
        if spans != self._spans:
            self._spans = spans
            self.update()

    @property
    def linear(self) -> list[Span]:
        return list(self._spans[0])

    @property
    def saturated(self) -> list[Span]:
        return list(self._spans[1])

    def paint(self, p: QPainter, *args: object) -> None:
        view = self.viewRect()
        if view is None:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # (straight edges)
        # (A brush's pattern is laid in device pixels: the hatching is the same at every zoom.)
        for spans, fill, edge in zip(self._spans, self._brushes, self._pens, strict=True):
            for a, b in spans:
                # Only what is in view: a zone may run on to ±1e300, which Qt cannot fill.
                low, high = self._clipped(view, a, b)
                if high <= low:
                    continue
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(fill)
                p.drawRect(self._rect(view, low, high))
                p.setPen(edge)
                for bound, clipped in ((a, low), (b, high)):
                    if bound == clipped:  # the band's own edge, not the view's
                        p.drawLine(self._rect(view, bound, bound).topLeft(), self._far(view, bound))

    def _clipped(self, view: QRectF, a: float, b: float) -> Span:
        if self._across_x:
            return max(a, view.left()), min(b, view.right())
        return max(a, view.top()), min(b, view.bottom())

    def _rect(self, view: QRectF, low: float, high: float) -> QRectF:
        """[low, high] across the plot."""
        if self._across_x:
            return QRectF(low, view.top(), high - low, view.height())
        return QRectF(view.left(), low, view.width(), high - low)

    def _far(self, view: QRectF, bound: float) -> QPointF:
        """The far end of the edge at `bound` (its near end: the rectangle's top left)."""
        if self._across_x:
            return QPointF(bound, view.bottom())
        return QPointF(view.right(), bound)
