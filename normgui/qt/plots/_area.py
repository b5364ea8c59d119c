"""PlotArea: the live plots in a grid, two a row, drawn from the Frames the store publishes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Final

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPixmapCache
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QGridLayout, QWidget

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent

from normgui.core.pipeline import Frame
from normgui.qt.plots._curves import ActivationPlot, GradientPlot
from normgui.qt.plots._distributions import DistributionPlots
from normgui.qt.plots._plot import Cover, Plot, Range, Ranges
from normgui.qt.plots._stages import StagesPlot
from normgui.qt.plots._style import mix, padded
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, Theme
from normgui.scenes import PLOTS

# The plots, in the order of their names in normgui.scenes.PLOTS (the one list of them, which
# scenes read without Qt), row by row on screen. A new plot: its class (see Plot) in a module of
# its own, one line here, and its name there.
PLOT_TYPES: Final[tuple[Callable[[], Plot], ...]] = (
    ActivationPlot,
    GradientPlot,
    StagesPlot,
    DistributionPlots,
)
# Room for the axis pixmaps of four full-screen plots on a 4K screen (Qt's default is 10 MB).
PIXMAP_CACHE_KB: Final = 128 * 1024
MIN_ROW_HEIGHT: Final = 200  # pixels
# The least size render_image lays the plots out at when the widget is not on screen.
OFFSCREEN_SIZE = QSize(1200, 860)
# While frames follow each other closely (a slider dragged, a spin box held), the plots keep
# their ranges as long as the data fits and fills at least SHRINK of them, and grow to twice what
# the data needs (HEADROOM of it on each side that moved): a frame whose range changes redraws
# the plot's axes, grid and static layer (some 9 ms a plot at 1920×1080, against 2 ms when only
# the marks move), and axes that jump on every step are hard to read. A drag across a range
# three times wider then moves each axis once or twice, not five or six times. SETTLE_S after
# the last frame the ranges fit the data exactly again.
SETTLE_S: Final = 0.3
SHRINK: Final = 0.25
HEADROOM: Final = 0.5


def steady_range(
    current: Range, wanted: Range, shrink: float = SHRINK, headroom: float = HEADROOM
) -> Range:
    """The range to show while frames follow each other closely: `current` while `wanted` fits
    in it and fills at least `shrink` of it, else `wanted` with `headroom` of it on each side
    that moved (a side that stayed, like a histogram's zero, stays)."""
    (c0, c1), (w0, w1) = current, wanted
    if c0 <= w0 and w1 <= c1 and (w1 - w0) >= shrink * (c1 - c0):
        return current
    grown = padded(w0, w1, headroom)
    return (w0 if w0 == c0 else grown[0], w1 if w1 == c1 else grown[1])


def set_view_range(plot: pg.PlotItem, x: Range, y: Range) -> None:
    """Show exactly `x` and `y` on `plot`, its view moved there now. pyqtgraph moves a view
    onto a new range only when it next paints (ViewBox.prepareForPaint → updateMatrix), and a
    transform changed while painting marks every item in the view dirty again: the plot
    painted a second time a turn later. Moved now, the one paint to come draws the new range."""
    plot.setRange(xRange=x, yRange=y, padding=0.0)
    plot.getViewBox().updateMatrix()


def _cache_axes_and_titles(widget: pg.PlotWidget) -> None:
    """An axis replays its ticks, labels and grid (a QPicture) on every paint, about 2 ms each,
    and a text (titles, axis labels, legends) lays out its rich text again: `widget`'s are kept
    as cached pixmaps, redrawn only when the item changes. Not the text of a pyqtgraph TextItem
    (readouts, key, line labels): it re-sets its transform as it paints, and a cached copy came
    out blank after a relayout. (SVG export turns the caches off: see export.py.)"""
    for item in widget.scene().items():
        if isinstance(item, pg.AxisItem) or (
            isinstance(item, QGraphicsTextItem) and not isinstance(item.parentItem(), pg.TextItem)
        ):
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)


class PlotArea(QWidget):
    """The plots, by name: through the activation, its gradient, the stages, and the
    distributions, unless others are given (a mapping of name to Plot, in their order).

    Every graphics item is made once, by its plot; draw() only hands new arrays to them. Each
    frame sets the view ranges it needs; a double click on a plot brings them back after a zoom.
    """

    def __init__(
        self,
        store: Store,
        plots: Mapping[str, Plot] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._frame: Frame | None = None
        self._theme = LIGHT
        self._ranges: dict[pg.PlotItem, Ranges] = {}  # as shown
        self._fitted: dict[pg.PlotItem, Ranges] = {}  # what the frame needs
        self._last_draw = -SETTLE_S
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(round(SETTLE_S * 1000))
        self._settle.timeout.connect(self.fit_ranges)
        self._held: dict[pg.PlotItem, Ranges] | None = None  # see hold_ranges
        self.plots: dict[str, Plot] = (
            dict(zip(PLOTS, (make() for make in PLOT_TYPES), strict=True))
            if plots is None
            else dict(plots)
        )
        # Some plots draw their curve, and their regime bands, across whatever range they show
        # (see _set_ranges).
        self._covers: dict[pg.PlotItem, Cover] = {
            item: cover for plot in self.plots.values() for item, cover in plot.covers.items()
        }
        self._zoomed: set[pg.PlotItem] = set()  # zoomed or panned by the mouse since last set
        for item in self._covers:
            item.getViewBox().sigRangeChangedManually.connect(
                lambda _axes, item=item: self._on_view_range_changed_manually(item)
            )
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        for widget in self.plot_widgets:
            widget.setAntialiasing(True)
            widget.scene().sigMouseClicked.connect(self._on_scene_clicked)
            _cache_axes_and_titles(widget)
        self._place(list(self.plots))
        # Those axis pixmaps span their whole plot (the grid): at full screen they outgrow Qt's
        # 10 MB pixmap cache, which then drops and redraws every axis on every frame.
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.set_theme(LIGHT)
        for plot in self.plots.values():
            # A plot with a choice of its own (the stages' scales) asks to be drawn again.
            redraw = getattr(plot, "redraw_requested", None)
            if redraw is not None:
                redraw.connect(self._redraw)
        store.frame_changed.connect(self.draw)
        self.draw(store.frame)

    @property
    def plot_widgets(self) -> tuple[pg.PlotWidget, ...]:
        """The plots' widgets, in order (the distributions' holds two plot items)."""
        return tuple(plot.widget for plot in self.plots.values())

    def arrange(self, names: Sequence[str] | None = None) -> None:
        """Show only the plots `names`, in that order: one fills the area, two sit side by side,
        more take two a row. None: all of them in their usual places."""
        chosen = list(self.plots if names is None else names)
        unknown = [n for n in chosen if n not in self.plots]
        if unknown or not chosen or len(set(chosen)) != len(chosen):
            raise ValueError(
                f"plots to show: 1 to {len(self.plots)} different ones of {', '.join(self.plots)}"
            )
        for name, plot in self.plots.items():
            self._grid.removeWidget(plot.widget)
            plot.widget.setVisible(name in chosen)
        self._place(chosen)

    def _place(self, names: Sequence[str]) -> None:
        """Lay the plots `names` out two a row (a single one alone), sharing the room evenly."""
        columns = 1 if len(names) == 1 else 2
        for i, name in enumerate(names):
            self._grid.addWidget(self.plots[name].widget, i // columns, i % columns)
        rows = (len(names) + columns - 1) // columns
        # Each row of plots keeps a height where its data can be seen: a dock opened below (the
        # analysis) takes the rest, and scrolls if it needs more.
        self.setMinimumHeight(rows * MIN_ROW_HEIGHT)
        for k in range(max(self._grid.rowCount(), self._grid.columnCount())):
            self._grid.setRowStretch(k, 1 if k < rows else 0)
            self._grid.setColumnStretch(k, 1 if k < columns else 0)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def frame(self) -> Frame | None:
        """The Frame drawn last."""
        return self._frame

    def draw(self, frame: Frame) -> None:
        self._frame = frame
        now = time.monotonic()
        steady = now - self._last_draw < SETTLE_S
        self._last_draw = now
        for plot in self.plots.values():
            for item, (x, y) in plot.draw(frame).items():
                self._set_ranges(item, x, y, steady)
        if steady:
            self._settle.start()

    def _redraw(self) -> None:
        if self._frame is not None:
            self.draw(self._frame)
            self.fit_ranges()

    def fit_ranges(self) -> None:
        """Fit every plot's range to the frame drawn last (done SETTLE_S after a run of
        frames; at once by anyone who needs the exact ranges now)."""
        self._settle.stop()
        if self._held is not None:
            return
        for plot in self._fitted:
            self._fit(plot)

    def _fit(self, plot: pg.PlotItem) -> None:
        x, y = self._fitted[plot]
        self._show_range(plot, x, y if plot not in self._covers else self._cover(plot, x))

    def set_theme(self, theme: Theme) -> None:
        """Restyle every plot (colours, line widths, marker and font sizes) and redraw."""
        self._theme = theme
        # The thin gaps between the plots: a hairline a little off the background.
        palette = self.palette()
        hairline = QColor(mix(theme.foreground, theme.background, 0.12))
        palette.setColor(QPalette.ColorRole.Window, hairline)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        for plot in self.plots.values():
            plot.set_theme(theme)
        if self._frame is not None:
            self.draw(self._frame)

    def render_image(self, scale: float = 1.0) -> QImage:
        """The whole plot area as an image `scale` times its size on screen (sharp: drawn at
        that resolution, not scaled up). Works for a widget that was never shown."""
        self.fit_ranges()  # a picture shows the ranges of its frame, not those of a drag
        self._settle_window_layout()
        if not self.isVisible():  # never laid out on screen: give it room to be read
            self.resize(self.size().expandedTo(OFFSCREEN_SIZE))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._settle_axes()
        size = self.size()
        image = QImage(
            max(1, round(size.width() * scale)),
            max(1, round(size.height() * scale)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        image.setDevicePixelRatio(scale)
        image.fill(QColor(self._theme.background))
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.render(painter, QPoint())
        finally:
            painter.end()
        return image

    def settle_for_render(self) -> QSize:
        """Lay the plots out as render_image does and return the size to draw: for painting the
        plot area on another device (an SVG generator)."""
        self.fit_ranges()
        self._settle_window_layout()
        if not self.isVisible():
            self.resize(self.size().expandedTo(OFFSCREEN_SIZE))
        layout = self.layout()
        if layout is not None:
            layout.activate()
        self._settle_axes()
        return self.size()

    def _settle_window_layout(self) -> None:
        """A window never shown lays itself out at its first layout request, which would undo
        the resize of a picture taken before: let it do so first."""
        top = self.window()
        if top is not self and not top.isVisible():
            top.grab(QRect(0, 0, 1, 1))  # rendering lays a hidden window out; one pixel is enough
            QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def _settle_axes(self) -> None:
        """pyqtgraph sizes its axes to their tick labels while it paints them, and lays the plot
        out again in the next turn of the event loop; on screen nobody sees the first paint, but
        a picture taken at once would show labels overlapping. Paint once, let the layouts
        follow, and only then take the picture."""
        scratch = QImage(self.size(), QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(scratch)
        try:
            self.render(painter, QPoint())
        finally:
            painter.end()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)

    def hold_ranges(self, frames: Iterable[Frame] | None) -> None:
        """Keep every plot's range still, at the union of what `frames` need (and grown by any
        frame drawn while held): an animation then moves the points across fixed axes, and the
        axes are not redrawn every frame. None: each frame sets its own ranges again."""
        current = self._frame
        self._held = None if frames is None else {}
        if frames is not None:
            for frame in frames:
                self.draw(frame)
        if current is not None:
            self.draw(current)

    def _set_ranges(self, plot: pg.PlotItem, x: Range, y: Range, steady: bool) -> None:
        """Show the ranges `plot` needs for the frame: exactly, or held (an animation), or
        steady (a quick run of frames). A plot with a cover() draws its curve and bands across
        the x range shown first, and its y range is what they need."""
        self._fitted[plot] = (x, y)
        holding = self._held is not None
        held = self._held.get(plot) if self._held is not None else None
        shown = None if holding or not steady else self._ranges.get(plot)
        if held is not None:
            x = (min(held[0][0], x[0]), max(held[0][1], x[1]))
        elif shown is not None:
            x = steady_range(shown[0], x)
        if plot in self._covers:
            y = self._cover(plot, x)
        if held is not None:
            y = (min(held[1][0], y[0]), max(held[1][1], y[1]))
        elif shown is not None:
            y = steady_range(shown[1], y)
        if self._held is not None:
            self._held[plot] = (x, y)
        self._show_range(plot, x, y)

    def _show_range(self, plot: pg.PlotItem, x: Range, y: Range) -> None:
        if self._ranges.get(plot) == (x, y):
            return  # unchanged: leave the axes (and their cached pictures) alone, and a zoom
        self._ranges[plot] = (x, y)
        if plot in self._zoomed:  # the frame's range takes the place of the mouse's zoom
            self._zoomed.discard(plot)
            self._cover(plot, x)  # (its curve was drawn across the zoom)
        set_view_range(plot, x, y)

    def _cover(self, plot: pg.PlotItem, x: Range) -> Range:
        """The y range `plot`'s curve needs across `x`, drawn across what the plot shows: `x`,
        or the mouse's zoom while it lasts (zoomed out, the curve stopped at the edges of the
        range before)."""
        if plot not in self._zoomed:
            return self._covers[plot](x, x)
        (lo, hi), _ = plot.viewRange()
        return self._covers[plot](x, (float(lo), float(hi)))

    def _on_view_range_changed_manually(self, plot: pg.PlotItem) -> None:
        """The mouse zoomed or panned `plot`: its curve across what it shows now."""
        self._zoomed.add(plot)
        shown = self._ranges.get(plot)
        if shown is not None:  # (a frame drawn, and its range shown)
            self._cover(plot, shown[0])

    def _on_scene_clicked(self, event: MouseClickEvent) -> None:
        """A double click on a plot brings back the range of the frame after a zoom or pan."""
        if not event.double() or event.button() != Qt.MouseButton.LeftButton:
            return
        scene = self.sender()  # each plot widget has a scene of its own
        for plot in self._fitted:
            if plot.scene() is scene and plot.sceneBoundingRect().contains(event.scenePos()):
                self._ranges.pop(plot, None)  # set it again even if the view was only zoomed
                self._fit(plot)
