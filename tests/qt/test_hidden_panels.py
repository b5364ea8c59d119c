"""A panel hidden on a shown window (presentation mode) skips the frames of Play and catches up
when it shows again; a panel never shown (tests, headless) follows every State."""

from __future__ import annotations

from PySide6.QtWidgets import QSlider
from pytestqt.qtbot import QtBot

from normgui.qt.norm_panel import NormalizationPanel
from normgui.qt.shell.main_window import MainWindow
from normgui.qt.store import Store


def gamma_slider(panel: NormalizationPanel) -> QSlider:
    return next(s for s in panel.findChildren(QSlider) if s.accessibleName() == "Gamma slider")


def test_a_hidden_panel_catches_up_when_shown(qtbot: QtBot) -> None:
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    slider = gamma_slider(window.norm_panel)
    before = slider.value()
    window.lecture.presentation.enter()  # the docks hide
    assert not window.norm_panel.isVisible()
    window.store.update("Change γ", gamma=3.0)
    assert slider.value() == before  # nobody sees it: not kept up to date
    window.lecture.presentation.leave()
    qtbot.waitUntil(window.norm_panel.isVisible)
    assert slider.value() != before
    window.store.update("Change γ", gamma=1.0)
    assert slider.value() == before  # shown: follows at once again


def test_a_panel_never_shown_follows_every_state(qtbot: QtBot, store: Store) -> None:
    panel = NormalizationPanel(store)
    qtbot.addWidget(panel)
    before = gamma_slider(panel).value()
    store.update("Change γ", gamma=3.0)
    assert gamma_slider(panel).value() != before
