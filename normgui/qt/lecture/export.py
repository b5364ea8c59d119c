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

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMimeData,
    QPoint,
    QRect,
    QRectF,
    QSize,
)
from PySide6.QtGui import QColor, QGuiApplication, QImage, QImageWriter, QPainter
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QWidget

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.qt.plots import PlotArea

# The resolutions offered for PNG, as multiples of the size on screen; 2× suits slides.
PNG_SCALES: Final = (1.0, 2.0, 3.0, 4.0)
DEFAULT_SCALE: Final = 2.0
SVG_MIME: Final = "image/svg+xml"
FORMATS: Final = {".png": "PNG image (*.png)", ".svg": "SVG drawing (*.svg)"}


def fit_header(header: QWidget | None, width: int) -> int:
    """Lay `header` out `width` wide, as tall as its text needs there; its height (0: none)."""
    if header is None:
        return 0
    header.ensurePolished()
    layout = header.layout()
    height = layout.totalHeightForWidth(width) if layout is not None else -1
    if height < 0:
        height = header.sizeHint().height()
    header.resize(width, height)
    if layout is not None:
        layout.activate()
    return height


def svg_bytes(
    plots: PlotArea, title: str = "normgui plots", header: QWidget | None = None
) -> bytes:
    """The plot area as an SVG document, at its size on screen (in pixels), under `header` (a
    scene's caption) if given."""
    # Imported on the first SVG (an export or a copy), not with the window: Qt's SVG module and
    # the flattening (with its XML parser) take some 10 ms of the start otherwise.
    from PySide6.QtSvg import QSvgGenerator

    from normgui.qt.lecture.svg_flatten import flatten

    plots_size = plots.settle_for_render()
    top = fit_header(header, plots_size.width())
    size = QSize(plots_size.width(), plots_size.height() + top)
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
        if header is not None:
            header.render(painter, QPoint())
        plots.render(painter, QPoint(0, top))
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


def render_image(plots: PlotArea, scale: float, header: QWidget | None = None) -> QImage:
    """The plot area as an image `scale` times its size on screen, under `header` if given."""
    image = plots.render_image(scale)
    if header is None:
        return image
    width = round(image.width() / scale)
    top = fit_header(header, width)
    out = QImage(image.width(), image.height() + round(top * scale), image.format())
    out.setDevicePixelRatio(scale)
    out.fill(QColor(plots.theme.background))
    painter = QPainter(out)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        header.render(painter, QPoint())
        painter.drawImage(QPoint(0, top), image)
    finally:
        painter.end()
    return out


def save_svg(plots: PlotArea, path: str | Path, header: QWidget | None = None) -> None:
    """Write the plot area (under `header`) to `path` as SVG; OSError says what failed."""
    _write(Path(path), svg_bytes(plots, header=header), "drawing")


def save_plots(
    plots: PlotArea,
    path: str | Path,
    scale: float = DEFAULT_SCALE,
    header: QWidget | None = None,
) -> None:
    """Save the plot area, under `header` if given, as an image (PNG, JPEG…) `scale` times its
    size on screen or, for a .svg path, as an SVG drawing. OSError says what failed, with the
    system's reason (a missing folder, no permission, a full disk); ValueError, a file type
    that cannot be written."""
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "svg":
        save_svg(plots, path, header)
        return
    writable = {bytes(f.data()).decode() for f in QImageWriter.supportedImageFormats()}
    if suffix not in writable:
        raise ValueError(
            f"cannot write {path.name}: the file name must end in .png or .svg "
            "(or another image type: .jpg, .bmp…)"
        )
    image = render_image(plots, scale, header)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # Encoded in memory, then written: a failed write then has the system's reason.
    # (PySide6 takes the format as str, though its stubs say bytes.)
    if image.isNull() or not image.save(buffer, suffix.upper()):  # type: ignore[call-overload]
        raise OSError(f"could not make the image {path.name}")
    _write(path, bytes(buffer.data().data()), "image")


def _write(path: Path, data: bytes, what: str) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OSError(f"could not write the {what} {path}: {reason}") from exc


def with_suffix(path: str, chosen_filter: str) -> str:
    """`path` with the suffix of the chosen file-dialog filter when it has none of ours."""
    if Path(path).suffix.lower() in FORMATS:
        return path
    for suffix, name in FORMATS.items():
        if name == chosen_filter:
            return path + suffix
    return path + ".png"


def copy_to_clipboard(
    plots: PlotArea, scale: float = DEFAULT_SCALE, header: QWidget | None = None
) -> None:
    """Put the plots (under `header`) on the clipboard as an image, and as SVG for programs
    that take it."""
    image = render_image(plots, scale, header)
    data = QMimeData()
    data.setImageData(image)
    data.setData(SVG_MIME, QByteArray(svg_bytes(plots, header=header)))
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
