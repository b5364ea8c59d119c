"""The window as the user left it: size and place, docks and toolbar, light or dark theme.

Kept in QSettings: restored when the main window is built, saved when it closes (the theme also
at once, so a crash does not forget it).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow

from normgui.qt.app_data import settings

GEOMETRY_KEY: Final = "window/geometry"
LAYOUT_KEY: Final = "window/state"
DARK_KEY: Final = "view/dark"
# Bump when docks or toolbars change so much that an old layout should not be restored.
LAYOUT_VERSION: Final = 1


def restore_window_settings(window: QMainWindow, dark_action: QAction) -> bool:
    """Put back the geometry, the dock layout and the theme (`dark_action` checked or not)
    saved last time, if any; from then on the theme is saved as soon as it changes. Returns
    whether a geometry was put back (False: the first start)."""
    store = settings()
    geometry = store.value(GEOMETRY_KEY)
    placed = False
    if isinstance(geometry, QByteArray):
        placed = window.restoreGeometry(geometry)  # a blob Qt cannot read is ignored
    layout = store.value(LAYOUT_KEY)
    if isinstance(layout, QByteArray):
        window.restoreState(layout, LAYOUT_VERSION)
    dark = store.value(DARK_KEY, False)
    dark_action.setChecked(dark is True or dark == "true")
    dark_action.toggled.connect(_on_dark_action_toggled)
    return placed


def save_window_settings(window: QMainWindow, dark_action: QAction) -> None:
    store = settings()
    store.setValue(GEOMETRY_KEY, window.saveGeometry())
    store.setValue(LAYOUT_KEY, window.saveState(LAYOUT_VERSION))
    store.setValue(DARK_KEY, dark_action.isChecked())
    store.sync()


def _on_dark_action_toggled(checked: bool) -> None:
    settings().setValue(DARK_KEY, checked)
