"""What every analysis tab shares: it follows the store, but computes only when it is on screen.

The dock marks every tab stale on each Frame and refreshes only the visible one; a tab brought
to the front (or the dock shown again) refreshes then. So a tab nobody looks at costs nothing
during a slider drag.
"""

from __future__ import annotations

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

from normgui.core.pipeline import Frame
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, Theme


class WrappedLabel(QLabel):
    """A word-wrapped label that keeps the height its text needs at its width: a splitter or a
    scroll area does not ask a layout for heights by width, and would cut its last lines off."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        needed = self.heightForWidth(self.width())
        if needed > 0 and needed != self.minimumHeight():
            self.setMinimumHeight(needed)


class AnalysisTab(QWidget):
    """A tab of the analysis dock. Subclasses set `title` and implement `show_frame`."""

    title = ""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._stale = True
        self._theme = LIGHT
        self.compute_count = 0  # how many times the tab computed: for tests
        self.setAccessibleName(f"{self.title} tab")

    @property
    def stale(self) -> bool:
        return self._stale

    def mark_stale(self) -> None:
        self._stale = True

    def refresh(self) -> None:
        """Compute and show the store's Frame if anything changed since the last time."""
        if not self._stale:
            return
        self._stale = False
        self.compute_count += 1
        self.show_frame(self._store.frame)

    def show_frame(self, frame: Frame) -> None:
        raise NotImplementedError

    def set_theme(self, theme: Theme) -> None:
        """Restyle the tab's plots (tabs without plots keep the application's palette)."""
        self._theme = theme
        self._stale = True
