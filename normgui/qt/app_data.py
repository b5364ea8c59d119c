"""Where normgui keeps what it writes by itself: the autosave, the crash log and the settings.

All of it lives in the platform's folder for application data (QStandardPaths.AppDataLocation,
e.g. ~/.local/share/normgui/normgui on Linux) and in QSettings, both named after the
application that `normgui.qt.shell.app.create_app` sets up. Tests point these at a temporary
folder (a temporary HOME with Qt's test mode, and `QSettings.setPath`), so they never touch the
user's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QSettings, QStandardPaths

AUTOSAVE_NAME: Final = "autosave.normgui"
# The autosave found at a start that does not restore it (a session named on the command line)
# is kept here rather than overwritten by the first change.
PREVIOUS_AUTOSAVE_NAME: Final = "autosave-previous.normgui"
# An autosave that could not be read is moved aside under this name, for a look.
DAMAGED_AUTOSAVE_NAME: Final = "autosave-damaged.normgui"
LOCK_NAME: Final = "running.lock"
LOG_NAME: Final = "normgui.log"


def data_folder() -> Path:
    """The folder for the autosave and the log, created if needed (OSError if it cannot be)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not location:
        raise OSError("this system has no folder for application data")
    folder = Path(location)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def settings() -> QSettings:
    """normgui's settings (window layout, theme, recent files) in the platform's usual place."""
    return QSettings()
