"""The window at 1366×768 and 1920×1080: the Data panel with Compare on shows every control
whole (it has no horizontal scrolling), and the Analysis dock leaves the plots room."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from normgui.core.state import State
from normgui.qt.analysis.verdicts import RowsTable
from normgui.qt.data_panel import panel
from normgui.qt.plots._area import MIN_ROW_HEIGHT
from normgui.qt.shell.main_window import MainWindow

SCREENS = [(1366, 768), (1920, 1080)]


def _window(qtbot: QtBot, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    # The test screen is 800 px wide, where the first start maximizes the window: a laptop's
    # and a desktop's screens and windows are made here instead.
    monkeypatch.setattr(panel, "screen_width", lambda widget: size[0])
    window = MainWindow(State(compare=True, inputs_b=[[4.0, 5.0, 6.0, 7.0]]))
    qtbot.addWidget(window)
    window.show()
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(*size)
    qtbot.waitExposed(window)
    for _ in range(3):
        QApplication.processEvents()
    return window


@pytest.mark.parametrize("size", SCREENS, ids=["1366", "1920"])
def test_the_data_panel_cuts_nothing_off_with_compare_on(
    qtbot: QtBot, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, size, monkeypatch)
    scroll = window.input_panel.findChild(QScrollArea)
    assert scroll is not None
    viewport = scroll.viewport()
    cut = []
    for widget in scroll.widget().findChildren(QWidget):
        if not widget.isVisibleTo(scroll) or widget.parentWidget() is None:
            continue
        right = widget.mapTo(viewport, QPoint(widget.width(), 0)).x()
        if widget.width() > 0 and right > viewport.width() + 1:
            cut.append(f"{type(widget).__name__} {widget.accessibleName()!r} ends at {right}")
    assert not cut, f"the panel is {viewport.width()} px wide: {cut}"


@pytest.mark.parametrize("size", SCREENS, ids=["1366", "1920"])
def test_the_analysis_dock_shows_whole_tables_and_leaves_the_plots_room(
    qtbot: QtBot, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, size, monkeypatch)
    window.store.update("BatchNorm", method="batchnorm")
    window.analysis_dock.show()
    for _ in range(3):
        QApplication.processEvents()
    assert window.plots.height() >= 2 * MIN_ROW_HEIGHT
    invariance = window.analysis_dock.invariance
    for table in (invariance.paper_table, invariance.data_table):
        assert isinstance(table, RowsTable) and table.rowCount() >= 5
        assert table.height() >= table.rows_height()  # every row shows, none behind a scroll bar
        last = table.rowCount() - 1
        assert table.rowViewportPosition(last) + table.rowHeight(last) <= table.viewport().height()
    dock = window.analysis_dock
    dock.tabs.setCurrentWidget(dock.running)
    QApplication.processEvents()
    assert dock.tabs.currentWidget() is dock.running
    assert dock.running.graphics.height() >= 240  # the running statistics are not squashed


def test_the_window_is_as_small_as_the_page_in_front_lets_it_be(qtbot: QtBot) -> None:
    """Each page asks the window for its own least size only: on the Training page (whose plots
    need less height than the Layer page's four) a small window keeps less than the Layer
    page's least height, and back on the Layer page it gets that again."""
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    layer = window.pages.page(0).minimumSizeHint().height()
    layer_window = window.minimumSizeHint().height()
    window.pages.show_page(1)
    QApplication.processEvents()
    training = window.pages.page(1).minimumSizeHint().height()
    assert 0 < training < layer
    assert window.pages.stack.minimumSizeHint().height() == training
    # Its least width is the one it sets itself, not its rows of controls' whole width.
    assert window.pages.stack.minimumSizeHint().width() == window.training.minimumWidth()
    assert window.minimumSizeHint().height() < layer_window
    window.resize(window.width(), window.minimumSizeHint().height())
    QApplication.processEvents()
    assert window.height() < layer_window
    window.pages.show_page(0)
    QApplication.processEvents()
    assert window.minimumSizeHint().height() == layer_window
    assert window.height() >= layer_window  # (Qt makes the window tall enough again)
