"""What a person sees on the Training page (and its banner on both pages), checked on the
pixels and the geometry: each run's own regime bands, end labels that never overlap, a banner
that follows the dark theme, and a page that fits the window under a training scene's caption."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from normgui.core.activations import RegimeSettings, activation_curve
from normgui.core.pipeline import CURVE_POINTS
from normgui.core.state import State
from normgui.core.training.preset import RunConfig
from normgui.core.training.setup import TrainingSetup
from normgui.qt.plots._bands import RegimeBands
from normgui.qt.store import Store
from normgui.qt.theme import DARK, LIGHT
from normgui.qt.training import TrainingPage
from normgui.qt.widgets.banner import Banner

SMALL = RunConfig(hidden=(16, 12), lr=0.5, batch_size=30)


def small_setup(**changes: object) -> TrainingSetup:
    setup = TrainingSetup(
        dataset="iris", a=SMALL, b=replace(SMALL, norm="batchnorm"), steps=60, record_every=10
    )
    return setup.replace(**changes)


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[TrainingPage]:
    page = TrainingPage(Store(State(training_setup=small_setup())), "process")
    qtbot.addWidget(page)
    page.resize(1100, 700)
    yield page
    page.close_run()


def shown(qtbot: QtBot, page: TrainingPage, setup: TrainingSetup) -> None:
    """`page` on screen, showing `setup` trained to its end (without the worker)."""
    page.store.set_state(page.store.state.replace(training_setup=setup))
    page.show()
    qtbot.waitExposed(page)
    page.controller.train_here()
    for _ in range(3):
        QApplication.processEvents()


def picture(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def test_b_with_another_activation_has_its_own_regime_bands_drawn(
    qtbot: QtBot, page: TrainingPage
) -> None:
    """B's tanh saturates from |y| ≈ 1.82, where A's sigmoid is in neither regime: a column of
    the Now plot at y = 2.7 shows B's saturation zone (hatched), below both curves."""
    shown(qtbot, page, small_setup(b=replace(SMALL, norm="batchnorm", activation="tanh")))
    now, drift = page.training_plots["now"], page.training_plots["drift"]
    for plot in (now, drift):
        bands = plot.bands  # type: ignore[attr-defined]
        assert (bands.a.linear, bands.a.saturated) == regimes_across(bands.a, "sigmoid")
        assert (bands.b.linear, bands.b.saturated) == regimes_across(bands.b, "tanh")
        assert bands.b.isVisible()
    assert "hatched: B's tanh regimes" in now.readout.toPlainText()  # type: ignore[attr-defined]
    assert drift.key.isVisible()  # type: ignore[attr-defined]
    box = now.plot.getViewBox()  # type: ignore[attr-defined]
    (_x0, _x1), (y0, _y1) = box.viewRange()
    image = picture(now.widget)
    widget_at = now.widget.mapFromScene  # (a PlotWidget's scene is in its own pixels)
    # From a little above the bottom (the step's label is at the right, not here) up to the
    # middle of the curves' range, below both curves at y = 2.7.
    bottom = widget_at(box.mapViewToScene(QPointF(2.7, y0 + 0.15 * (0.5 - y0))))
    top = widget_at(box.mapViewToScene(QPointF(2.7, 0.4)))
    hatch = [
        QColor(image.pixel(bottom.x(), y))
        for y in range(top.y(), bottom.y())
        if _purplish(QColor(image.pixel(bottom.x(), y)))
    ]
    assert len(hatch) >= 3, "no saturation zone of B's drawn where only B's activation saturates"
    # Where neither saturates (y = 1.2: inside neither zone), no saturation colour.
    calm = widget_at(box.mapViewToScene(QPointF(1.2, 0.0)))
    assert not _purplish(QColor(image.pixel(calm.x(), calm.y())))


def regimes_across(bands: RegimeBands, activation: str) -> tuple[list[tuple[float, float]], ...]:
    """The linear and saturated spans of `activation` across the range `bands` lie across, as
    the Layer page finds them (and the records count them: the default settings)."""
    shown = bands.shown_range()
    assert shown is not None
    curve = activation_curve(*shown, activation, RegimeSettings(), CURVE_POINTS)
    assert curve.linear_spans or curve.saturated_spans  # (something to compare)
    return list(curve.linear_spans), list(curve.saturated_spans)


def _purplish(c: QColor) -> bool:
    """The saturation zones' reddish purple, however pale (not A's blue, nor B's vermillion)."""
    return c.red() - c.green() > 20 and c.blue() - c.green() > 12


def test_b_with_a_s_activation_draws_only_a_s_bands(qtbot: QtBot, page: TrainingPage) -> None:
    shown(qtbot, page, small_setup())
    for name in ("now", "drift"):
        assert not page.training_plots[name].bands.b.isVisible()  # type: ignore[attr-defined]
    assert "hatched" not in page.training_plots["now"].readout.toPlainText()  # type: ignore[attr-defined]


def test_the_layers_end_labels_never_overlap(qtbot: QtBot, page: TrainingPage) -> None:
    """At step 0 B's three BatchNorm layers are all about half linear: their labels were drawn
    over each other. The page as large as it is at 1366×768 beside both docks."""
    page.resize(790, 560)
    setup = TrainingSetup(steps=1, record_every=1, a=RunConfig(), b=RunConfig(norm="batchnorm"))
    shown(qtbot, page, setup)
    layers = page.training_plots["layers"]
    labels = [label for label in layers._labels.values() if label.isVisible()]  # type: ignore[attr-defined]
    assert len(labels) == 6
    view = layers.top.getViewBox()  # type: ignore[attr-defined]
    inside = view.mapRectToScene(view.rect()).adjusted(-1, -1, 1, 1)
    boxes = []
    for label in labels:
        margin = label.textItem.document().documentMargin()
        letters = label.textItem.boundingRect().adjusted(margin, margin, -margin, -margin)
        box = label.textItem.mapRectToScene(letters)
        assert inside.top() <= box.center().y() <= inside.bottom(), label.toPlainText()
        boxes.append((label.toPlainText(), box))
    overlaps = [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.intersected(box_b).height() > 1.0
    ]
    assert not overlaps, f"labels drawn over each other: {overlaps}"


def _lightness(image: QImage, rect: QRectF) -> float:
    """The mean lightness of `image` in `rect`."""
    values = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(int(rect.left()), int(rect.right()))
        for y in range(int(rect.top()), int(rect.bottom()))
    ]
    return float(np.mean(values))


def check_banner(banner: Banner, dark: bool) -> None:
    """The banner's ground dark and its letters light in the dark theme (and the other way
    round in the light one), with the contrast body text needs."""
    image = picture(banner)
    ground = _lightness(image, QRectF(3, 3, 6, image.height() - 6))  # the padding, no text
    lightness = [
        QColor(image.pixel(x, y)).lightness()
        for x in range(image.width())
        for y in range(image.height())
    ]
    text = min(lightness) if not dark else max(lightness)
    if dark:
        assert ground < 80 and text > 180, (ground, text)
    else:
        assert ground > 200 and text < 110, (ground, text)


def test_the_learning_key_lies_outside_the_curves(qtbot: QtBot, page: TrainingPage) -> None:
    """The key of A and B was a box in the loss plot's corner, over a loss that falls slowly."""
    page.resize(790, 560)
    shown(qtbot, page, small_setup())
    learning = page.training_plots["learning"]
    legend = learning.legend  # type: ignore[attr-defined]
    assert legend.isVisible() and len(legend.items) == 2
    key = legend.mapRectToScene(legend.boundingRect())
    for plot in (learning.loss, learning.accuracy):  # type: ignore[attr-defined]
        view = plot.getViewBox()
        assert not key.intersects(view.mapRectToScene(view.rect())), plot


@pytest.mark.parametrize("dark", [True, False], ids=["dark", "light"])
def test_the_training_banner_follows_the_theme(
    qtbot: QtBot, page: TrainingPage, dark: bool
) -> None:
    shown(qtbot, page, small_setup())
    page.set_theme(DARK if dark else LIGHT)
    page.store.update("Another seed", training_setup=small_setup(seed=3))  # waits for Reset
    QApplication.processEvents()
    assert page.status.isVisible() and "next Reset" in page.status.text()
    check_banner(page.status, dark)


def test_the_layer_page_warnings_follow_the_dark_theme(qtbot: QtBot) -> None:
    from normgui.qt.shell.main_window import MainWindow

    window = MainWindow(State(inputs_a=[[1.0, 2.0, 3.0]], method="batchnorm"), persist=False)
    qtbot.addWidget(window)
    window.show()
    window.dark_action.setChecked(True)
    window.store.flush()
    QApplication.processEvents()
    banner = window.findChild(Banner)
    assert banner is not None and banner.isVisible(), "a batch of one is warned about"
    check_banner(banner, dark=True)


@pytest.mark.parametrize("height", [700, 749], ids=["700", "749"])
def test_a_training_scene_s_caption_leaves_the_page_whole_in_the_window(
    qtbot: QtBot, height: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 1366×768 at the desk (749 high: the screen under its title bar; 700: a window not
    maximized) under the longest training caption (a question, and a table of the run's
    numbers), every plot of the page and the Now plot's axis label lie inside the window."""
    from normgui.qt.data_panel import panel
    from normgui.qt.shell.main_window import MainWindow

    monkeypatch.setattr(panel, "screen_width", lambda widget: 1366)
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1366, height)
    qtbot.waitExposed(window)
    window.lecture.show_scene("training-input-batchnorm")
    page = window.findChild(TrainingPage)
    assert page is not None
    page.controller.train_here()  # the caption's table of numbers, in full
    for _ in range(5):
        QApplication.processEvents()
    assert window.height() == height and window.minimumSizeHint().height() <= height
    assert window.lecture.caption.height() > 150  # (the caption this is about)
    central = window.centralWidget()
    bottom = central.mapTo(window, central.rect().bottomLeft()).y()
    for name, plot in page.training_plots.items():
        end = plot.widget.mapTo(window, plot.widget.rect().bottomLeft()).y()
        assert end <= bottom, f"the {name} plot ends at {end}, below the window's centre ({bottom})"
        assert plot.widget.height() >= 120, f"the {name} plot is squashed"
    now = page.training_plots["now"]
    label = now.plot.getAxis("bottom").label  # type: ignore[attr-defined]
    margin = label.document().documentMargin()
    letters = label.boundingRect().adjusted(margin, margin, -margin, -margin)
    seen = now.widget.mapFromScene(label.mapRectToScene(letters)).boundingRect()
    # (The letters' box reaches a pixel or two below them, at any size of the plot.)
    assert now.widget.rect().adjusted(0, 0, 0, 2).contains(seen), "the axis label is cut"
    page.close_run()
