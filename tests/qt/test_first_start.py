"""The first start and the window's look: a sensible size, a hint towards the Scenes menu until a
scene is opened, a dark theme that darkens the whole window, and a tooltip on every control."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QScrollBar,
    QTabBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from normgui.qt.shell.first_start import first_geometry
from normgui.qt.shell.main_window import DEFAULT_SIZE, MainWindow

CONTROLS = (
    QAbstractButton,
    QComboBox,
    QAbstractSpinBox,
    QAbstractSlider,
    QLineEdit,
    QTabBar,
    QAbstractItemView,
)


def shown_window(qtbot: QtBot, persist: bool = False) -> MainWindow:
    w = MainWindow(persist=persist)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def is_part_of_another(widget: QWidget) -> bool:
    """Pieces of a control that are not controls of their own: a spin box's or combo box's
    line, a table's headers, scroll bars and corner button."""
    parent = widget.parentWidget()
    return isinstance(widget, (QHeaderView, QScrollBar)) or isinstance(
        parent, (QAbstractSpinBox, QComboBox, QAbstractItemView)
    )


def test_the_first_window_fills_a_laptop_and_takes_a_share_of_a_large_screen() -> None:
    assert first_geometry(QRect(0, 0, 1366, 728), DEFAULT_SIZE) is None  # maximized
    big = first_geometry(QRect(0, 0, 1920, 1040), DEFAULT_SIZE)
    assert big is not None
    assert big.size() == QSize(1632, 884) and big.center() == QRect(0, 0, 1920, 1040).center()
    # Never smaller than the window's own size, never larger than the screen.
    wide = first_geometry(QRect(0, 0, 1400, 700), DEFAULT_SIZE)
    assert wide is not None and wide.size() == QSize(1320, 700)


def test_the_first_start_places_the_window_and_later_starts_keep_theirs(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = MainWindow()  # the offscreen screen is 800 px wide: a laptop's, so maximized
    qtbot.addWidget(first)
    assert first.windowState() & Qt.WindowState.WindowMaximized
    first.close()  # its geometry is remembered
    placed: list[object] = []
    monkeypatch.setattr(
        "normgui.qt.shell.main_window.place_first_window", lambda w: placed.append(w)
    )
    second = MainWindow()
    qtbot.addWidget(second)
    assert placed == []  # the remembered geometry, not the first start's


def test_a_hint_points_to_the_scenes_menu_until_a_scene_is_opened(qtbot: QtBot) -> None:
    w = shown_window(qtbot, persist=True)
    w.statusBar().clearMessage()
    assert w.scenes_hint.isVisible() and "Scenes menu" in w.scenes_hint.text()
    w.lecture.show_scene(0)
    w.statusBar().clearMessage()
    assert not w.scenes_hint.isVisible()
    w.lecture.close_scene()
    assert not w.scenes_hint.isVisible()
    w.close()
    again = shown_window(qtbot, persist=True)  # remembered: not on the next start either
    assert again.scenes_hint.isHidden()


def test_the_dark_theme_darkens_the_whole_window(qtbot: QtBot) -> None:
    w = shown_window(qtbot)
    panel = w.input_panel.entries["A"].line_edit
    light = panel.palette().color(QPalette.ColorRole.Base).lightness()
    w.dark_action.setChecked(True)
    qtbot.waitUntil(lambda: w.input_panel.palette().color(QPalette.ColorRole.Window).value() < 100)
    for widget in (w.input_panel, w.norm_panel, w.menuBar(), w.statusBar()):
        assert widget.palette().color(QPalette.ColorRole.Window).lightness() < 100
    assert panel.palette().color(QPalette.ColorRole.Base).lightness() < 100
    assert panel.palette().color(QPalette.ColorRole.Text).lightness() > 180
    w.lecture.presentation_action.trigger()  # the projector's look is light
    try:
        qtbot.waitUntil(
            lambda: w.input_panel.palette().color(QPalette.ColorRole.Base).lightness() == light
        )
    finally:
        w.lecture.presentation_action.trigger()
    qtbot.waitUntil(lambda: w.input_panel.palette().color(QPalette.ColorRole.Window).value() < 100)
    w.dark_action.setChecked(False)
    qtbot.waitUntil(lambda: panel.palette().color(QPalette.ColorRole.Base).lightness() == light)


@pytest.mark.parametrize("compare", [False, True])
def test_every_visible_control_has_a_tooltip(qtbot: QtBot, compare: bool) -> None:
    w = shown_window(qtbot)
    w.resize(1366, 768)
    w.analysis_dock.show()
    w.store.update("Compare", compare=compare, inputs_b=[[4.0, 5.0, 6.0, 7.0]])
    qtbot.wait(10)
    controls = [
        c
        for c in w.findChildren(QWidget)
        if isinstance(c, CONTROLS) and c.isVisible() and not is_part_of_another(c)
    ]
    assert len(controls) > 40
    missing = [
        f"{type(c).__name__} {c.accessibleName() or c.objectName()!r}"
        for c in controls
        if not c.toolTip()
    ]
    assert not missing, f"{len(missing)} of {len(controls)} controls have no tooltip: {missing}"
