"""Test-wide settings: Qt offscreen and pinned to PySide6, before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYQTGRAPH_QT_LIB"] = "PySide6"
# Run from a snap-packaged terminal, Qt takes itself for a snap and asks the desktop portal for
# its settings over D-Bus; with no session bus it warns, and a Qt warning fails a test here.
os.environ.pop("SNAP", None)
