"""The window as the user left it: size and place, docks and toolbar, light or dark theme.

Kept in QSettings: restored when the main window is built, saved when it closes (the theme also
at once, so a crash does not forget it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from PySide6.QtCore import QByteArray

from normgui.qt.app_data import settings

if TYPE_CHECKING:
    from normgui.qt.shell.main_window import MainWindow

GEOMETRY_KEY: Final = "window/geometry"
LAYOUT_KEY: Final = "window/state"
DARK_KEY: Final = "view/dark"
# Bump when docks or toolbars change so much that an old layout should not be restored.
LAYOUT_VERSION: Final = 1


def restore_window_settings(window: MainWindow) -> None:
    """Put back the geometry, the dock layout and the theme saved last time (if any)."""
    store = settings()
    geometry = store.value(GEOMETRY_KEY)
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)  # a blob Qt cannot read is ignored
    layout = store.value(LAYOUT_KEY)
    if isinstance(layout, QByteArray):
        window.restoreState(layout, LAYOUT_VERSION)
    dark = store.value(DARK_KEY, False)
    window.dark_action.setChecked(dark is True or dark == "true")
    window.dark_action.toggled.connect(_on_dark_action_toggled)


def save_window_settings(window: MainWindow) -> None:
    store = settings()
    store.setValue(GEOMETRY_KEY, window.saveGeometry())
    store.setValue(LAYOUT_KEY, window.saveState(LAYOUT_VERSION))
    store.setValue(DARK_KEY, window.dark_action.isChecked())
    store.sync()


def _on_dark_action_toggled(checked: bool) -> None:
    settings().setValue(DARK_KEY, checked)
