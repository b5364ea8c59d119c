"""Turning a Theme into pens, brushes, fonts and axis styles, and the marker vocabulary.

A and B differ by marker shape and line style as well as by colour, so the plots read in grey
and for every colour-vision deficiency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.methods import ACTIVATION_LABELS
from normgui.qt.plots._axes import AXES, HIDDEN_AXES, GridAxis, grid_under_view
from normgui.qt.plots._marks import MarkStyle, Shape
from normgui.qt.theme import Theme

SERIES_GLYPHS: Final = ("●", "■")  # the same shapes in text
EDGE_SYMBOLS: Final = ("t3", "t2")  # triangles pointing out of the view: left, right


def function_symbol(activation: str) -> str:
    """How the activation is written in formulas: σ for the sigmoid, its label otherwise."""
    return "σ" if activation == "sigmoid" else ACTIVATION_LABELS.get(activation, activation)


def color(value: str | Sequence[int], alpha: int | None = None) -> QColor:
    c = pg.mkColor(value)
    if alpha is not None:
        c.setAlpha(alpha)
    return c


def pen(
    value: str | Sequence[int] | QColor,
    width: float = 1.0,
    alpha: int | None = None,
    dashed: bool = False,
) -> QPen:
    """A cosmetic pen (its width in pixels, whatever the zoom)."""
    p = pg.mkPen(color(value, alpha) if not isinstance(value, QColor) else value, width=width)
    if dashed:
        p.setStyle(Qt.PenStyle.DashLine)
    return p


def brush(value: str | Sequence[int] | QColor, alpha: int | None = None) -> QBrush:
    return pg.mkBrush(color(value, alpha) if not isinstance(value, QColor) else value)


def blend(top: Sequence[int], background: str, gain: float = 1.0) -> str:
    """The opaque colour of an RGBA `top` over `background` (alpha × gain): for text swatches."""
    alpha = min(1.0, gain * top[3] / 255.0)
    bg = color(background)
    under = (bg.red(), bg.green(), bg.blue())
    rgb = [round(alpha * t + (1.0 - alpha) * b) for t, b in zip(top[:3], under, strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def mix(top: str, background: str, alpha: float) -> str:
    """The opaque colour of `top` at `alpha` over `background`."""
    c = color(top)
    return blend((c.red(), c.green(), c.blue(), round(255 * alpha)), background)


def font(theme: Theme, scale: float = 1.0) -> QFont:
    f = QFont()
    f.setPointSizeF(max(6.0, theme.font_pt * scale))
    return f


def style_plot(plot: pg.PlotItem, theme: Theme, title: str) -> None:
    """Axes, ticks, grid and title of one plot in the theme's colours and sizes."""
    plot.setTitle(title, color=theme.foreground, size=f"{theme.font_pt + 1}pt")
    title_height = int(theme.font_pt * 2.4) + 6
    plot.layout.setRowFixedHeight(0, title_height)
    plot.titleLabel.setMaximumHeight(title_height)
    tick_font = font(theme)
    for name in AXES:
        axis = plot.getAxis(name)
        axis.setPen(pen(theme.foreground))
        axis.setTextPen(pen(theme.foreground))
        axis.setTickFont(tick_font)
        axis.setStyle(tickTextOffset=max(3, theme.font_pt // 2))
        axis.setLabel(axis.labelText, color=theme.foreground, **{"font-size": f"{theme.font_pt}pt"})
        if isinstance(axis, GridAxis):
            axis.set_under(color(theme.background))
    plot.showGrid(x=True, y=True, alpha=theme.grid_alpha)


def without_menu(plot: pg.PlotItem) -> None:
    """Turn `plot`'s context menus off and delete pyqtgraph's "Plot Options" menu now.

    pyqtgraph makes that menu (with six submenus) for every PlotItem, whether it is ever shown
    or not, as a parentless QMenu that only the PlotItem's Python object holds. Qt does not
    delete it with the plot, and where that object sits in a reference cycle (as a plot's often
    does), Python's cycle collector deletes the menu later, at whatever allocation it runs: in
    the middle of a Qt call walking every top-level widget (QApplication.topLevelWidgets()
    turning its pointers into Python objects reads the freed menu), or in another Python thread.
    A plot dropped while the app lived crashed it so."""
    plot.setMenuEnabled(False)  # (the ViewBox's menu goes too)
    menu = plot.ctrlMenu
    if menu is not None:
        plot.ctrlMenu = None  # (read only to show it, and by close(), which takes None as done)
        shiboken6.delete(menu)


def new_plot(plot: pg.PlotItem) -> pg.PlotItem:
    """Settings every plot shares, whatever the theme: the grid under the data and no SI
    prefixes (its axes are GridAxis, see _axes), no auto range, no context menu (a plot made
    with enableMenu=False does not build the ViewBox menu it would drop here: 3 ms a plot at
    start-up)."""
    grid_under_view(plot)
    for side in HIDDEN_AXES:
        # Hidden, but pyqtgraph would still lay their labels' rich text out again at every range
        # change, to fit an SI prefix: some 100 layouts at a window's start.
        plot.getAxis(side).enableAutoSIPrefix(False)
    plot.disableAutoRange()
    without_menu(plot)
    plot.hideButtons()
    return plot


def set_axis_label(plot: pg.PlotItem, name: str, text: str) -> None:
    """Change an axis label's text, keeping its style (and doing nothing if it is the same)."""
    axis = plot.getAxis(name)
    if axis.labelText != text:
        axis.setLabel(text, **axis.labelStyle)


_RANGE_LIMIT: Final = 1e300


_MIN_SPAN = 1e-200


def padded(lo: float, hi: float, frac: float = 0.05) -> tuple[float, float]:
    """[lo, hi] widened by `frac` of its width on each side (a unit range if it is empty),
    kept within ±1e300 so that pyqtgraph's arithmetic on the range cannot overflow."""
    if not np.isfinite(lo) or not np.isfinite(hi):
        return (-1.0, 1.0)
    lo, hi = (min(max(v, -_RANGE_LIMIT), _RANGE_LIMIT) for v in (lo, hi))
    span = hi - lo
    # A span like 1e-308 (constant tiny data) would scale to pixels by inf: treat it as empty.
    pad = frac * span if span > _MIN_SPAN else max(0.5, abs(lo) * 0.05)
    return (max(-_RANGE_LIMIT, lo - pad), min(_RANGE_LIMIT, hi + pad))


@dataclass(frozen=True, eq=False)
class SeriesStyle:
    """Everything one series (A or B) is drawn with, made once per theme."""

    label: str
    color: str
    glyph: str  # the mark's shape as a text character, for the readout
    dashed: bool
    point: MarkStyle  # one mark per value: filled, with a rim in the background colour
    density: MarkStyle  # binned values: one mark per group of bins, sized by count
    ghost: MarkStyle  # the raw inputs: faint and hollow
    ring: MarkStyle  # B while it coincides with A: an outline around A's mark, not under it
    edge_pen: QPen  # the triangles at the edge of the view
    edge_brush: QBrush
    line_pen: QPen  # the stages, when there are many lines
    hist_pen: QPen
    hist_fill: QBrush


def series_styles(theme: Theme) -> tuple[SeriesStyle, SeriesStyle]:
    def make(i: int) -> SeriesStyle:
        c = theme.series[i]
        shape: Shape = "circle" if i == 0 else "square"
        size = theme.marker_size
        dashed = i == 1
        return SeriesStyle(
            label="AB"[i],
            color=c,
            glyph=SERIES_GLYPHS[i],
            dashed=dashed,
            point=MarkStyle(shape, size, color(c), color(theme.background), 1.0),
            density=MarkStyle(shape, size, color(c, 215), color(theme.background), 1.0),
            ghost=MarkStyle(
                shape,
                size * 0.9,
                color(mix(c, theme.background, 0.6)),  # faint, yet opaque (see MarkStyle)
                hollow=True,
                line_width=max(1.2, theme.line_width * 0.6),
            ),
            ring=MarkStyle(
                shape, size * 1.7, color(c), hollow=True, line_width=max(1.5, theme.line_width)
            ),
            edge_pen=pen(theme.background, 1.0),
            edge_brush=brush(c),
            # One pixel wide and opaque: through a plot's scaling, Qt draws wider or see-through
            # lines some twenty times slower, and these are hundreds.
            line_pen=pen(mix(c, theme.background, 0.7), 1.0, dashed=dashed),
            hist_pen=pen(c, theme.line_width * 0.8, dashed=dashed),
            hist_fill=brush(c, 70 if i == 0 else 55),
        )

    return make(0), make(1)
