"""A scene's caption takes at most a share of the window's centre: in a small window its text
scrolls, the page under it keeps its least height, and everything in the caption can still be
scrolled to; in a window of the usual size it is whole, and a picture of the scene is whole."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from normgui.qt.data_panel import panel
from normgui.qt.lecture.caption import DESK_HEIGHT_SHARE, CaptionBar, caption_picture
from normgui.qt.shell.main_window import MainWindow
from normgui.qt.training import TrainingPage

SCENE = "training-input-batchnorm"  # the tallest caption: a question and a table of numbers


@pytest.fixture
def window(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setattr(panel, "screen_width", lambda widget: 1024)
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1024, 600)
    qtbot.waitExposed(window)
    window.lecture.show_scene(SCENE)
    page = window.findChild(TrainingPage)
    assert page is not None
    page.controller.train_here()  # the caption's table of numbers, in full
    _settle()
    yield window
    page.close_run()


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _bottom_in(widget: QWidget, other: QWidget) -> int:
    return widget.mapTo(other, QPoint(0, widget.height())).y()


def test_a_tall_caption_scrolls_in_a_small_window_and_the_page_keeps_its_height(
    window: MainWindow,
) -> None:
    caption = window.lecture.caption
    centre = window.centralWidget()
    page = window.pages.stack
    scroll = caption.text_scroll
    assert scroll is not None
    assert window.height() == 600
    assert caption.height() <= DESK_HEIGHT_SHARE * centre.height() + 1
    assert caption.height() >= 80, "the title and some lines of the caption show"
    # The page under it is not squeezed: its least height, and readable plots.
    assert page.height() >= page.minimumSizeHint().height()
    assert _bottom_in(page, centre) <= centre.height()
    training = window.findChild(TrainingPage)
    assert training is not None
    for name, plot in training.training_plots.items():
        assert plot.widget.height() >= 120, f"the {name} plot is squashed"
    # The rest of the text is there, a scroll away: the readout's last line comes into view.
    bar = scroll.verticalScrollBar()
    assert bar.isVisible() and bar.maximum() > 0
    assert caption.body.height() > scroll.viewport().height()
    bar.setValue(bar.maximum())
    _settle()
    readout = caption.readout
    assert readout.isVisible() and "Test accuracy" in readout.text()
    viewport = scroll.viewport()
    assert _bottom_in(readout, viewport) <= viewport.height()
    assert readout.width() <= viewport.width(), "the text wraps in the caption, never wider"


def test_the_caption_follows_the_window_s_height_at_once_and_is_whole_at_1366x768(
    window: MainWindow,
) -> None:
    caption = window.lecture.caption
    scroll = caption.text_scroll
    assert scroll is not None and scroll.verticalScrollBar().maximum() > 0
    before = caption.height()
    window.resize(1024, 800)  # taller, as wide: nothing but the room's height changed
    QApplication.processEvents()  # one turn: the window's new size and its layout
    at_once = caption.height()
    _settle()
    assert at_once == caption.height() > before
    window.resize(1366, 768)
    _settle()
    assert scroll.verticalScrollBar().maximum() == 0, "the whole caption shows, no scroll bar"
    assert not scroll.verticalScrollBar().isVisible()
    page = window.pages.stack
    assert page.height() >= page.minimumSizeHint().height()


def test_a_picture_of_the_scene_has_the_whole_caption(window: MainWindow) -> None:
    lecture = window.lecture
    assert lecture.scene is not None and lecture.index is not None
    readouts_text = lecture.caption.readout.text()
    bar = caption_picture(lecture.scene, lecture.index, len(lecture.scenes), (), window.theme)
    try:
        assert isinstance(bar, CaptionBar) and bar.text_scroll is None
        bar.readout.setText(readouts_text)
        layout = bar.layout()
        assert layout is not None
        height = layout.totalHeightForWidth(600)
        bar.resize(600, height)
        layout.activate()
        assert _bottom_in(bar.readout, bar) <= height
        assert bar.readout.height() >= bar.readout.heightForWidth(bar.readout.width())
    finally:
        bar.close()
        bar.deleteLater()
