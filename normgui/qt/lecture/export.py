"""The plot area to files and the clipboard: PNG at a chosen resolution, and SVG.

SVG is written with Qt's own QSvgGenerator, painting the plot widgets as they are on screen,
rather than with pyqtgraph's SVG exporter: that one (0.14.0) breaks on the `Z` path commands
Qt 6.12 writes, and draws only one plot at a time. Text stays text (`<text>` elements) and
curves stay vectors (`<path>`, `<polyline>`), so a slide can be edited and scaled; the
transforms Qt writes are baked into the coordinates (see svg_flatten) so that every reader draws
the same picture.
"""

from __future__ import annotations

import atexit
from pathlib import Path
from typing import Final

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, QRect, QRectF
from PySide6.QtGui import QColor, QGuiApplication, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.qt.lecture.svg_flatten import flatten
from normgui.qt.plots import PlotArea

# The resolutions offered for PNG, as multiples of the size on screen; 2× suits slides.
PNG_SCALES: Final = (1.0, 2.0, 3.0, 4.0)
DEFAULT_SCALE: Final = 2.0
SVG_MIME: Final = "image/svg+xml"
FORMATS: Final = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}


def svg_bytes(plots: PlotArea, title: str = "normgui plots") -> bytes:
    """The plot area as an SVG document, at its size on screen (in pixels)."""
    size = plots.settle_for_render()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    # Fonts are sized in points: at the screen's resolution they keep their size on screen.
    generator.setResolution(plots.logicalDpiX())
    generator.setTitle(title)
    generator.setDescription("Plots drawn by normgui")
    painter = QPainter()
    preparation = _SvgPreparation(plots)
    try:
        if not painter.begin(generator):
            raise OSError("could not start drawing the SVG")
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(QRect(QPoint(0, 0), size), QColor(plots.theme.background))
        plots.render(painter, QPoint())
    finally:
        if painter.isActive():
            painter.end()
        preparation.restore()
    buffer.close()
    return flatten(bytes(buffer.data().data()), preparation.clips)


class _ClipMark(QGraphicsItem):
    """A rectangle the size of its view box, in a colour nothing else uses: drawn first and last
    among the view box's children, it marks in the SVG what the view box clips, and where."""

    def __init__(self, box: pg.ViewBox, colour: QColor, z: float) -> None:
        super().__init__(box)
        self._box = box
        self._colour = colour
        self.setZValue(z)

    def boundingRect(self) -> QRectF:
        return self._box.rect()

    def paint(self, painter: QPainter, option: object, widget: QWidget | None = None) -> None:
        painter.fillRect(self._box.rect(), self._colour)


class _SvgPreparation:
    """What an SVG needs, until restore(): no bitmap caches (each view caches its background,
    pyqtgraph's axes cache their ticks and grid; they would land in the SVG as <image>s), and
    clip marks around every view box (QSvgGenerator writes no clipping: a tangent that runs off
    a plot on screen is cut there, in an SVG it would run over the title)."""

    def __init__(self, plots: PlotArea) -> None:
        self.clips: list[tuple[str, str]] = []
        self._views = [(v, v.cacheMode()) for v in plots.findChildren(QGraphicsView)]
        self._items: list[tuple[QGraphicsItem, QGraphicsItem.CacheMode]] = []
        self._marks: list[_ClipMark] = []
        boxes: list[pg.ViewBox] = []
        for view, _mode in self._views:
            view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
            for item in view.items():
                mode = item.cacheMode()
                if mode != QGraphicsItem.CacheMode.NoCache:
                    self._items.append((item, mode))
                    item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
                if isinstance(item, pg.ViewBox):
                    boxes.append(item)
        for k, box in enumerate(boxes[:50]):
            start, end = QColor(254, 1, 200 + k), QColor(253, 1, 200 + k)
            self._marks += [_ClipMark(box, start, -1e12), _ClipMark(box, end, 1e12)]
            self.clips.append((start.name(), end.name()))

    def restore(self) -> None:
        for mark in self._marks:
            scene = mark.scene()
            if scene is not None:
                scene.removeItem(mark)
        self._marks.clear()
        for item, mode in self._items:
            item.setCacheMode(mode)
        for view, view_mode in self._views:
            view.setCacheMode(view_mode)


def save_svg(plots: PlotArea, path: str | Path) -> None:
    """Write the plot area to `path` as SVG; OSError says what failed."""
    data = svg_bytes(plots)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise OSError(f"could not write the drawing {path}: {exc.strerror or exc}") from exc


def save_plots(plots: PlotArea, path: str | Path, scale: float = DEFAULT_SCALE) -> None:
    """Save the plot area as an image (PNG, JPEG…) `scale` times its size on screen or, for a
    .svg path, as an SVG drawing; OSError/ValueError say what failed."""
    if Path(path).suffix.lower() == ".svg":
        save_svg(plots, path)
        return
    image = plots.render_image(scale)
    if image.isNull() or not image.save(str(path)):
        raise OSError(f"could not write the image {path}")


def with_suffix(path: str, chosen_filter: str) -> str:
    """`path` with the suffix of the chosen file-dialog filter when it has none of ours."""
    if Path(path).suffix.lower() in FORMATS:
        return path
    for suffix, name in FORMATS.items():
        if name == chosen_filter:
            return path + suffix
    return path + ".png"


def copy_to_clipboard(plots: PlotArea, scale: float = DEFAULT_SCALE) -> None:
    """Put the plots on the clipboard as an image, and as SVG for programs that take it."""
    image = plots.render_image(scale)
    data = QMimeData()
    data.setImageData(image)
    data.setData(SVG_MIME, QByteArray(svg_bytes(plots)))
    clipboard = QGuiApplication.clipboard()
    clipboard.setMimeData(data)
    if QGuiApplication.platformName() in IN_PROCESS_CLIPBOARD:
        atexit.unregister(_clear_clipboard)  # registered once, however many copies
        atexit.register(_clear_clipboard)


# Platforms whose clipboard lives in the process (headless runs, tests). There, a QMimeData made
# in Python and still on the clipboard when the interpreter shuts down is deleted by Qt after
# Python has gone, and the process ends in a segmentation fault (PySide6 6.11). Its content dies
# with the process anyway: it is cleared at exit, while Python is still there. A real desktop
# clipboard is left alone, so that the plots can still be pasted after normgui quits.
IN_PROCESS_CLIPBOARD: Final = ("offscreen", "minimal")


def _clear_clipboard() -> None:
    if QGuiApplication.instance() is not None:
        QGuiApplication.clipboard().clear()
