"""The app shell: the QApplication, the main window that holds the panels, the plots and the
docks, the app's identity and About box, crash reporting, and the window's remembered layout.

Imported on first use, so that `import normgui.qt.shell.app` (which pins pyqtgraph's Qt binding)
and crash reporting come before the window and everything it builds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from normgui.qt.shell.app import create_app, platform_problem
    from normgui.qt.shell.main_window import MainWindow

__all__ = ["MainWindow", "create_app", "platform_problem"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "platform_problem"):
        from normgui.qt.shell import app

        return getattr(app, name)
    if name == "MainWindow":
        from normgui.qt.shell import app
        from normgui.qt.shell.main_window import MainWindow

        return MainWindow
    raise AttributeError(name)
