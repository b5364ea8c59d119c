"""Plot 4: histograms before (raw x) and after (y = γ·x̂ + β) normalization, stacked, each on
its own x axis: raw values and pre-activations can differ by orders of magnitude."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.pipeline import Frame, Histogram
from normgui.qt.plots._axes import GridAxis, grid_axes
from normgui.qt.plots._bands import RegimeBands
from normgui.qt.plots._curves import X_LABEL
from normgui.qt.plots._items import SeriesLegend
from normgui.qt.plots._layers import keep_painted
from normgui.qt.plots._pictures import StagePictures
from normgui.qt.plots._plot import Range, Ranges
from normgui.qt.plots._strip import Strip
from normgui.qt.plots._style import (
    font,
    new_plot,
    padded,
    series_styles,
    style_plot,
)
from normgui.qt.theme import LIGHT, Theme


def hist_ranges(hists: list[Histogram]) -> Ranges:
    """The ranges that show every bar whole: a bar's width to spare beyond the outermost edges
    (a bar's outline drawn on the view's edge is cut in half), and room above the tallest."""
    lo = min(float(h.edges[0]) for h in hists)
    hi = max(float(h.edges[-1]) for h in hists)
    bar = max(float(h.edges[1] - h.edges[0]) for h in hists)
    top = max(int(h.counts.max()) for h in hists)
    return padded(lo - bar, hi + bar, 0.01), (0.0, max(1.0, top * 1.12))


def compact_count(value: float) -> str:
    """A count as a tick label of at most about five characters: 600k, 1.2M."""
    magnitude = abs(value)
    if magnitude >= 1e6:
        return f"{value / 1e6:.3g}M"
    if magnitude >= 1e4:
        return f"{value / 1e3:.3g}k"
    return f"{value:.4g}"


class CountAxis(GridAxis):
    """An axis of counts: whole numbers only, compact labels that never overlap, at least one
    shown however short the axis (see GridAxis), and a fixed width so that the before and
    after plots line up."""

    least_spacing = 1.0

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [compact_count(v * scale) for v in values]

    def boundingRect(self) -> QRectF:
        # pyqtgraph draws a tick's label only within this rectangle, which for an axis with a
        # grid is the view's height: the tallest bar's count, a tenth of the height below the
        # top, lost its label on a short axis (a projector's before histogram, some 100 px).
        # Half a label's room above lets it show. (Not below: the count 0 needs no label, and
        # there the x axis' labels begin.)
        rect = super().boundingRect()
        return rect.adjusted(0.0, -self.label_height() / 2, 0.0, 0.0)


class DistributionPlots:
    """One PlotWidget holding two plots: `before` on top, and its own plotItem, `after`."""

    title = "Distributions"

    def __init__(self) -> None:
        self.widget = pg.PlotWidget(axisItems=grid_axes(left=CountAxis("left")), enableMenu=False)
        self.after = new_plot(self.widget.getPlotItem())
        self.before = new_plot(
            pg.PlotItem(axisItems=grid_axes(left=CountAxis("left")), enableMenu=False)
        )
        layout = pg.GraphicsLayout()
        self.widget.setCentralItem(layout)
        layout.addItem(self.before, row=0, col=0)
        layout.addItem(self.after, row=1, col=0)
        layout.setSpacing(0)
        self.pictures = StagePictures(layout, column=1)  # when A is a picture
        self.before.setLabel("bottom", "before: raw x")
        self.after.setLabel("bottom", f"after: {X_LABEL}")
        for plot in (self.before, self.after):
            plot.setLabel("left", "count")
        self.bands = RegimeBands(self.after)
        self.raw = tuple(pg.PlotDataItem(stepMode="center", name=n) for n in ("A", "B"))
        self.affine = tuple(
            pg.PlotDataItem(stepMode="center", fillLevel=0, name=n) for n in ("A", "B")
        )
        for plot, items in ((self.before, self.raw), (self.after, self.affine)):
            for z, item in zip((11, 10), items, strict=True):
                item.setZValue(z)
                plot.addItem(item)
        # The before histograms stay as they are while γ or β move (the bands keep their own
        # painted pixels too).
        keep_painted(*(item.curve for item in self.raw))
        # One legend, above both plots: the same colours and lines stand for A and B in each.
        self.legend = SeriesLegend(Strip(self.before), self.affine, swatch=True)
        self._theme = LIGHT
        self._frame: Frame | None = None
        self._after_y = (0.0, 1.0)
        self._drawn: dict[pg.PlotDataItem, Histogram | None] = {}  # what each item holds
        self.covers = {self.after: self.cover}

    @property
    def plots(self) -> tuple[pg.PlotItem, pg.PlotItem]:
        return self.before, self.after

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self.widget.setBackground(theme.background)
        style_plot(self.before, theme, self.title)
        style_plot(self.after, theme, "")
        self.after.setTitle(None)
        metrics = QFontMetrics(font(theme))
        # tick labels of up to "000k", their offset and tick, and the rotated axis label
        width = metrics.horizontalAdvance("000k") + 1.2 * metrics.lineSpacing()
        width += theme.font_pt // 2 + 12
        for plot in self.plots:
            plot.getAxis("left").setWidth(round(width))
        self.bands.set_theme(theme)
        for style, raw, affine in zip(series_styles(theme), self.raw, self.affine, strict=True):
            raw.setPen(style.hist_pen)
            affine.setPen(style.hist_pen)
            affine.setFillBrush(style.hist_fill)
        self.legend.set_style(theme.foreground, theme.font_pt * 0.85)
        self.pictures.set_theme(theme)

    def draw(self, frame: Frame) -> dict[pg.PlotItem, Ranges]:
        """Draw `frame`; returns the ranges of the before and the after plot."""
        self.pictures.draw(frame)
        for i, (raw, affine) in enumerate(zip(self.raw, self.affine, strict=True)):
            s = frame.series[i] if i < len(frame.series) else None
            for item, hist in (
                (raw, None if s is None else s.hist_raw),
                (affine, None if s is None else s.hist_affine),
            ):
                if self._drawn.get(item, item) is hist:
                    continue  # the same histogram (the raw one while γ or β move): not repainted
                self._drawn[item] = hist
                item.setVisible(hist is not None)
                if hist is None:
                    item.clear()
                else:
                    item.setData(hist.edges, hist.counts.astype(np.float64))
        shown = [s is not None for s in (frame.a, frame.b)]
        self.legend.set_shown(shown)
        before = hist_ranges([s.hist_raw for s in frame.series])
        after = hist_ranges([s.hist_affine for s in frame.series])
        self._frame, self._after_y = frame, after[1]
        return {self.before: before, self.after: after}

    def cover(self, x: Range, drawn: Range) -> Range:
        """The y range the after plot needs across `x`, the range it shows (wider than the
        frame's while the plot area keeps its ranges steady or held); its regime bands shade
        whatever range it shows (`drawn` too, then)."""
        if self._frame is not None:
            self.bands.set_regimes(self._frame.state.activation, self._frame.state.regime)
        return self._after_y
