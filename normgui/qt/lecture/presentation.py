"""Presentation mode: full screen, the projector look, only the plots and the caption.

Entering remembers everything it changes (geometry, window state, docks and toolbars, menu and
status bar, theme); leaving puts back exactly that, so the window is as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar, QWidget

from normgui.qt.theme import PRESENTATION, Theme

# Text outside the plots that must still be read from the back (the warnings above the plots).
ENLARGED_PT: Final = 20.0


@dataclass(frozen=True)
class _Saved:
    geometry: QByteArray
    layout: QByteArray
    window_state: Qt.WindowState
    theme: Theme
    menu_bar: bool
    status_bar: bool
    fonts: tuple[QFont, ...]


class PresentationMode(QObject):
    """Toggles `window` between its normal look and a full-screen projector look.

    `get_theme` and `apply_theme` read and set the window's theme (the window owns it);
    the `enlarge` widgets get a font large enough for a projector.
    """

    toggled = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        get_theme: Callable[[], Theme],
        apply_theme: Callable[[Theme], None],
        enlarge: Sequence[QWidget] = (),
    ) -> None:
        super().__init__(window)
        self._window = window
        self._enlarge = tuple(enlarge)
        self._get_theme = get_theme
        self._apply_theme = apply_theme
        self._saved: _Saved | None = None

    @property
    def active(self) -> bool:
        return self._saved is not None

    def set_active(self, active: bool) -> None:
        if active:
            self.enter()
        else:
            self.leave()

    def enter(self) -> None:
        if self._saved is not None:
            return
        w = self._window
        self._saved = _Saved(
            geometry=w.saveGeometry(),
            layout=w.saveState(),
            window_state=w.windowState(),
            theme=self._get_theme(),
            menu_bar=not w.menuBar().isHidden(),
            status_bar=not w.statusBar().isHidden(),
            fonts=tuple(QFont(widget.font()) for widget in self._enlarge),
        )
        for dock in w.findChildren(QDockWidget):
            dock.hide()
        for toolbar in w.findChildren(QToolBar):
            toolbar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        for widget in self._enlarge:
            font = QFont(widget.font())
            font.setPointSizeF(max(ENLARGED_PT, font.pointSizeF()))
            widget.setFont(font)
        self._apply_theme(PRESENTATION)
        w.showFullScreen()
        self.toggled.emit(True)

    def leave(self) -> None:
        saved = self._saved
        if saved is None:
            return
        self._saved = None
        w = self._window
        self._apply_theme(saved.theme)
        for widget, font in zip(self._enlarge, saved.fonts, strict=True):
            widget.setFont(font)
        w.menuBar().setVisible(saved.menu_bar)
        w.statusBar().setVisible(saved.status_bar)
        if saved.window_state & Qt.WindowState.WindowFullScreen:
            w.setWindowState(saved.window_state)
        elif saved.window_state & Qt.WindowState.WindowMaximized:
            w.showMaximized()
        else:
            w.showNormal()
        w.restoreGeometry(saved.geometry)
        w.restoreState(saved.layout)
        self.toggled.emit(False)
