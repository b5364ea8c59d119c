"""Drives a real normgui process for tests/test_crash_recovery.py.

    python tests/crash_driver.py type "1, 2, 3"   types into Input A, waits for the autosave,
                                                  prints "saved <seconds>", then waits to be killed
    python tests/crash_driver.py report           builds MainWindow() and prints what it shows
                                                  (JSON), then quits cleanly

The data folder comes from the environment (HOME, XDG_DATA_HOME, XDG_CONFIG_HOME), which the test
points at its own temporary folder.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from normgui.qt.shell.app import create_app


def main() -> int:
    app = create_app()
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit

    from normgui.qt.shell.main_window import MainWindow

    window = MainWindow()
    window.show()
    app.processEvents()
    if sys.argv[1] == "type":
        (entry,) = (w for w in window.findChildren(QLineEdit) if w.accessibleName() == "Input A")
        entry.setFocus()
        entry.selectAll()
        QTest.keyClicks(entry, sys.argv[2])
        QTest.keyClick(entry, Qt.Key.Key_Return)
        typed = time.monotonic()
        assert window.autosaver is not None and window.autosaver.path is not None
        path = window.autosaver.path
        while not _holds(path, window.store.state):
            app.processEvents()
            time.sleep(0.005)
        print(f"saved {time.monotonic() - typed:.3f}", flush=True)
        while True:  # go on running, as a user would, until killed
            app.processEvents()
            time.sleep(0.02)
    report = {
        "inputs_a": window.store.state.inputs_a.tolist(),
        "status": window.statusBar().currentMessage(),
        "can_undo": window.store.undo_stack.canUndo(),
    }
    window.undo_action.trigger()
    report["after_undo"] = window.store.state.inputs_a.tolist()
    window.close()
    print(json.dumps(report), flush=True)
    return 0


def _holds(path: object, state: object) -> bool:
    """Whether the autosave file at `path` exists and holds `state`."""
    from pathlib import Path

    from normgui.core.state import State
    from normgui.session import SessionError, load

    assert isinstance(path, Path) and isinstance(state, State)
    try:
        return path.exists() and load(path).same_as(state)
    except SessionError:  # never half-written (the write is atomic), but say so if it were
        print("the autosave was unreadable", file=sys.stderr)
        return False


if __name__ == "__main__":
    sys.exit(main())
