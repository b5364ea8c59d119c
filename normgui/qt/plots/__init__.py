"""The plot area: the activation, its gradient, the stages and the distributions, live.

Import PySide6 before pyqtgraph anywhere in this package: pyqtgraph binds to the first Qt
binding it finds already imported.
"""

from __future__ import annotations

from normgui.qt.plots._area import PlotArea

__all__ = ["PlotArea"]
