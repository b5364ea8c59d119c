"""Turning a Theme into pens, brushes, fonts and axis styles, and the marker vocabulary.

A and B differ by marker shape and line style as well as by colour, so the plots read in grey
and for every colour-vision deficiency.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPen

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.methods import ACTIVATION_LABELS
from normgui.qt.theme import Theme

SERIES_SYMBOLS: Final = ("o", "s")  # A: circles, B: squares
SERIES_GLYPHS: Final = ("●", "■")  # the same shapes in text
EDGE_SYMBOLS: Final = ("t3", "t2")  # triangles pointing out of the view: left, right
AXES: Final = ("left", "bottom")


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
    rgb = [round(alpha * t + (1.0 - alpha) * b) for t, b in zip(top[:3], bg.getRgb()[:3], strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


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
    plot.showGrid(x=True, y=True, alpha=theme.grid_alpha)


def new_plot(plot: pg.PlotItem) -> pg.PlotItem:
    """Settings every plot shares, whatever the theme: no SI prefixes, no auto range."""
    for name in AXES:
        plot.getAxis(name).enableAutoSIPrefix(False)
    plot.disableAutoRange()
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def set_axis_label(plot: pg.PlotItem, name: str, text: str) -> None:
    """Change an axis label's text, keeping its style (and doing nothing if it is the same)."""
    axis = plot.getAxis(name)
    if axis.labelText != text:
        axis.setLabel(text, **axis.labelStyle)


def padded(lo: float, hi: float, frac: float = 0.05) -> tuple[float, float]:
    """[lo, hi] widened by `frac` of its width on each side (a unit range if it is empty)."""
    if not np.isfinite(lo) or not np.isfinite(hi):
        return (-1.0, 1.0)
    span = hi - lo
    if not span > 0:
        half = max(0.5, abs(lo) * 0.05)
        return (lo - half, hi + half)
    return (lo - frac * span, hi + frac * span)
