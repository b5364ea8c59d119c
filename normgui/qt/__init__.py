"""The Qt side: the store, the main window, its panels and plots."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from normgui.qt.shell.main_window import MainWindow

__all__ = ["MainWindow"]


def __getattr__(name: str) -> Any:
    # Imported on first use, so that `import normgui.qt` stays cheap and pins the Qt binding first.
    if name == "MainWindow":
        from normgui.qt.shell import MainWindow

        return MainWindow
    raise AttributeError(name)
