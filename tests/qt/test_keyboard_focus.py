"""The keyboard: the first focus is Input A, Tab walks every panel and comes back, and the data
table takes Tab only while a cell is being edited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDockWidget, QLineEdit, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from normgui.qt.shell.main_window import MainWindow

# Far more than the controls of the window: a chain that has not come back by then is a trap.
MAX_STEPS = 150


@pytest.fixture
def shown(active_window: MainWindow) -> MainWindow:
    return active_window


def region(window: MainWindow, widget: QWidget) -> str:
    """Which part of the window `widget` is in: a dock's title, "plots" or a toolbar's."""
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, QDockWidget):
            return parent.windowTitle()
        if isinstance(parent, QToolBar):
            return f"toolbar {parent.windowTitle()}"
        if parent is window.plots:
            return "plots"
        parent = parent.parentWidget()
    return "window"


def walk(window: MainWindow, qtbot: QtBot, key: Qt.Key) -> list[QWidget]:
    """Press `key` from Input A until the focus is back there; the widgets passed on the way."""
    start = window.input_panel.entries["A"].line_edit
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    visited: list[QWidget] = []
    for _ in range(MAX_STEPS):
        focus = QApplication.focusWidget()
        assert focus is not None
        qtbot.keyClick(focus, key)
        now = QApplication.focusWidget()
        assert now is not None
        if now is start:
            return visited
        visited.append(now)
    raise AssertionError(
        f"{key.name} never came back to Input A; it went round "
        f"{sorted({region(window, w) for w in visited})}, last {type(visited[-1]).__name__}"
    )


def test_the_first_focus_is_input_a(shown: MainWindow) -> None:
    focus = QApplication.focusWidget()
    assert isinstance(focus, QLineEdit) and focus.accessibleName() == "Input A"


@pytest.mark.parametrize("key", [Qt.Key.Key_Tab, Qt.Key.Key_Backtab])
def test_tab_reaches_every_panel_and_comes_back(
    shown: MainWindow, qtbot: QtBot, key: Qt.Key
) -> None:
    visited = walk(shown, qtbot, key)
    regions = {region(shown, w) for w in visited}
    assert {"Data", "Normalization", "plots", "toolbar Animation"} <= regions
    # Each control once: the table is one stop, not one per cell.
    table = shown.input_panel.table.views["A"]
    assert visited.count(table) == 1
    assert len(visited) == len(set(visited))
    names = {w.accessibleName() for w in visited}
    assert {"Normalization method", "Gamma", "Compare", "Generate"} <= names


def test_the_table_takes_tab_only_while_a_cell_is_edited(shown: MainWindow, qtbot: QtBot) -> None:
    view = shown.input_panel.table.views["A"]
    model = view.model()
    view.setFocus()
    view.setCurrentIndex(model.index(0, 0))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not view  # not editing: Tab leaves the table
    view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view)
    view.edit(model.index(0, 0))
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.parentWidget() is view.viewport()
    editor.setText("7")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # taken, and the next cell is edited
    assert shown.store.state.inputs_a[0, 0] == 7.0
    assert view.currentIndex().column() == 1
    focus = QApplication.focusWidget()
    assert isinstance(focus, QLineEdit) and focus.parentWidget() is view.viewport()


def test_a_page_entered_has_the_keyboard_where_it_was_left(shown: MainWindow, qtbot: QtBot) -> None:
    start = shown.input_panel.entries["A"].line_edit
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    shown.pages.actions[1].trigger()  # Ctrl+2, first visit: the Run button, which Space presses
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown.training.run_button)
    shown.training.step_button.setFocus()
    shown.pages.actions[0].trigger()  # Ctrl+1: back where the Layer page was left
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    shown.pages.actions[1].trigger()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is shown.training.step_button)
