"""Scene stepping from the keyboard leaves the controls' own keys alone; a scene is one undo step
that says when it replaced the user's data, and undo brings back the caption with the data; a
scene sets everything it shows, its animation included."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar, QToolButton, QWidget
from pytestqt.qtbot import QtBot

from normgui.qt.lecture.animation import DEFAULT_SWEEP
from normgui.qt.shell.main_window import MainWindow
from normgui.scenes import load_scenes

SCENES = load_scenes()


@pytest.fixture
def shown(active_window: MainWindow) -> MainWindow:
    return active_window


def focus_on(widget: QWidget, qtbot: QtBot) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def test_page_down_on_a_plot_steps_the_scenes(shown: MainWindow, qtbot: QtBot) -> None:
    plot = shown.plots.plot_widgets[0]
    focus_on(plot, qtbot)
    qtbot.keyClick(plot, Qt.Key.Key_PageDown)
    assert shown.lecture.index == 0
    qtbot.keyClick(plot, Qt.Key.Key_PageDown)
    assert shown.lecture.index == 1
    qtbot.keyClick(plot, Qt.Key.Key_PageUp)
    assert shown.lecture.index == 0


def test_page_keys_stay_with_the_control_that_has_the_focus(
    shown: MainWindow, qtbot: QtBot
) -> None:
    store = shown.store
    state = store.state
    # A text field: nothing happens to the data, and the status line says how to step.
    entry = shown.input_panel.entries["A"].line_edit
    focus_on(entry, qtbot)
    qtbot.keyClick(entry, Qt.Key.Key_PageDown)
    assert shown.lecture.index is None and store.state is state
    assert "Scenes menu" in shown.statusBar().currentMessage()
    # The table pages through its rows.
    view = shown.input_panel.table.views["A"]
    store.update("Many rows", inputs_a=np.arange(200.0).reshape(50, 4))
    view.setCurrentIndex(view.model().index(0, 0))
    focus_on(view, qtbot)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert shown.lecture.index is None and view.currentIndex().row() > 0
    # A slider takes a page step, a spin box ten steps: γ moves, no scene opens.
    gamma = shown.norm_panel.param_section.editors["gamma"].control  # type: ignore[attr-defined]
    focus_on(gamma.slider, qtbot)
    qtbot.keyClick(gamma.slider, Qt.Key.Key_PageUp)
    assert shown.lecture.index is None and store.state.gamma > 1.0
    before = store.state.gamma
    focus_on(gamma.spin, qtbot)
    qtbot.keyClick(gamma.spin, Qt.Key.Key_PageUp)
    assert shown.lecture.index is None and store.state.gamma > before


def test_the_scenes_menu_and_presentation_mode_step_from_anywhere(
    shown: MainWindow, qtbot: QtBot
) -> None:
    entry = shown.input_panel.entries["A"].line_edit
    focus_on(entry, qtbot)
    shown.lecture.next_action.trigger()  # the menu's entry
    assert shown.lecture.index == 0
    assert shown.lecture.next_action.text().endswith("\tPage Down")
    shown.lecture.presentation_action.trigger()
    try:
        focus = QApplication.focusWidget() or shown
        qtbot.keyClick(focus, Qt.Key.Key_PageDown)
        assert shown.lecture.index == 1
    finally:
        shown.lecture.presentation_action.trigger()


def test_a_scene_over_typed_data_is_one_undo_step_and_says_so(
    shown: MainWindow, qtbot: QtBot
) -> None:
    store, lecture = shown.store, shown.lecture
    # Over the default data: nothing to warn about.
    lecture.show_scene(0)
    assert "replaced your data" not in shown.statusBar().currentMessage()
    lecture.close_scene()
    entry = shown.input_panel.entries["A"]
    entry.line_edit.setText("9, 8, 7")
    entry.line_edit.returnPressed.emit()
    typed = store.state
    lecture.show_scene(2)
    assert "replaced your data" in shown.statusBar().currentMessage()
    assert "Undo" in shown.statusBar().currentMessage()
    shown.undo_action.trigger()
    # One step back: the data typed, and no caption claiming a scene that is not shown.
    assert store.state is typed
    assert lecture.index is None and lecture.caption.isHidden()
    assert lecture.scene_group.checkedAction() is None
    shown.redo_action.trigger()
    assert lecture.index == 2 and not lecture.caption.isHidden()


def test_undo_between_scenes_brings_back_the_scene_before(shown: MainWindow) -> None:
    lecture = shown.lecture
    lecture.show_scene(3)
    lecture.show_scene(4)
    shown.undo_action.trigger()
    assert lecture.index == 3
    assert lecture.caption.title.text() == SCENES[3].title
    # A change within a scene keeps its caption; undoing it too.
    shown.store.update("Change γ", gamma=2.0)
    shown.undo_action.trigger()
    assert lecture.index == 3


def test_a_scene_without_animation_resets_the_one_before(shown: MainWindow) -> None:
    lecture = shown.lecture
    animated = next(i for i, s in enumerate(SCENES) if s.animation is not None)
    still = next(i for i, s in enumerate(SCENES) if s.animation is None and i > animated)
    lecture.show_scene(animated)
    assert lecture.animator.sweep == SCENES[animated].animation
    lecture.show_scene(still)
    assert lecture.animator.sweep == DEFAULT_SWEEP
    bar = lecture.animation_bar
    assert bar.more.text() == ""
    assert bar.param.currentData() == DEFAULT_SWEEP.segments[0].param


def test_the_undo_button_keeps_its_width_and_ctrl_y_redoes(shown: MainWindow, qtbot: QtBot) -> None:
    toolbar = shown.findChild(QToolBar, "mainToolbar")
    assert toolbar is not None
    button = toolbar.widgetForAction(shown.undo_action)
    assert isinstance(button, QToolButton)
    shown.store.update("Change γ", gamma=2.0)
    width = button.sizeHint().width()
    shown.lecture.show_scene("layernorm-same")
    assert button.text() == "Undo" and button.sizeHint().width() == width
    assert shown.undo_action.toolTip().startswith("Undo Scene: ")  # the whole text, there
    shown.undo_action.trigger()
    shown.setFocus()
    qtbot.keyClick(shown, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert shown.lecture.index == 0
    qtbot.keyClick(shown, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(
        shown, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    assert shown.lecture.index == 0
