"""The window's docks, each holding one panel; a dock the window does not open with makes its
panel when it first shows (the View menu, its page, a saved layout), so that the panel costs the
start nothing, and takes the panel's place in the Tab order it would have had if made at once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget

from normgui.qt.shell.look import name_dock_buttons
from normgui.qt.shell.tab_order import take_place_in_tab_order


class PanelDock(QDockWidget):
    """A dock of `window` for the panel `make()` makes, at once unless `later`: then when the
    dock is first shown or its `panel()` asked for."""

    def __init__(
        self,
        title: str,
        make: Callable[[], QWidget],
        window: QMainWindow,
        area: Qt.DockWidgetArea,
        *,
        later: bool = False,
    ) -> None:
        super().__init__(title, window)
        self.setObjectName(f"{title.lower()}Dock")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        name_dock_buttons(self)
        window.addDockWidget(area, self)
        self._make: Callable[[], QWidget] | None = make
        if not later:
            self.panel()

    @property
    def made(self) -> bool:
        """Whether the panel exists yet."""
        return self._make is None

    def panel(self) -> QWidget:
        """The dock's panel, made now if it was not yet."""
        if self._make is not None:
            make, self._make = self._make, None
            panel = make()
            # A panel's scroll area is no stop of its own for Tab: it scrolls to whichever of
            # its controls gets the focus.
            for scroll in panel.findChildren(QScrollArea):
                scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.setWidget(panel)
            take_place_in_tab_order(panel, self)
        widget = self.widget()
        assert widget is not None
        return widget

    def setVisible(self, visible: bool) -> None:
        # Every way a dock shows comes here (show(), its View menu action, restoreState): the
        # panel is made before the dock is laid out, so that the dock gets the panel's size.
        if visible:
            self.panel()
        super().setVisible(visible)
