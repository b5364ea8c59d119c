"""Upright axes keep their labels apart: the Distributions plot's count axes on a projector
(F11, at 1366×768 and 1920×1080) each show at least one count, however short the stacked
histograms are, and their labels never overlap; nor do any plot's on a short axis (a strip of
stacked plots); the spacing of the labelled ticks, on its own."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPicture
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.state import State
from normgui.qt.plots import PlotArea
from normgui.qt.plots import _area as plots_area
from normgui.qt.plots._axes import GridAxis, grid_axes, label_spacing
from normgui.qt.plots._distributions import CountAxis, DistributionPlots
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, PRESENTATION

RNG = np.random.default_rng(0)
INPUTS = {
    "one of each": [[1.0, 2.0, 3.0, 4.0]],  # the window's first input: every count is 1
    "a few": RNG.normal(size=(10, 4)).tolist(),
    "pixels": RNG.integers(0, 256, size=(200, 3)).astype(float).tolist(),
    "many": RNG.normal(size=(1000, 4)).tolist(),
}
# Presentation mode's plot area: the screen less the window's margins.
SCREENS = {"1366x768": (1358, 760), "1920x1080": (1912, 1072)}


def labels(axis: pg.AxisItem) -> list[tuple[QRectF, str]]:
    """The tick labels `axis` draws (pyqtgraph's own list of them), in its coordinates."""
    picture = QPicture()
    painter = QPainter(picture)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [] if specs is None else [(rect, text) for rect, _flags, text in specs[2]]


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("name", INPUTS)
def test_on_a_projector_each_count_axis_shows_a_count_and_no_labels_overlap(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, screen: str, name: str
) -> None:
    monkeypatch.setattr(plots_area, "SETTLE_S", 0.0)  # (the frame's ranges at once)
    store = Store(State(inputs_a=INPUTS[name]))
    area = PlotArea(store)
    qtbot.addWidget(area)
    area.set_theme(PRESENTATION)
    area.resize(*SCREENS[screen])
    area.show()
    qtbot.waitExposed(area)
    store.flush()
    for _ in range(3):
        QApplication.processEvents()
    plot = area.plots["distributions"]
    assert isinstance(plot, DistributionPlots)
    for which, item in (("before", plot.before), ("after", plot.after)):
        axis = item.getAxis("left")
        shown = labels(axis)
        assert shown, f"the {which} counts ({axis.height():.0f} px) have no number"
        assert all(text.isdigit() or text[-1] in "kM" for _rect, text in shown)
        rects = sorted((rect for rect, _text in shown), key=QRectF.top)
        for upper, lower in itertools.pairwise(rects):
            assert upper.bottom() <= lower.top() + 0.5, f"{which}: labels overlap: {shown}"
        # Each label lies in the plot's picture, beside its view (at most half a label above).
        box = plot.widget.mapFromScene(axis.mapRectToScene(rects[0])).boundingRect()
        assert plot.widget.rect().contains(box)


def test_the_window_s_first_histograms_keep_their_count_at_the_desk(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plots_area, "SETTLE_S", 0.0)
    store = Store(State())
    area = PlotArea(store)
    qtbot.addWidget(area)
    area.set_theme(LIGHT)
    area.resize(770, 660)  # the Layer page's plots in a 1366×768 window
    area.show()
    qtbot.waitExposed(area)
    store.flush()
    plot = area.plots["distributions"]
    assert isinstance(plot, DistributionPlots)
    for item in plot.plots:
        assert [text for _rect, text in labels(item.getAxis("left"))] == ["1"]


@pytest.mark.parametrize(
    ("span", "pixels", "label", "own", "spacing"),
    [
        (1.12, 55.0, 25.0, 1.0, 1.0),  # one count on a short axis: its 1
        (1.12, 26.0, 25.0, 1.0, 1.0),  # shorter than two labels: still the 1
        (224.0, 55.0, 25.0, 50.0, 200.0),  # 50 apart would be 12 px: 200 (100 is 24 px)
        (224.0, 108.0, 25.0, 50.0, 100.0),  # 100 apart: 48 px
        (94.0, 163.0, 25.0, 20.0, 20.0),  # the axis' own spacing, when labels keep apart
        (12.0, 26.0, 25.0, 1.0, 10.0),  # 20 would leave no tick but 0: the largest within
    ],
)
def test_labelled_counts_are_a_label_apart_or_one_within_the_span(
    span: float, pixels: float, label: float, own: float, spacing: float
) -> None:
    assert label_spacing(span, pixels, label, preferred=own, least=1.0) == spacing
    assert spacing <= span or spacing == 1.0
    if spacing * 2 <= span:  # two labelled ticks above 0: they are a label apart
        assert spacing * pixels / span >= label


@pytest.mark.parametrize("height", [0, 10, 30, 60, 300])
@pytest.mark.parametrize("top", [0.08, 2.5, 130.0])
def test_an_upright_axis_keeps_its_labels_apart_however_short(
    qtbot: QtBot, height: int, top: float
) -> None:
    """A plot as short as the Learning plot's loss strip beside a caption: its labels are a
    label's height apart at least, and at least one shows; a tall one keeps pyqtgraph's own
    ticks."""
    widget = pg.PlotWidget(axisItems=grid_axes())
    qtbot.addWidget(widget)
    plot = widget.getPlotItem()
    plot.setYRange(0.0, top, padding=0.0)
    widget.resize(300, height + 40)
    widget.show()
    qtbot.waitExposed(widget)
    axis = plot.getAxis("left")
    shown = sorted(rect.center().y() for rect, _text in labels(axis))
    assert shown, "no label at all"
    gaps = [b - a for a, b in itertools.pairwise(shown)]
    assert all(gap >= axis.label_height() - 0.5 for gap in gaps), (shown, axis.label_height())
    if height == 300:  # room enough: the axis' own spacing, unchanged
        own = pg.AxisItem.tickSpacing(axis, 0.0, top, axis.height())[0][0]
        assert axis.tickSpacing(0.0, top, axis.height())[0][0] == own


@pytest.mark.parametrize("kind", [GridAxis, CountAxis])
def test_an_upright_axis_with_no_range_has_no_ticks(qapp: QApplication, kind: type) -> None:
    axis = kind("left")
    for low, high, size in ((1.0, 1.0, 100.0), (0.0, float("inf"), 100.0)):
        levels = axis.tickSpacing(low, high, size)
        assert all(spacing > 0 for spacing, _offset in levels)
    axis.setRange(1.0, 1.0)
    assert labels(axis) == []
