"""AnalysisDock: the analysis tabs at the bottom of the window, with the selected element.

Every Frame marks all tabs stale; only the tab on screen computes. Bringing a tab to the front,
or showing the dock again, computes it then. For large inputs a tab can cost tens of milliseconds
(the invariance table normalizes the data a dozen times), so while the values keep changing (a
slider drag) the tab waits for a pause: the plots stay fluid, and the tab follows when the hand
stops.

The tabs themselves (five of them, three with plots) are made when the dock is first shown or
asked for one: a window that starts with the dock closed does not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDockWidget, QScrollArea, QTabWidget, QWidget

from normgui.core.pipeline import Frame
from normgui.qt.analysis.tab import AnalysisTab
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, Theme

if TYPE_CHECKING:  # imported when the tabs are made (see _Tabs), not with the window
    from normgui.qt.analysis.compare_tab import CompareTab
    from normgui.qt.analysis.explain_tab import ExplainTab
    from normgui.qt.analysis.invariance_tab import InvarianceTab
    from normgui.qt.analysis.running_tab import RunningTab
    from normgui.qt.analysis.selection import SelectionBox
    from normgui.qt.analysis.sensitivity_tab import SensitivityTab

DEFAULT_HEIGHT = 200  # compact: the plots above keep most of a 768-pixel-high screen
# Above this many values of A and B, a visible tab recomputes after a pause of PAUSE_MS.
LARGE_INPUT = 20_000
PAUSE_MS = 150


def _scrolled(tab: AnalysisTab) -> QScrollArea:
    """`tab` in a scroll area: tables as tall as their rows and plots of a readable height stay
    so on a short screen, where the dock is lower than the tab; it scrolls instead."""
    scroll = QScrollArea()
    scroll.setWidget(tab)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    return scroll


def _inner(widget: QWidget | None) -> QWidget:
    inner = widget.widget() if isinstance(widget, QScrollArea) else widget
    assert inner is not None, "the analysis dock has its tabs"
    return inner


class _Tabs(QTabWidget):
    """The five tabs, with the element selector in the corner."""

    def __init__(self, store: Store, theme: Theme) -> None:
        from normgui.qt.analysis.compare_tab import CompareTab
        from normgui.qt.analysis.explain_tab import ExplainTab
        from normgui.qt.analysis.invariance_tab import InvarianceTab
        from normgui.qt.analysis.running_tab import RunningTab
        from normgui.qt.analysis.selection import SelectionBox
        from normgui.qt.analysis.sensitivity_tab import SensitivityTab

        super().__init__()
        self.invariance = InvarianceTab(store)
        self.compare = CompareTab(store)
        self.sensitivity = SensitivityTab(store)
        self.running = RunningTab(store)
        self.explain = ExplainTab(store)
        self.setAccessibleName("Analysis tabs")
        self.setDocumentMode(True)
        for tab in self.all_tabs:
            if theme != LIGHT:  # (each tab starts in the light theme)
                tab.set_theme(theme)
            self.addTab(_scrolled(tab), tab.title)
            self.setTabToolTip(self.count() - 1, f"Show the {tab.title} analysis")
        self.tabBar().setToolTip("The analyses of the current input and method")
        self.selector = SelectionBox(store)
        self.setCornerWidget(self.selector, Qt.Corner.TopRightCorner)

    @property
    def all_tabs(self) -> tuple[AnalysisTab, ...]:
        return (self.invariance, self.compare, self.sensitivity, self.running, self.explain)

    # Each tab sits in a scroll area (see _scrolled); these speak of the tabs themselves.
    def currentWidget(self) -> QWidget:
        return _inner(super().currentWidget())

    def setCurrentWidget(self, widget: QWidget) -> None:
        for i in range(self.count()):
            if _inner(self.widget(i)) is widget:
                self.setCurrentIndex(i)
                return
        raise ValueError(f"{type(widget).__name__} is not a tab of the analysis dock")

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), DEFAULT_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), 120)


class AnalysisDock(QDockWidget):
    """Invariance, A vs B, Sensitivity, Running statistics and Explain, following the store."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Analysis", parent)
        self.setObjectName("analysisDock")
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self._store = store
        self._theme = LIGHT
        self._tabs: _Tabs | None = None
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.refresh)
        store.frame_changed.connect(self._on_store_frame_changed)
        self.visibilityChanged.connect(self._on_visibility_changed)

    @property
    def built(self) -> bool:
        """Whether the tabs were made (the dock was shown, or a tab asked for)."""
        return self._tabs is not None

    @property
    def tabs(self) -> _Tabs:
        return self._ensure_tabs()

    def _ensure_tabs(self) -> _Tabs:
        if self._tabs is None:
            self._tabs = _Tabs(self._store, self._theme)
            self._tabs.currentChanged.connect(self._on_tabs_current_changed)
            self.setWidget(self._tabs)
        return self._tabs

    @property
    def invariance(self) -> InvarianceTab:
        return self.tabs.invariance

    @property
    def compare(self) -> CompareTab:
        return self.tabs.compare

    @property
    def sensitivity(self) -> SensitivityTab:
        return self.tabs.sensitivity

    @property
    def running(self) -> RunningTab:
        return self.tabs.running

    @property
    def explain(self) -> ExplainTab:
        return self.tabs.explain

    @property
    def selector(self) -> SelectionBox:
        return self.tabs.selector

    @property
    def all_tabs(self) -> tuple[AnalysisTab, ...]:
        return self.tabs.all_tabs

    def current_tab(self) -> AnalysisTab:
        tab = self.tabs.currentWidget()
        assert isinstance(tab, AnalysisTab)
        return tab

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        if self._tabs is None:
            return  # the tabs take the theme when they are made
        for tab in self.all_tabs:
            tab.set_theme(theme)
        self.refresh()

    def refresh(self) -> None:
        """Compute the tab on screen, if it is stale."""
        self._pause.stop()
        if self._tabs is None:
            return  # nothing on screen: the tabs compute when they are made and shown
        tab = self.current_tab()
        if tab.isVisible():
            tab.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self._ensure_tabs()  # before the dock is first painted
        super().showEvent(event)
        self.refresh()

    def _on_store_frame_changed(self, frame: Frame) -> None:
        if self._tabs is None:
            return  # tabs made later start stale
        for tab in self.all_tabs:
            tab.mark_stale()
        if sum(s.size for s in frame.series) > LARGE_INPUT:
            self._pause.start()  # (re)started by every Frame: runs once the changes pause
        else:
            self.refresh()

    def _on_tabs_current_changed(self, _index: int) -> None:
        self.refresh()

    def _on_visibility_changed(self, visible: bool) -> None:
        if visible:
            self.refresh()
