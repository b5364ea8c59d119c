"""Fixtures for widget tests: a store, and a guard against top-level widgets left behind."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QPointF, QSettings, QStandardPaths, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.qt.store import Store

if TYPE_CHECKING:
    from normgui.qt.shell.main_window import MainWindow

# The two fixtures below patch with their own MonkeyPatch, so that a test's `monkeypatch.undo()`
# cannot take them back halfway through the test.


@pytest.fixture(autouse=True)
def _isolated_paths(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    # Qt's test mode points QStandardPaths at ~/.qttest: never the user's own data. With HOME in
    # this test's own folder, and QSettings there too, no test sees what another one wrote (an
    # autosave to restore, a window layout, recent files).
    home = tmp_path / "home"
    home.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        QStandardPaths.setTestModeEnabled(True)
        config = str(home / ".qttest" / "config")
        QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, config)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, config)
        data = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
        assert Path(data).is_relative_to(home), f"the test data folder is not private: {data}"
        assert Path(QSettings().fileName()).is_relative_to(home)
        yield home


@pytest.fixture(autouse=True)
def _answer_unsaved_changes() -> Iterator[list[str]]:
    # Closing a window with unsaved changes asks Save / Discard / Cancel in a modal box: tests
    # answer "discard" (and can see what was asked); a test wanting another answer patches it.
    asked: list[str] = []

    def discard(parent: object, name: str, doing: str, in_a_file: bool) -> str:
        asked.append(doing)
        return "discard"

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("normgui.qt.sessions.session_actions.ask_save_changes", discard)
        yield asked


def _top_level_widgets() -> list[QWidget]:
    """QApplication.topLevelWidgets(), safely: Python's cycle collector, run by an allocation while
    the list of raw pointers is turned into Python objects, would delete a widget further down
    that list if only a reference cycle held it, and the next step would read freed memory. No
    part of normgui leaves one (tests/qt/test_dropped_widgets.py: pyqtgraph's plot menus did,
    and the suite crashed here), but a test's own widgets may: collect first, not during the
    call."""
    gc.collect()
    gc.disable()
    try:
        return [w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w)]
    finally:
        gc.enable()


@pytest.fixture(autouse=True)
def _no_leaked_widgets(qapp: QApplication) -> Iterator[None]:
    before = {id(w) for w in _top_level_widgets()}
    yield
    QApplication.processEvents()
    leaked = [
        w
        for w in _top_level_widgets()
        if id(w) not in before and w.isVisible() and w.objectName() != "qt_tooltip_label"
    ]
    for w in leaked:
        w.close()
    # pytest-qt closed the test's widgets and asked Qt to delete them (deleteLater), which the
    # event loops of the tests that follow leave waiting, some to the end of the session
    # (a deletion posted outside any event loop, then seen by processEvents): delete them now,
    # as the app's event loop does once a window has closed.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not leaked, f"top-level widgets left open: {[type(w).__name__ for w in leaked]}"


@pytest.fixture
def store(qapp: QApplication) -> Store:
    return Store()


@pytest.fixture
def active_window(qtbot: QtBot) -> MainWindow:
    """A main window on screen with the keyboard: for what keys and focus do."""
    from normgui.qt.shell.main_window import MainWindow

    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    return w


@pytest.fixture
def zoom_out() -> Callable[[pg.PlotWidget], None]:
    """Turn the mouse wheel towards the user over the middle of a plot widget's view, as a
    zoom out by the mouse does (pyqtgraph zooms around the pointer)."""

    def turn(widget: pg.PlotWidget) -> None:
        box = widget.getPlotItem().getViewBox()
        middle = widget.mapFromScene(box.sceneBoundingRect().center())
        wheel = QWheelEvent(
            QPointF(middle),
            QPointF(widget.viewport().mapToGlobal(middle)),
            QPoint(0, 0),
            QPoint(0, -240),  # two notches
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget.viewport(), wheel)

    return turn
