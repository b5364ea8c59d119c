"""The regimes of an activation shaded on a plot: its linear band and its saturation zones.

Both pages draw them with this one item: the Layer page across the x axis of its activation,
slope and "after" plots; the Training page across the y axis of a unit's input over training
and the x axis of its Now plot, where B's regimes, when B's activation is not A's, are hatched
and outlined over A's filled ones.

The spans are always those of `activation_curve` across the range the plot shows (through
`curve_across`, the cache the curves drawn across that range share): whatever sets that range
— the plot's data, a zoom, a pan — the bands reach its edges, and no page finds them its own way.
"""

from __future__ import annotations

import math
from typing import Final

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import RegimeSettings, Spans
from normgui.qt.plots._items import Span, curve_across
from normgui.qt.plots._layers import keep_painted
from normgui.qt.plots._marks import ViewSpanning
from normgui.qt.plots._style import color
from normgui.qt.theme import LIGHT, Theme

# Hatched bands (over another run's): in the regime's colour this much stronger, dashed edges.
HATCH_GAIN: Final = 3.0
NO_PEN: Final = QPen(Qt.PenStyle.NoPen)


class RegimeBands(ViewSpanning):
    """An activation's linear band and saturation zones across the range a plot shows, shaded
    over the whole height of the plot (`across_x`: spans of its x axis) or its whole width
    (spans of y); filled, or `hatched` and outlined to lie over another's.

    pyqtgraph's LinearRegionItem would do, one item per band, but each is a movable region with
    its own Python bounds and paint and an antialiased fill: fourteen of them took some 2 ms of
    every frame. Here every band is filled in one paint, without antialiasing (their edges are
    straight), and kept as painted pixels: they change only with the activation, the regime
    settings, the range shown or the theme."""

    def __init__(self, plot: pg.PlotItem, across_x: bool = True, hatched: bool = False) -> None:
        super().__init__()
        self._across_x = across_x
        self._hatched = hatched
        self._regimes: tuple[str, RegimeSettings] | None = None
        self._looks: tuple[tuple[QBrush, QPen], tuple[QBrush, QPen]] = ((QBrush(), NO_PEN),) * 2
        self.setZValue(-19 if hatched else -20)
        plot.addItem(self, ignoreBounds=True)
        keep_painted(self)
        self.set_theme(LIGHT)

    def set_theme(self, theme: Theme) -> None:
        linear, saturated = (
            self._look(rgba) for rgba in (theme.linear_band, theme.saturation_band)
        )
        self._looks = (linear, saturated)
        self.update()

    @property
    def fills(self) -> tuple[QBrush, QBrush]:
        """The brushes of the linear band and of the saturation zones, in that order."""
        return self._looks[0][0], self._looks[1][0]

    def _look(self, rgba: tuple[int, int, int, int]) -> tuple[QBrush, QPen]:
        """The fill and the edge of a band in the colour `rgba`."""
        if not self._hatched:
            return QBrush(color(rgba)), NO_PEN
        strong = color(rgba[:3], min(255, round(rgba[3] * HATCH_GAIN)))
        edge = QPen(strong, 1.5)
        edge.setCosmetic(True)
        edge.setStyle(Qt.PenStyle.DashLine)
        return QBrush(strong, Qt.BrushStyle.BDiagPattern), edge

    def set_regimes(self, activation: str, regime: RegimeSettings) -> None:
        """Shade the regimes of `activation` under `regime`'s criterion and thresholds."""
        if (activation, regime) != self._regimes:
            self._regimes = (activation, regime)
            self.update()

    def shown_range(self) -> Span | None:
        """The range the plot shows on the axis the bands lie across (None: not in a plot yet,
        or a range no curve can be drawn across)."""
        box = self.getViewBox()
        if not isinstance(box, pg.ViewBox):
            return None
        x, y = box.viewRange()
        lo, hi = (float(v) for v in (x if self._across_x else y))
        return (lo, hi) if math.isfinite(lo) and math.isfinite(hi) and lo < hi else None

    def spans(self) -> tuple[Spans, Spans]:
        """The linear band and the saturation zones across the range shown, as pairs (start,
        end): `activation_curve`'s there (none before set_regimes)."""
        shown = self.shown_range()
        if self._regimes is None or shown is None:
            return (), ()
        curve = curve_across(shown, *self._regimes)
        return curve.linear_spans, curve.saturated_spans

    @property
    def linear(self) -> list[Span]:
        return list(self.spans()[0])

    @property
    def saturated(self) -> list[Span]:
        return list(self.spans()[1])

    def paint(self, p: QPainter, *args: object) -> None:
        view, shown = self.viewRect(), self.shown_range()
        if view is None or shown is None:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # (straight edges)
        # (A brush's pattern is laid in device pixels: the hatching is the same at every zoom.)
        for spans, (fill, edge) in zip(self.spans(), self._looks, strict=True):
            p.setPen(NO_PEN)
            p.setBrush(fill)
            for a, b in spans:
                p.drawRect(self._rect(view, a, b))
            if edge is NO_PEN:
                continue
            p.setPen(edge)
            for bound in (v for span in spans for v in span):
                if shown[0] < bound < shown[1]:  # a band's own edge, not the view's
                    p.drawLine(self._rect(view, bound, bound).topLeft(), self._far(view, bound))

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
