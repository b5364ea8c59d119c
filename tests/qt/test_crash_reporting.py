"""Uncaught errors are logged and shown in one non-modal dialog; the app goes on."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from normgui.qt.shell import crash_reporting
from normgui.qt.shell.crash_reporting import MAX_LOG_BYTES, MAX_LOGGED, CrashReporter


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[CrashReporter]:
    # pytest-qt's own capture of exceptions is set aside by the marks below: this hook is the
    # one under test. Without the faulthandler: pytest's must stay in place.
    hook = sys.excepthook
    installed = crash_reporting.install(tmp_path / "normgui.log", with_faulthandler=False)
    yield installed
    crash_reporting.uninstall()
    assert sys.excepthook is hook


def _raise_in_a_slot(message: str) -> None:
    def slot() -> None:
        raise RuntimeError(message)

    QTimer.singleShot(0, slot)


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_logged_and_shown(
    reporter: CrashReporter, qtbot: QtBot, tmp_path: Path
) -> None:
    _raise_in_a_slot("the knob fell off")
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    assert dialog is not None and not dialog.isModal()
    assert "RuntimeError: the knob fell off" in dialog.text()
    assert "Your work is safe" in dialog.summary.text()
    log = (tmp_path / "normgui.log").read_text()
    assert "normgui started" in log and "RuntimeError: the knob fell off" in log

    dialog.copy_button.click()
    assert "the knob fell off" in QGuiApplication.clipboard().text()
    dialog.close()
    qtbot.waitUntil(lambda: reporter.dialog is None)


@pytest.mark.qt_no_exception_capture
def test_a_burst_of_errors_fills_one_dialog(reporter: CrashReporter, qtbot: QtBot) -> None:
    for i in range(30):
        _raise_in_a_slot(f"error number {i}")
    qtbot.waitUntil(lambda: reporter.logged == 30)
    QApplication.processEvents()
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorDialog"]
    assert len(dialogs) == 1 and reporter.dialog is dialogs[0]
    assert "30 errors" in reporter.dialog.summary.text()
    assert "error number 29" in reporter.dialog.text()
    reporter.dialog.close()


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_thread_is_shown_by_the_gui_thread(
    reporter: CrashReporter, qtbot: QtBot
) -> None:
    def work() -> None:
        raise ValueError("from a worker")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None)
    assert reporter.dialog is not None
    assert "ValueError: from a worker" in reporter.dialog.text()
    reporter.dialog.close()


def test_the_log_is_capped(tmp_path: Path) -> None:
    log = tmp_path / "normgui.log"
    log.write_text("x" * (MAX_LOG_BYTES + 1))
    reporter = CrashReporter(log)
    reporter.install(with_faulthandler=False)
    try:
        for _ in range(MAX_LOGGED + 10):
            try:
                raise KeyError("again")
            except KeyError as exc:
                reporter.report((KeyError, exc, exc.__traceback__), "test")
    finally:
        reporter.uninstall()
        reporter.deleteLater()
    assert (tmp_path / "normgui.log.1").stat().st_size == MAX_LOG_BYTES + 1
    text = log.read_text()
    assert text.count("KeyError: 'again'") == MAX_LOGGED
    assert "not logged" in text


def test_the_app_installs_it_and_starts_where_it_left_off(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from normgui.__main__ import main
    from normgui.core.state import State
    from normgui.qt.app_data import AUTOSAVE_NAME, data_folder
    from normgui.qt.shell.main_window import MainWindow
    from normgui.session import save

    save(State(method="rmsnorm"), data_folder() / AUTOSAVE_NAME)
    hook = sys.excepthook
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)  # no event loop: return at once
    try:
        assert main([]) == 0
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        assert crash_reporting._installed is not None
        assert sys.excepthook == crash_reporting._installed.excepthook
        assert [w.store.state.method for w in shown if w.isVisible()] == ["rmsnorm"]
    finally:
        crash_reporting.uninstall()
        for window in shown:
            window.close()
    assert sys.excepthook is hook
