"""Strip: a band of a plot outside its data area, above the data or under the x axis, for what
is read rather than plotted: a readout, a key, a legend.

A box inside the data area covers points whenever they come its way, and γ = 10 or β = −10
sends them into every corner in turn; out here nothing is ever under it, in the window, in
presentation mode and in exported pictures alike. The band is as tall as its text, wrapped to
the plot's width, so the data area gives up only the lines the strip needs.
"""

from __future__ import annotations

import math
from typing import Final, Literal

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsSceneResizeEvent, QGraphicsTextItem

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

# The cells of pyqtgraph's PlotItem layout: row 1 holds the top axis (never shown here), row 2
# the data, row 3 the bottom axis with its label; column 1 lines up with the data area.
_ROWS: Final = {"above": 1, "below": 4}
_DATA_COLUMN: Final = 1
_GAP: Final = 8.0  # between the text and a legend beside it
_MIN_SCALE: Final = 0.5  # smaller than this the text could not be read: the data gives way


class Strip(pg.GraphicsWidget):
    """Rich text on the left and, optionally, a legend on the right, in a band of `plot` above
    its data area or below its x axis."""

    def __init__(
        self,
        plot: pg.PlotItem,
        where: Literal["above", "below"] = "above",
        share: float = 0.25,
    ) -> None:
        """`share`: the most of the plot's height the strip takes; a longer text is drawn
        smaller (large type in a small plot would otherwise leave no room for the data)."""
        super().__init__()
        if where == "above":
            plot.layout.removeItem(plot.getAxis("top"))  # its cell is the strip's now
        plot.layout.addItem(self, _ROWS[where], _DATA_COLUMN)
        self._plot = plot
        self._share = share
        plot.geometryChanged.connect(self._fit)
        self.text = QGraphicsTextItem(self)
        self.text.setVisible(False)  # until it has something to say
        self._html = ""
        self._legend: pg.LegendItem | None = None
        self._height = -1.0
        self._fit()

    def set_html(self, html: str) -> None:
        if html != self._html:  # setHtml lays the text out again: only when it changed
            self._html = html
            self.text.setHtml(html)
            self.text.setVisible(bool(html))
            self._fit()

    def html(self) -> str:
        return self._html

    def set_style(self, text_font: QFont, color: str) -> None:
        self.text.setFont(text_font)
        self.text.setDefaultTextColor(QColor(color))
        self._fit()

    def hold_legend(self, legend: pg.LegendItem) -> None:
        """Show `legend` at the strip's right end (the strip grows to its height)."""
        self._legend = legend
        legend.setParentItem(self)
        legend.anchor(itemPos=(1, 0), parentPos=(1, 0), offset=(-2, 0))
        legend.geometryChanged.connect(self._fit)
        self._fit()

    def resizeEvent(self, event: QGraphicsSceneResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.newSize().width():
            self._fit()

    def _legend_size(self) -> tuple[float, float]:
        legend = self._legend
        if legend is None or not legend.isVisible() or not legend.items:
            return 0.0, 0.0
        return legend.width(), legend.height()

    def _fit(self) -> None:
        """Wrap the text to the room beside the legend and make the band as tall as what it
        holds. The plot is laid out again only when that height changes (rarely: most frames
        change a figure or two of the same lines)."""
        legend_w, legend_h = self._legend_size()
        width = self.size().width()
        room = max(40.0, width - legend_w - (_GAP if legend_w else 0.0))
        text_h = self._wrap(room, width > 0) if self._html else 0.0
        height = float(math.ceil(max(text_h, legend_h)))
        if height != self._height:
            self._height = height
            self.setMinimumHeight(height)
            self.setMaximumHeight(height)
            self.setPreferredHeight(height)

    def _wrap(self, room: float, laid_out: bool) -> float:
        """Wrap the text to `room` (one line before the first layout, when the width is not
        known yet), drawn smaller if it would take more than its share of the plot's height;
        return the height it takes."""
        text = self.text
        text.setScale(1.0)
        text.setTextWidth(room if laid_out else -1.0)
        height = text.boundingRect().height()
        limit = self._share * self._plot.size().height()
        scale = 1.0
        # Smaller type wraps into fewer lines: a few steps settle on a scale that fits.
        for _ in range(4):
            if scale <= _MIN_SCALE or not laid_out or limit <= 0 or scale * height <= limit:
                break
            scale = max(_MIN_SCALE, scale * limit / (scale * height))
            text.setTextWidth(room / scale)
            height = text.boundingRect().height()
        text.setScale(scale)
        # A new wrapping width leaves a cached picture of the text (see PlotArea) as it was,
        # blank after a relayout: draw it again.
        text.update()
        return scale * height
