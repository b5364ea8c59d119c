"""Lecture mode in the window: scenes from the menu and the keyboard, the caption and its
readouts, presentation mode and its way back, Play, export (PNG, SVG) and copy."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDockWidget,
    QLineEdit,
    QPushButton,
    QToolBar,
)
from pytestqt.qtbot import QtBot

from normgui.__main__ import main
from normgui.qt.lecture.scene_menu import READ_SCENES_AFTER_MS
from normgui.qt.sessions import session_actions
from normgui.qt.shell.main_window import MainWindow
from normgui.qt.theme import DARK, LIGHT, PRESENTATION
from normgui.scenes import PLOTS, SceneError, Segment, Sweep, load_scenes

SCENES = load_scenes()
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    return w


@pytest.fixture
def shown(window: MainWindow, qtbot: QtBot) -> MainWindow:
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    return window


def distinct_colours(image: QImage) -> int:
    step = 11
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_the_scenes_menu_lists_every_scene(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[int] = []

    def counted() -> tuple[object, ...]:
        reads.append(1)
        return SCENES

    monkeypatch.setattr("normgui.qt.lecture.scene_menu.load_scenes", counted)
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    lecture = window.lecture
    assert not reads  # the window opens without reading a scene file
    lecture.scenes_menu.aboutToShow.emit()  # the menu, opened, reads them once
    lecture.scenes_menu.aboutToShow.emit()
    assert reads == [1]
    qtbot.wait(READ_SCENES_AFTER_MS + 100)  # (when it would have read them unasked)
    assert reads == [1]
    entries = [a.data() if a in lecture.scene_actions else a for a in lecture.scenes_menu.actions()]
    first, last = entries.index(SCENES[0].id), entries.index(SCENES[-1].id)
    assert entries[first : last + 1] == [s.id for s in SCENES]
    # Between the steps (Next, Previous) and Play, each set apart by a line.
    assert entries[first - 1].isSeparator() and entries[first - 2] is lecture.previous_action
    assert entries[last + 1].isSeparator() and entries[last + 2] is lecture.play_action
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Scenes") == titles.index("&Help") - 1
    assert lecture.caption.isHidden()


@pytest.mark.parametrize("index", range(len(SCENES)), ids=[s.id for s in SCENES])
def test_each_scene_from_the_menu_shows_its_state_caption_and_plots(
    window: MainWindow, index: int, tmp_path: Path
) -> None:
    scene = SCENES[index]
    window.lecture.scene_actions[index].trigger()
    assert window.store.state.same_as(scene.state)
    caption = window.lecture.caption
    assert not caption.isHidden()
    assert caption.title.text() == scene.title
    assert caption.caption.text() == scene.caption
    assert caption.position.text() == f"{index + 1} / {len(SCENES)}"
    assert caption.readout.text() or not scene.readouts
    assert caption.play_button.isVisibleTo(caption) == (scene.animation is not None)
    out = tmp_path / f"{scene.id}.png"
    window.export_plots(out)
    image = QImage(str(out))
    assert image.width() > 500 and image.height() > 300
    assert distinct_colours(image) > 20


def test_the_first_scene_says_a_and_b_coincide(window: MainWindow) -> None:
    window.lecture.show_scene("layernorm-same")
    window.store.flush()
    assert "A and B coincide after LayerNorm" in window.lecture.caption.readout.text()
    window.store.update("Method", method="batchnorm")  # the readout is live
    window.store.flush()
    assert "A and B stay apart after BatchNorm" in window.lecture.caption.readout.text()


def test_page_down_and_page_up_step_through_the_scenes(shown: MainWindow, qtbot: QtBot) -> None:
    lecture = shown.lecture
    shown.setFocus()  # no control that uses the keys itself has the focus (see test_scene_keys)
    qtbot.keyClick(shown, Qt.Key.Key_PageDown)
    assert lecture.index == 0
    qtbot.keyClick(shown, Qt.Key.Key_PageDown)
    qtbot.keyClick(shown, Qt.Key.Key_PageDown)
    assert lecture.index == 2
    assert shown.store.state.same_as(SCENES[2].state)
    qtbot.keyClick(shown, Qt.Key.Key_PageUp)
    assert lecture.index == 1
    assert lecture.scene_group.checkedAction() is lecture.scene_actions[1]
    lecture.show_scene(len(SCENES) - 1)
    qtbot.keyClick(shown, Qt.Key.Key_PageDown)  # the last scene stays the last
    assert lecture.index == len(SCENES) - 1
    assert not lecture.caption.next_button.isEnabled()
    lecture.caption.previous_button.click()
    assert lecture.index == len(SCENES) - 2
    # A scene is one undo step: Undo goes back to the scene before.
    shown.undo_action.trigger()
    assert shown.store.state.same_as(SCENES[-1].state)


def test_the_readouts_on_the_plot_stay_legible_when_a_caption_shrinks_the_plots(
    shown: MainWindow, qtbot: QtBot
) -> None:
    # Once, cached pictures of these texts came out blank after the plots were laid out again.
    shown.lecture.show_scene("invariances")
    shown.store.flush()
    for _ in range(5):
        QApplication.processEvents()
    plot = shown.plots.plots["activation"]
    image = plot.widget.grab().toImage()
    for corner in (plot.readout, plot.key):
        text = corner.text
        box = plot.widget.mapFromScene(text.mapToScene(text.boundingRect())).boundingRect()
        box = box.intersected(image.rect())
        dark = sum(
            QColor(image.pixel(x, y)).lightness() < 100
            for x in range(box.left(), box.right())
            for y in range(box.top(), box.bottom())
        )
        assert dark > 100, f"{dark} dark pixels: the text is not drawn"


def test_closing_the_caption_leaves_the_state(window: MainWindow) -> None:
    window.lecture.show_scene(0)
    window.lecture.caption.close_button.click()
    assert window.lecture.caption.isHidden() and window.lecture.index is None
    assert window.lecture.scene_group.checkedAction() is None
    assert window.store.state.same_as(SCENES[0].state)


def test_f11_enters_presentation_mode_and_esc_restores_the_window(
    shown: MainWindow, qtbot: QtBot
) -> None:
    shown.dark_action.setChecked(True)
    shown.norm_dock.hide()  # the user's own layout, to be kept
    shown.resize(QSize(700, 600))  # within the offscreen screen (800×800): no clamping
    shown.move(40, 50)
    qtbot.wait(50)
    geometry = shown.geometry()
    docks = {d.objectName(): d.isVisible() for d in shown.findChildren(QDockWidget)}
    toolbars = {t.objectName(): t.isVisible() for t in shown.findChildren(QToolBar)}
    shown.lecture.show_scene("gamma-beta-saturation")

    qtbot.keyClick(shown, Qt.Key.Key_F11)
    assert shown.lecture.presentation.active
    qtbot.waitUntil(shown.isFullScreen)
    assert shown.theme is PRESENTATION
    assert shown.plots.theme is PRESENTATION
    assert not any(d.isVisible() for d in shown.findChildren(QDockWidget))
    assert not any(t.isVisible() for t in shown.findChildren(QToolBar))
    assert shown.menuBar().isHidden() and shown.statusBar().isHidden()
    assert shown.lecture.caption.caption.font().pointSizeF() >= 24
    assert shown.lecture.presentation_action.isChecked()
    # Only the plots the scene needs, large.
    visible = [n for n, plot in shown.plots.plots.items() if plot.widget.isVisible()]
    assert visible == sorted(SCENES[3].plots, key=PLOTS.index)

    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.lecture.presentation.active
    qtbot.waitUntil(lambda: not shown.isFullScreen())
    qtbot.waitUntil(lambda: shown.geometry() == geometry)
    assert shown.theme is DARK
    assert {d.objectName(): d.isVisible() for d in shown.findChildren(QDockWidget)} == docks
    assert {t.objectName(): t.isVisible() for t in shown.findChildren(QToolBar)} == toolbars
    assert not shown.menuBar().isHidden() and not shown.statusBar().isHidden()
    assert shown.lecture.caption.caption.font().pointSizeF() < 24
    assert all(w.isVisible() for w in shown.plots.plot_widgets)
    assert not shown.lecture.presentation_action.isChecked()
    # Esc is only a shortcut in presentation mode.
    assert shown.lecture.leave_presentation_action.shortcut().isEmpty()


def test_f11_toggles_back_and_closing_leaves_presentation_first(
    shown: MainWindow, qtbot: QtBot
) -> None:
    qtbot.keyClick(shown, Qt.Key.Key_F11)
    assert shown.lecture.presentation.active
    qtbot.keyClick(shown, Qt.Key.Key_F11)
    assert not shown.lecture.presentation.active and shown.theme is LIGHT
    shown.lecture.presentation_action.trigger()
    assert shown.lecture.presentation.active
    shown.close()
    assert not shown.lecture.presentation.active
    assert shown.theme is LIGHT


@pytest.mark.qt_log_ignore("This plugin does not support raise()")  # a dock floated offscreen
def test_a_cancelled_close_stays_in_presentation_and_a_floating_dock_goes_with_the_window(
    shown: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown.data_dock.setFloating(True)
    shown.store.update("Gamma", gamma=2.0)  # unsaved: closing asks
    animator = shown.lecture.animator
    animator.set_sweep(Sweep((Segment("beta", 0.0, 1.0, 30.0),)))
    shown.lecture.presentation.enter()
    animator.play()
    monkeypatch.setattr(session_actions, "ask_save_changes", lambda *a: "cancel")
    shown.close()
    assert shown.isVisible() and shown.lecture.presentation.active and animator.running
    assert not shown.data_dock.isVisible()  # (hidden by presentation mode, not by the close)
    monkeypatch.setattr(session_actions, "ask_save_changes", lambda *a: "discard")
    shown.close()
    assert not shown.isVisible() and not animator.running
    assert not shown.lecture.presentation.active and shown.theme is LIGHT
    assert shown.data_dock.isFloating() and not shown.data_dock.isVisible()


def test_the_warning_banner_is_large_on_a_projector(shown: MainWindow, qtbot: QtBot) -> None:
    shown.lecture.show_scene("batchnorm-batch-of-one")
    shown.store.flush()
    banner = shown._warning_label
    assert banner.isVisible()
    desk = banner.font().pointSizeF()
    shown.lecture.presentation.enter()
    assert banner.font().pointSizeF() >= 20
    shown.lecture.presentation.leave()
    assert banner.font().pointSizeF() == desk


def test_play_sweeps_gamma_smoothly_then_stops(window: MainWindow, qtbot: QtBot) -> None:
    animator = window.lecture.animator
    animator.set_sweep(Sweep((Segment("gamma", 1.0, 3.0, 0.5),)))
    drawn: list[float] = []
    window.store.frame_changed.connect(lambda frame: drawn.append(frame.state.gamma))
    started = time.monotonic()
    window.lecture.play_action.trigger()
    assert animator.running
    assert window.lecture.play_action.iconText() == "Pause"
    qtbot.waitUntil(lambda: window.store.state.gamma > 1.5, timeout=2000)
    qtbot.waitUntil(lambda: not animator.running, timeout=3000)
    took = time.monotonic() - started
    assert window.store.state.gamma == 3.0
    assert window.lecture.play_action.iconText() == "Play"
    assert took == pytest.approx(0.5, abs=0.4)
    # Every tick is a frame drawn, at the pace of the timer (≥ 30 a second; 60 is the aim).
    values = sorted(set(drawn))
    assert len(values) >= 30 * 0.5 * 0.6, len(values)
    assert values[-1] == 3.0 and all(1.0 <= v <= 3.0 for v in values)
    assert window.plots.frame is not None and window.plots.frame.state.gamma == 3.0
    # One Play is one undo step.
    window.undo_action.trigger()
    assert window.store.state.gamma == 1.0


def test_the_axes_stand_still_while_a_sweep_plays(window: MainWindow, qtbot: QtBot) -> None:
    window.lecture.show_scene("gamma-beta-saturation")
    window.store.flush()
    plot = window.plots.plots["activation"].plot
    before = plot.viewRange()[0]
    seen: list[tuple[float, float]] = []
    window.store.frame_changed.connect(lambda _f: seen.append(tuple(plot.viewRange()[0])))
    animator = window.lecture.animator
    animator.set_sweep(Sweep((Segment("gamma", 1.0, 5.0, 0.3),)))
    animator.play()
    qtbot.waitUntil(lambda: not animator.running, timeout=3000)
    assert len(set(seen)) == 1  # the same x range from the first frame to the last
    assert seen[0][1] > before[1] + 3  # with room for γ = 5 from the start
    # After the sweep the picture stays; the next change lets the plots fit the data again
    # (once the changes pause).
    window.store.update("Gamma", gamma=1.0)
    window.store.flush()
    qtbot.waitUntil(lambda: plot.viewRange()[0] == pytest.approx(before), timeout=2000)


def test_pause_resumes_where_it_was(window: MainWindow, qtbot: QtBot) -> None:
    animator = window.lecture.animator
    animator.set_sweep(Sweep((Segment("beta", 0.0, 1.0, 5.0),)))
    animator.play()
    qtbot.wait(300)
    animator.pause()
    paused = window.store.state.beta
    assert 0.0 < paused < 0.5
    qtbot.wait(200)
    assert window.store.state.beta == paused
    animator.play()
    qtbot.wait(50)
    assert window.store.state.beta >= paused
    animator.stop()


def test_a_loop_keeps_going_until_paused(window: MainWindow, qtbot: QtBot) -> None:
    animator = window.lecture.animator
    animator.set_sweep(Sweep((Segment("input_shift", 0.0, 1.0, 0.1),), loop=True))
    animator.play()
    qtbot.wait(400)
    assert animator.running
    animator.toggle()
    assert not animator.running


def test_space_plays_except_in_text_fields_and_on_buttons(shown: MainWindow, qtbot: QtBot) -> None:
    animator = shown.lecture.animator
    animator.set_sweep(Sweep((Segment("gamma", 1.0, 2.0, 30.0),)))
    shown.setFocus()
    qtbot.keyClick(shown, Qt.Key.Key_Space)
    assert animator.running
    qtbot.keyClick(shown, Qt.Key.Key_Space)
    assert not animator.running
    animator.stop()
    # In a text field Space types a space.
    entry = next(e for e in shown.findChildren(QLineEdit) if e.accessibleName() == "Input A")
    entry.setFocus()
    entry.setText("1, 2")
    entry.end(False)
    qtbot.keyClick(entry, Qt.Key.Key_Space)
    assert entry.text() == "1, 2 " and not animator.running
    # On a check box Space still ticks it.
    compare = next(c for c in shown.findChildren(QCheckBox) if c.accessibleName() == "Compare")
    compare.setFocus()
    before = compare.isChecked()
    qtbot.keyClick(compare, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: compare.isChecked() != before)
    assert not animator.running
    # ... once, press and release together: a button held down by the shortcut's click took
    # the key's release for a second click (the Training page's Run, then Pause).
    qtbot.wait(300)
    assert compare.isChecked() != before
    button = next(b for b in shown.findChildren(QPushButton) if b.text() == "Generate")
    clicks: list[bool] = []
    button.clicked.connect(lambda: clicks.append(True))
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    qtbot.wait(300)
    assert len(clicks) == 1 and not animator.running


def test_a_scene_animation_shows_in_the_animation_bar(window: MainWindow) -> None:
    bar = window.lecture.animation_bar
    window.lecture.show_scene("gamma-beta-saturation")
    assert bar.param.currentData() == "gamma"
    assert (bar.start.value(), bar.end.value(), bar.seconds.value()) == (1.0, 5.0, 3.0)
    assert bar.more.text() == " then β 0 → 4"
    # Editing the bar makes a sweep of what it shows.
    bar.param.setCurrentIndex(bar.param.findData("eps"))
    sweep = window.lecture.animator.sweep
    assert len(sweep.segments) == 1 and sweep.segments[0].param == "eps"
    assert bar.start.log and sweep.segments[0].start > 0
    bar.start.stepBy(2)  # half a decade a click: ×10
    assert window.lecture.animator.sweep.segments[0].start == pytest.approx(1e-7)
    bar.loop.setChecked(True)
    assert window.lecture.animator.sweep.loop
    assert bar.more.text() == ""


def test_svg_export_is_valid_xml_with_paths_and_text(window: MainWindow, tmp_path: Path) -> None:
    window.store.set_state(SCENES[0].state)  # a scene's data, without its caption: all plots
    out = tmp_path / "plots.svg"
    window.export_plots(out)
    root = ET.parse(out).getroot()
    assert root.tag == f"{SVG}svg"
    tags = [element.tag.removeprefix(SVG) for element in root.iter()]
    assert tags.count("path") + tags.count("polyline") > 50
    assert "image" not in tags  # vector through and through: no bitmaps of axes or backgrounds
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    for words in ("Through the activation", "Gradient", "Stages", "normalized", "0.5"):
        assert words in texts
    # Plots clip what runs off them; no shape is left scaled by a plot's transform.
    assert len(root.findall(f"{SVG}defs/{SVG}clipPath")) >= 4
    for group in root.iter(f"{SVG}g"):
        if group.get("transform") and group.get("stroke", "none") != "none":
            assert not group.findall(f"{SVG}polyline"), group.attrib
    # The widgets keep their bitmap caches for the screen.
    area = window.plots
    assert all(w.cacheMode() != 0 for w in area.plot_widgets)


def test_export_dialog_saves_png_at_the_chosen_resolution_or_svg(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(
        [
            (str(tmp_path / "slide"), "PNG image (*.png)"),
            (str(tmp_path / "drawing"), "SVG drawing (*.svg)"),
            ("", ""),
        ]
    )
    monkeypatch.setattr(
        "normgui.qt.lecture.exporting.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: next(answers),
    )
    lecture = window.lecture
    assert lecture.export_scale == 2.0  # for slides
    next(a for a in lecture.scale_actions if a.data() == 1.0).trigger()
    window.export_action.trigger()
    one = QImage(str(tmp_path / "slide.png"))
    next(a for a in lecture.scale_actions if a.data() == 2.0).trigger()
    window.export_plots(tmp_path / "double.png", lecture.export_scale)
    two = QImage(str(tmp_path / "double.png"))
    assert two.width() == 2 * one.width()
    window.export_action.trigger()
    ET.parse(tmp_path / "drawing.svg")
    window.export_action.trigger()  # cancelled: nothing happens
    assert "drawing.svg" in window.statusBar().currentMessage()


def test_copy_puts_an_image_and_svg_on_the_clipboard(window: MainWindow) -> None:
    window.lecture.copy_action.trigger()
    data = QGuiApplication.clipboard().mimeData()
    assert data is not None
    assert data.hasImage()
    assert bytes(data.data("image/svg+xml").data()).startswith(b"<?xml")


def test_plots_are_arranged_by_name(window: MainWindow) -> None:
    area = window.plots
    assert list(area.plots) == list(PLOTS)  # the names scenes use, in their order
    area.arrange(["stages"])
    assert [w.isVisibleTo(area) for w in area.plot_widgets] == [False, False, True, False]
    area.arrange(None)
    assert all(w.isVisibleTo(area) for w in area.plot_widgets)
    with pytest.raises(ValueError):
        area.arrange(["pie"])


def test_broken_scene_files_cost_the_menu_not_the_app(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise SceneError("01-x.json: not a scene")

    monkeypatch.setattr("normgui.qt.lecture.scene_menu.load_scenes", broken)
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    # Read unasked once the window has been painted, and said then in the status bar ...
    qtbot.waitUntil(lambda: "01-x.json" in w.statusBar().currentMessage(), timeout=2000)
    assert w.lecture.scenes == () and w.lecture.scene_actions == []
    # ... and in the menu, which the status bar's next message does not take away.
    said = [a for a in w.lecture.scenes_menu.actions() if "01-x.json" in a.text()]
    assert len(said) == 1 and not said[0].isEnabled()
    w.lecture.next_scene()  # nothing to step to, and no error
    assert w.lecture.index is None


def test_command_line_lists_the_scenes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-scenes"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(SCENES)
    for line, scene in zip(lines, SCENES, strict=True):
        assert line.split(maxsplit=1) == [scene.id, scene.title]


def test_command_line_exports_a_scene(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    svg = tmp_path / "scene.svg"
    assert main(["--scene", "invariances", "--export", str(svg)]) == 0
    root = ET.parse(svg).getroot()
    assert root.findall(f".//{SVG}text")
    png = tmp_path / "scene.png"
    assert main(["--scene", "pixels-raw", "--export", str(png)]) == 0
    assert distinct_colours(QImage(str(png))) > 20
    assert main(["--scene", "no-such-scene", "--export", str(png)]) == 2
    assert "no scene 'no-such-scene'" in capsys.readouterr().err
