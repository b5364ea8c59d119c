"""Qt application setup: the binding, the platform check, the QApplication."""

from __future__ import annotations

import ctypes.util
import os
import sys

# pyqtgraph picks the first Qt binding it finds; pin it before anything imports pyqtgraph.
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

from PySide6.QtWidgets import QApplication

APP_NAME = "normgui"
ORG_NAME = "normgui"

# The libraries Qt's xcb plugin cannot start without (library name for ctypes -> Debian package).
_XCB_LIBS = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def platform_problem() -> str | None:
    """Why a window cannot open here, in words and with the fix; None when it can.

    Qt aborts the process when its platform plugin cannot load; saying why beforehand is kinder.
    """
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not sys.platform.startswith("linux") or platform.startswith(("offscreen", "minimal")):
        return None
    if platform.startswith("wayland") or (
        not platform and os.environ.get("WAYLAND_DISPLAY") and not os.environ.get("DISPLAY")
    ):
        return None
    if not os.environ.get("DISPLAY"):
        return (
            "normgui needs a screen: no X display was found (DISPLAY is not set). "
            "Run it from a desktop session, or use --export OUT.png to draw without a window."
        )
    missing = [pkg for lib, pkg in _XCB_LIBS.items() if ctypes.util.find_library(lib) is None]
    if missing:
        return (
            "normgui cannot open a window: Qt needs system libraries that are missing.\n"
            f"Install them with:  sudo apt-get install {' '.join(missing)}"
        )
    return None


def create_app(argv: list[str] | None = None) -> QApplication:
    """The QApplication, created once, with the names QSettings and QStandardPaths use."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QApplication.setApplicationName(APP_NAME)
    QApplication.setOrganizationName(ORG_NAME)
    QApplication.setApplicationDisplayName(APP_NAME)
    from normgui.qt.shell.about import APP_ID, app_icon

    QApplication.setDesktopFileName(APP_ID)  # matches the installed .desktop file
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setWindowIcon(app_icon())
    from normgui import __version__

    app.setApplicationVersion(__version__)
    return app
