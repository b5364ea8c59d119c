"""StagePictures: when input A is a picture, the picture itself at three stages (raw, normalized,
through the activation) beside the histograms.

Each stage is drawn stretched over its own lowest and highest value, as a plot of it would be:
standardizing changes every number and leaves the picture as it was, which is the lesson; a
squashing activation, or γ and β, is what changes what one sees.
"""

from __future__ import annotations

from typing import Final

import numpy as np
from PySide6.QtWidgets import QGraphicsItem

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.images import ImageLayout, picture, to_grey_levels
from normgui.core.pipeline import Frame
from normgui.qt.plots._style import function_symbol
from normgui.qt.theme import Theme

STAGE_NAMES: Final = ("raw <i>x</i>", "normalized <i>x̂</i>", "activated")
# The share of the plot's width the column of pictures takes.
SHARE: Final = 0.3


class StagePictures:
    """Three pictures stacked in a column of `layout` (a pg.GraphicsLayout), shown only while
    the frame's input A is a picture."""

    def __init__(self, layout: pg.GraphicsLayout, column: int) -> None:
        self._outer = layout
        self._column = column
        # The column is made when a picture is first shown: most inputs are numbers, and its
        # three views cost the window's start some 4 ms.
        self.column: pg.GraphicsLayout | None = None
        self.labels: list[pg.LabelItem] = []
        self.images: list[pg.ImageItem] = []
        self._shown = False
        self._activation = ""
        self._colour = "#000000"
        self._size_pt = 9.0

    @property
    def shown(self) -> bool:
        return self._shown

    def set_theme(self, theme: Theme) -> None:
        self._colour, self._size_pt = theme.foreground, theme.font_pt * 0.85
        self._activation = ""  # the labels are set again, in the new colour, on the next draw

    def draw(self, frame: Frame) -> None:
        layout = frame.state.image_shown
        self._show(layout is not None)
        if layout is None:
            return
        s = frame.a
        row = min(frame.state.selected_sample, s.raw.shape[0] - 1)
        for image, values in zip(self.images, (s.raw, s.normalized, s.activated), strict=True):
            image.setImage(self._levels(picture(values, layout, row), layout), levels=(0, 255))
        activation = frame.state.activation
        if activation != self._activation:
            self._activation = activation
            names = (*STAGE_NAMES[:2], f"through {function_symbol(activation)}")
            for label, name in zip(self.labels, names, strict=True):
                label.setText(name, color=self._colour, size=f"{self._size_pt:g}pt")

    @staticmethod
    def _levels(image: np.ndarray, layout: ImageLayout) -> np.ndarray:
        grey = to_grey_levels(image)
        return grey[:, :, 0] if layout.channels == 1 else grey

    def _make_column(self) -> pg.GraphicsLayout:
        column = pg.GraphicsLayout()
        column.setSpacing(2)
        for row, name in enumerate(STAGE_NAMES):
            label = pg.LabelItem(name)
            # As PlotArea caches the plots' other texts (made before it looked at them).
            label.item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            view = pg.ViewBox(lockAspect=True, invertY=True, enableMouse=False, enableMenu=False)
            image = pg.ImageItem(axisOrder="row-major")
            view.addItem(image)
            column.addItem(label, row=2 * row, col=0)
            column.addItem(view, row=2 * row + 1, col=0)
            self.labels.append(label)
            self.images.append(image)
        return column

    def _show(self, on: bool) -> None:
        """Put the column into the plot's layout, or take it out (a hidden item would still
        hold its room)."""
        if on == self._shown:
            return
        self._shown = on
        if self.column is None:
            self.column = self._make_column()
        if on:
            self._outer.addItem(self.column, row=0, col=self._column, rowspan=2)
            grid = self._outer.layout
            grid.setColumnStretchFactor(0, round(100 * (1 - SHARE)))
            grid.setColumnStretchFactor(self._column, round(100 * SHARE))
        else:
            self._outer.removeItem(self.column)
        self.column.setVisible(on)
