"""What the plot area asks of each of its plots (a Protocol): a new plot is a class like
ActivationPlot in a module of its own, and one line in the area's PLOT_TYPES."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Protocol

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.pipeline import Frame
from normgui.qt.theme import Theme

Range = tuple[float, float]
Ranges = tuple[Range, Range]  # x, y
# cover(x, drawn): the y range a plot item's curve needs across `x`, the x range it is to show;
# its curve is drawn across `drawn` (`x` itself, or what the mouse zoomed or panned it to).
Cover = Callable[[Range, Range], Range]


class Plot(Protocol):
    """One plot of the area: a widget holding one or more plot items, drawn from each Frame.

    The area owns the ranges: `draw` only says what each plot item needs, and the area decides
    what to show (exactly, steady while frames follow each other closely, or held during an
    animation).
    """

    @property
    def widget(self) -> pg.PlotWidget:
        """The widget the area lays out."""
        ...

    @property
    def covers(self) -> Mapping[pg.PlotItem, Cover]:
        """The plot items whose curve or bands follow the x range shown (see PlotArea): drawn
        by their Cover once the area has chosen that range. Other items are left out."""
        ...

    def draw(self, frame: Frame) -> Mapping[pg.PlotItem, Ranges]:
        """Hand `frame`'s arrays to the items (created once, updated with setData); return the
        (x, y) ranges each plot item needs."""
        ...

    def set_theme(self, theme: Theme) -> None:
        """Restyle: colours, line widths, marker and font sizes."""
        ...
