"""The first start: the window takes a sensible share of the screen, and a line in the status bar
points to the Scenes menu until a scene has been opened (once, ever)."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QStatusBar

from normgui.qt.app_data import settings

# Below this width a screen is a laptop's: the window takes all of it (maximized).
MAXIMIZE_BELOW_PX: Final = 1400
# On a larger screen, this share of it in each direction, centred.
SCREEN_SHARE: Final = 0.85
SCENES_SEEN_KEY: Final = "hints/sceneOpened"
SCENES_HINT: Final = (
    "New here? The Scenes menu opens prepared demonstrations, each answering one question "
    "(Page Down steps through them)"
)


def first_geometry(screen: QRect, least: QSize) -> QRect | None:
    """Where the first window goes on a screen whose free area is `screen`: None to maximize it
    (a small screen), else a centred rectangle of SCREEN_SHARE of it, at least `least`."""
    if screen.width() < MAXIMIZE_BELOW_PX:
        return None
    size = QSize(
        min(screen.width(), max(least.width(), round(screen.width() * SCREEN_SHARE))),
        min(screen.height(), max(least.height(), round(screen.height() * SCREEN_SHARE))),
    )
    placed = QRect(screen.topLeft(), size)
    placed.moveCenter(screen.center())
    return placed


def place_first_window(window: QMainWindow) -> None:
    """Size and place `window` for a first start (no layout remembered yet)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    placed = first_geometry(screen.availableGeometry(), window.size())
    if placed is None:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    else:
        window.setGeometry(placed)


class ScenesHint(QLabel):
    """The hint in the status bar; it goes for good once a scene is opened. With `remember`,
    "for good" spans runs (kept in the settings)."""

    def __init__(self, status_bar: QStatusBar, remember: bool) -> None:
        super().__init__(SCENES_HINT)
        self._remember = remember
        self.setAccessibleName("Hint")
        # It may be cut short in a narrow window; it must never make the window wider.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(1)
        self.setToolTip("The Scenes menu: guided demonstrations with a caption and live numbers")
        self._status_bar: QStatusBar | None = status_bar
        status_bar.addWidget(self, 1)  # under any message: shown while the line is empty
        if remember and settings().value(SCENES_SEEN_KEY, False) in (True, "true"):
            self.on_scene_shown(-1)
        else:
            self.show()  # (the status bar hides it while a message is shown)

    def on_scene_shown(self, _index: int) -> None:
        if self._status_bar is None:
            return
        # Out of the status bar for good: it shows its widgets again after every message.
        self._status_bar.removeWidget(self)
        self._status_bar = None
        self.hide()
        if self._remember:
            settings().setValue(SCENES_SEEN_KEY, True)
