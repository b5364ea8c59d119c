"""PlotArea: the four live plots in a 2×2 grid, drawn from the Frames the store publishes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QGraphicsItem, QGridLayout, QWidget

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt
from pyqtgraph.GraphicsScene.mouseEvents import MouseClickEvent

from normgui.core.pipeline import Frame
from normgui.qt.plots._curves import ActivationPlot, GradientPlot
from normgui.qt.plots._distributions import DistributionPlots
from normgui.qt.plots._stages import StagesPlot
from normgui.qt.plots._style import mix
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, Theme

Range = tuple[float, float]
# The least size render_image lays the plots out at when the widget is not on screen.
OFFSCREEN_SIZE = QSize(1200, 860)


class PlotArea(QWidget):
    """Through the activation, its gradient, the stages, and the distributions.

    Every graphics item is made once, here; draw() only hands new arrays to them. Each frame
    sets the view ranges it needs; a double click on a plot brings them back after a zoom.
    """

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._frame: Frame | None = None
        self._theme = LIGHT
        self._ranges: dict[pg.PlotItem, tuple[Range, Range]] = {}
        self.activation = ActivationPlot()
        self.gradient = GradientPlot()
        self.stages = StagesPlot()
        self.distributions = DistributionPlots()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(2)
        for i, widget in enumerate(self.plot_widgets):
            grid.addWidget(widget, i // 2, i % 2)
            widget.setAntialiasing(True)
            widget.scene().sigMouseClicked.connect(self._on_scene_clicked)
            for item in widget.scene().items():
                if isinstance(item, pg.AxisItem):
                    # An axis replays its ticks, labels and grid (a QPicture) on every paint,
                    # about 2 ms each; a cached pixmap is redrawn only when the axis changes.
                    item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        for row_or_col in (0, 1):
            grid.setRowStretch(row_or_col, 1)
            grid.setColumnStretch(row_or_col, 1)
        self.set_theme(LIGHT)
        store.frame_changed.connect(self.draw)
        self.draw(store.frame)

    @property
    def plot_widgets(self) -> tuple[pg.PlotWidget, pg.PlotWidget, pg.PlotWidget, pg.PlotWidget]:
        """The four plots; the last holds two plot items, before (top) and after."""
        return (
            self.activation.widget,
            self.gradient.widget,
            self.stages.widget,
            self.distributions.widget,
        )

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def frame(self) -> Frame | None:
        """The Frame drawn last."""
        return self._frame

    def draw(self, frame: Frame) -> None:
        self._frame = frame
        self._set_ranges(self.activation.plot, *self.activation.draw(frame))
        self._set_ranges(self.gradient.plot, *self.gradient.draw(frame))
        self._set_ranges(self.stages.plot, *self.stages.draw(frame))
        before, after = self.distributions.draw(frame)
        self._set_ranges(self.distributions.before, *before)
        self._set_ranges(self.distributions.after, *after)

    def set_theme(self, theme: Theme) -> None:
        """Restyle every plot (colours, line widths, marker and font sizes) and redraw."""
        self._theme = theme
        # The thin gaps between the plots: a hairline a little off the background.
        palette = self.palette()
        hairline = QColor(mix(theme.foreground, theme.background, 0.12))
        palette.setColor(QPalette.ColorRole.Window, hairline)
        self.setPalette(palette)
        self.setAutoFillBackground(True)
        for plot in (self.activation, self.gradient, self.stages, self.distributions):
            plot.set_theme(theme)
        if self._frame is not None:
            self.draw(self._frame)

    def render_image(self, scale: float = 1.0) -> QImage:
        """The whole plot area as an image `scale` times its size on screen (sharp: drawn at
        that resolution, not scaled up). Works for a widget that was never shown."""
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

    def _set_ranges(self, plot: pg.PlotItem, x: Range, y: Range) -> None:
        self._ranges[plot] = (x, y)
        plot.setRange(xRange=x, yRange=y, padding=0.0)

    def _on_scene_clicked(self, event: MouseClickEvent) -> None:
        """A double click on a plot brings back the range of the frame after a zoom or pan."""
        if not event.double() or event.button() != Qt.MouseButton.LeftButton:
            return
        scene = self.sender()  # each plot widget has a scene of its own
        for plot, (x, y) in self._ranges.items():
            if plot.scene() is scene and plot.sceneBoundingRect().contains(event.scenePos()):
                plot.setRange(xRange=x, yRange=y, padding=0.0)
