"""Each stage of the Stages plot on its own scale, as parallel coordinates are drawn.

Pixel values 0..255 beside x̂ in −2..2 and σ in 0..1 share no useful axis: on one scale the later
stages collapse to a line. Scaled per stage, each column spans the plot's height with its own
ticks and labels, and the lines between them still show which element goes where.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.qt.plots._marks import ViewSpanning

FloatArray = NDArray[np.floating]
Scaling = Literal["auto", "shared", "each"]
SCALINGS: Final[dict[Scaling, str]] = {
    "auto": "Stage scales: automatic",
    "shared": "Stage scales: one for all",
    "each": "Stage scales: each stage its own",
}
# Automatic scaling gives each stage its own scale once the normalized stages (x̂, γ·x̂ + β and
# the activation) would fill less than this share of a scale shared with the raw values.
DWARFED: Final = 0.1
PAD: Final = 0.08  # of each stage's span, above and below, as the shared scale is padded
_TICKS: Final = 4  # about this many labelled ticks per stage
_TICK_PX: Final = 5.0
_GAP_PX: Final = 8.0  # between a label and the column, where the marks are


def stage_bounds(values: Sequence[FloatArray]) -> tuple[FloatArray, FloatArray]:
    """The lowest and highest value at each stage over every series' (elements, stages) array."""
    lo = np.min([v.min(axis=0) for v in values], axis=0)
    hi = np.max([v.max(axis=0) for v in values], axis=0)
    return lo.astype(np.float64), hi.astype(np.float64)


def raw_dwarfs_the_rest(lo: FloatArray, hi: FloatArray) -> bool:
    """Whether, on one scale for all, the raw values' range would squeeze the normalized stages
    into less than DWARFED of the plot's height."""
    # In halves: values near ±1e308 would overflow a difference of the whole.
    whole = max(float(hi.max()) * 0.5 - float(lo.min()) * 0.5, 0.0)
    rest = max(float(hi[1:].max()) * 0.5 - float(lo[1:].min()) * 0.5, 0.0)
    return bool(np.isfinite(whole) and whole > 0 and rest < DWARFED * whole)


def to_unit(values: FloatArray, lo: FloatArray, hi: FloatArray) -> FloatArray:
    """Each stage's values (columns) mapped onto 0..1 by its own range; a stage whose values
    are all the same sits at the middle."""
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        # In halves, as above: a span of ±1e308 values stays finite.
        half_span = hi * 0.5 - lo * 0.5
        flat = ~(half_span > 0)
        unit = (values * 0.5 - lo * 0.5) / np.where(flat, 1.0, half_span)
    return np.where(flat, 0.5, unit)


def nice_ticks(lo: float, hi: float, count: int = _TICKS) -> tuple[list[float], float]:
    """About `count` round values within [lo, hi] (1, 2, 2.5 or 5 times a power of ten apart),
    and their step; the one value for an empty range."""
    span = hi - lo
    if not (span > 0 and np.isfinite(span)):
        return [lo], 0.0
    rough = span / count
    if not rough > 0:  # a span of a few subnormals: nothing round to mark in it
        return [lo], 0.0
    power = 10.0 ** math.floor(math.log10(rough))
    if not power > 0:
        return [lo], 0.0
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= rough)
    first = math.ceil(lo / step - 1e-9)
    last = math.floor(hi / step + 1e-9)
    return [k * step for k in range(first, last + 1)], step


def tick_label(value: float, step: float) -> str:
    """A tick's value with as many decimals as its step needs (0.25 → 2), or in short
    scientific form for very large or small values."""
    if value == 0:
        return "0"
    if step and abs(step) >= 1e-4 and abs(value) < 1e6:
        decimals = max(0, -math.floor(math.log10(step) + 1e-9))
        if not float(step * 10**decimals).is_integer():
            decimals += 1  # 2.5, 0.25
        return f"{value:.{decimals}f}".replace("-", "−")
    return f"{value:.3g}".replace("-", "−")


class StageScales(ViewSpanning):
    """Per-stage axes drawn in the plot: a line up each stage's column with its ticks, and the
    labels to its left (vector text in an SVG export)."""

    def __init__(self) -> None:
        super().__init__()
        self._axes: list[tuple[float, list[tuple[float, str]]]] = []
        self._font = QFont()
        self._colour = QColor("#000000")
        self._halo = QColor("#ffffff")
        self.setZValue(5)  # over the grid, under the lines and marks

    def set_style(self, text_font: QFont, colour: str, background: str) -> None:
        self._font = text_font
        self._colour = QColor(colour)
        self._halo = QColor(background)
        self._halo.setAlpha(200)
        self.update()

    def set_stages(self, lo: FloatArray, hi: FloatArray) -> None:
        """One axis per stage at x = 0, 1, …, each labelling its own range drawn over 0..1
        (padded by PAD, as the values are placed with to_unit)."""
        axes = []
        for k, (a, b) in enumerate(zip(lo.tolist(), hi.tolist(), strict=True)):
            ticks, step = nice_ticks(a, b)
            span = b - a  # Python floats: inf rather than an overflow warning
            at = [(0.5 if not span > 0 else (t - a) / span, tick_label(t, step)) for t in ticks]
            axes.append((float(k), at))
        if axes != self._axes:
            self._axes = axes
            self.update()

    def shown(self) -> list[list[str]]:
        """The labels of each stage's axis, for tests and a look from the console."""
        return [[text for _, text in at] for _, at in self._axes]

    def paint(self, p: QPainter, *args: object) -> None:
        if not self._axes:
            return
        t = p.transform()
        p.resetTransform()  # in device pixels from here: text and ticks at their own size
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._font)
        metrics = QFontMetricsF(self._font)
        axis_pen = pg.mkPen(self._colour, width=1.0)
        for x, at in self._axes:
            bottom, top = t.map(QPointF(x, 0.0)), t.map(QPointF(x, 1.0))
            p.setPen(axis_pen)
            p.drawLine(bottom, top)
            for y, text in at:
                point = t.map(QPointF(x, y))
                p.setPen(axis_pen)
                p.drawLine(QPointF(point.x() - _TICK_PX, point.y()), point)
                width = metrics.horizontalAdvance(text)
                box = QRectF(
                    point.x() - _GAP_PX - width - 2.0,
                    point.y() - metrics.height() / 2,
                    width + 4.0,
                    metrics.height(),
                )
                p.fillRect(box, self._halo)
                p.setPen(self._colour)
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
