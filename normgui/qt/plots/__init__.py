"""The plot area: the activation, its gradient, the stages and the distributions, live.

Each plot is a class of its own (see Plot); PlotArea lays them out and owns their ranges. A new
plot is one module here and one line in PLOT_TYPES, plus its name in normgui.scenes.PLOTS.

Import PySide6 before pyqtgraph anywhere in this package: pyqtgraph binds to the first Qt
binding it finds already imported.
"""

from __future__ import annotations

from normgui.qt.plots._area import PLOT_TYPES, PlotArea
from normgui.qt.plots._plot import Plot

__all__ = ["PLOT_TYPES", "Plot", "PlotArea"]
