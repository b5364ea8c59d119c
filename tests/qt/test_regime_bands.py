"""One regime-band item and one definition of its spans, on both pages: every band the Layer page
and the Training page shade is a RegimeBands holding `activation_curve`'s spans across the range
its plot shows — for every activation, after a zoom too —, the Now plot's curves are the sampled
curves the Layer page draws, and the item paints what it holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import ACTIVATIONS, RegimeSettings, activation_curve, bounds_for
from normgui.core.pipeline import CURVE_POINTS
from normgui.core.state import State
from normgui.core.training.preset import RunConfig
from normgui.core.training.setup import TrainingSetup
from normgui.qt.plots import PlotArea
from normgui.qt.plots import _area as plots_area
from normgui.qt.plots._bands import RegimeBands
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT
from normgui.qt.training import TrainingPage
from normgui.qt.training._bands import near_zero

SMALL = RunConfig(hidden=(8,), lr=0.5, batch_size=30)
Spans = list[tuple[float, float]]


def curve_spans(
    lo: float, hi: float, activation: str, regime: RegimeSettings
) -> tuple[Spans, Spans]:
    """The one definition: the spans of `activation_curve` across [lo, hi], sampled as the
    Layer page samples its curves."""
    curve = activation_curve(lo, hi, activation, regime, CURVE_POINTS)
    return list(curve.linear_spans), list(curve.saturated_spans)


def held(bands: RegimeBands) -> tuple[Spans, Spans]:
    return bands.linear, bands.saturated


@pytest.fixture
def area(qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch) -> PlotArea:
    monkeypatch.setattr(plots_area, "SETTLE_S", 0.0)  # each frame fits its ranges
    widget = PlotArea(store)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[TrainingPage]:
    page = TrainingPage(Store(State()), "process")
    qtbot.addWidget(page)
    page.resize(1100, 700)
    yield page
    page.close_run()


def trained(page: TrainingPage, a: str, b: str) -> None:
    """`page` showing a short run of A with activation `a` beside B with `b`."""
    setup = TrainingSetup(
        dataset="iris",
        a=replace(SMALL, activation=a),
        b=replace(SMALL, norm="batchnorm", activation=b),
        steps=20,
        record_every=10,
    )
    page.store.set_state(page.store.state.replace(training_setup=setup))
    page.controller.train_here()


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("criterion", ["tangent", "gradient"])
def test_the_layer_page_shades_the_curve_s_spans_across_each_range_shown(
    area: PlotArea, store: Store, activation: str, criterion: str
) -> None:
    regime = RegimeSettings(criterion=criterion)
    store.set_state(
        store.state.replace(
            inputs_a=[[1.0, 2.0, 3.0, 4.0]], gamma=3.0, activation=activation, regime=regime
        )
    )
    store.flush()
    curves = area.plots["activation"], area.plots["gradient"]
    distributions = area.plots["distributions"]
    for plot, bands in (
        *((p.plot, p.bands) for p in curves),
        (distributions.after, distributions.bands),
    ):
        assert type(bands) is RegimeBands
        lo, hi = plot.viewRange()[0]
        assert held(bands) == curve_spans(lo, hi, activation, regime)
    # The activation curve is sampled where its bands were found: the same grid.
    x, _ = curves[0].curve.getData()
    lo, hi = curves[0].plot.viewRange()[0]
    np.testing.assert_array_equal(x, np.linspace(lo, hi, CURVE_POINTS))


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_the_training_page_shades_the_same_spans_across_its_ranges(
    page: TrainingPage, activation: str
) -> None:
    """A's bands and B's (another activation, hatched over A's) on the Now plot across its x
    axis and on the unit's input over training across its y axis: the Layer page's spans for
    the range each shows, under the settings the records count with (the defaults)."""
    other = ACTIVATIONS[(ACTIVATIONS.index(activation) + 1) % len(ACTIVATIONS)]
    trained(page, activation, other)
    now, drift = page.training_plots["now"], page.training_plots["drift"]
    for plot, axis in ((now, 0), (drift, 1)):
        lo, hi = plot.plot.viewRange()[axis]  # type: ignore[attr-defined]
        for bands, act in ((plot.bands.a, activation), (plot.bands.b, other)):  # type: ignore[attr-defined]
            assert type(bands) is RegimeBands and bands.isVisible()
            assert held(bands) == curve_spans(lo, hi, act, RegimeSettings())
    # The Now plot's curves are the Layer page's sampled curves across the range it shows.
    lo, hi = now.plot.viewRange()[0]  # type: ignore[attr-defined]
    for item, act in ((now.curve, activation), (now.curve_b, other)):  # type: ignore[attr-defined]
        curve = activation_curve(lo, hi, act, RegimeSettings(), CURVE_POINTS)
        x, y = item.getData()
        np.testing.assert_array_equal(x, curve.z)
        np.testing.assert_array_equal(y, curve.act)


def test_a_zoom_carries_the_bands_to_the_new_edges(
    area: PlotArea, store: Store, page: TrainingPage
) -> None:
    """Whatever sets the range shown — here a zoom out, as the mouse wheel does — the bands are
    the spans across it: the sigmoid's saturation zones reach the new edges on both pages."""
    store.set_state(store.state.replace(inputs_a=[[1.0, 2.0, 3.0, 4.0]]))
    store.flush()
    trained(page, "sigmoid", "sigmoid")
    layer = area.plots["activation"]
    drift = page.training_plots["drift"]
    for plot, bands, axis in ((layer.plot, layer.bands, "x"), (drift.plot, drift.bands.a, "y")):  # type: ignore[attr-defined]
        plot.setRange(**{f"{axis}Range": (-40.0, 30.0)}, padding=0.0)
        linear, saturated = held(bands)
        assert (linear, saturated) == curve_spans(-40.0, 30.0, "sigmoid", RegimeSettings())
        assert saturated[0][0] == -40.0 and saturated[-1][1] == 30.0


def test_a_zoom_out_by_the_mouse_paints_the_bands_to_the_new_edges(
    area: PlotArea, store: Store, qtbot: QtBot, zoom_out: Callable[[pg.PlotWidget], None]
) -> None:
    """The bands are kept as painted pixels: after a zoom out by the mouse, the pixels near the
    new left edge, far out in the sigmoid's saturation, are the saturation band's."""
    store.set_state(store.state.replace(inputs_a=[[1.0, 2.0, 3.0, 4.0]]))
    store.flush()
    area.resize(1000, 700)
    area.show()
    qtbot.waitExposed(area)
    layer = area.plots["activation"]
    widget = layer.widget
    (x0, _x1), _ = layer.plot.viewRange()
    zoom_out(widget)
    (lo, hi), (bottom, top) = layer.plot.viewRange()
    image = widget.grab().toImage()
    purple = QColor(*LIGHT.saturation_band[:3])
    edge = lo + 0.02 * (hi - lo)
    assert edge + 0.01 * (hi - lo) < x0  # every pixel looked at: beyond the range shown before
    tinted = [
        _towards(pixel(widget, image, edge + dx * (hi - lo), bottom + f * (top - bottom)), purple)
        for dx in (0.0, 0.005, 0.01)
        for f in (0.3, 0.45, 0.6)
    ]
    assert sum(tinted) >= 6, tinted


def test_a_zoom_out_by_the_mouse_carries_the_now_plot_s_curves_to_the_new_edges(
    page: TrainingPage, qtbot: QtBot, zoom_out: Callable[[pg.PlotWidget], None]
) -> None:
    trained(page, "sigmoid", "tanh")  # B on a curve of its own
    page.show()
    qtbot.waitExposed(page)
    now = page.training_plots["now"]
    box = now.plot.getViewBox()  # type: ignore[attr-defined]
    (x0, x1), _ = box.viewRange()
    zoom_out(now.widget)  # type: ignore[attr-defined]
    (lo, hi), _ = box.viewRange()
    assert hi - lo > 1.5 * (x1 - x0)
    for item in (now.curve, now.curve_b):  # type: ignore[attr-defined]
        x, _ = item.getData()
        assert x[0] == pytest.approx(lo) and x[-1] == pytest.approx(hi)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_a_training_plot_s_least_range_holds_the_curve_s_linear_band(activation: str) -> None:
    """The least range of a plot of a unit's input is the linear band around 0 that the bands
    shade, and a little more; ±1 where that band runs on (ReLU's)."""
    lo, hi = near_zero(activation)
    linear, _ = curve_spans(-50.0, 50.0, activation, RegimeSettings())
    (around_zero,) = [(a, b) for a, b in linear if a <= 0.0 <= b]
    step = 100.0 / (CURVE_POINTS - 1)
    if around_zero[1] == 50.0:
        assert (lo, hi) == (-1.0, 1.0)
    else:
        assert hi == -lo == pytest.approx(1.15 * around_zero[1], abs=1.15 * step)
        assert hi == 1.15 * bounds_for(activation, RegimeSettings())[0]


def pixel(widget: pg.PlotWidget, image: QImage, x: float, y: float) -> QColor:
    at = widget.mapFromScene(widget.getPlotItem().getViewBox().mapViewToScene(QPointF(x, y)))
    return QColor(image.pixel(at.x(), at.y()))


def test_the_item_paints_the_spans_it_holds(qtbot: QtBot) -> None:
    """Filled across x: the linear band's green at 0, the saturation's purple at ±5, nothing at
    2; hatched across y: the saturation's purple in a pattern, not a fill, nothing at 2."""
    widget = pg.PlotWidget(background="w")
    qtbot.addWidget(widget)
    widget.resize(400, 400)
    plot = widget.getPlotItem()
    plot.hideAxis("left")
    plot.hideAxis("bottom")
    plot.setRange(xRange=(-6.0, 6.0), yRange=(-6.0, 6.0), padding=0.0)
    across_x = RegimeBands(plot)
    across_y = RegimeBands(plot, across_x=False, hatched=True)
    for bands in (across_x, across_y):
        bands.set_regimes("sigmoid", RegimeSettings())
    across_y.setVisible(False)
    image = widget.grab().toImage()
    green, purple = (QColor(*rgba[:3]) for rgba in (LIGHT.linear_band, LIGHT.saturation_band))
    assert _towards(pixel(widget, image, 0.0, 2.0), green)
    assert _towards(pixel(widget, image, -5.0, 2.0), purple)
    assert _towards(pixel(widget, image, 5.0, 2.0), purple)
    assert pixel(widget, image, 2.0, 2.0) == QColor("white")
    across_x.setVisible(False)
    across_y.setVisible(True)
    image = widget.grab().toImage()
    row = [pixel(widget, image, x / 10, 5.0) for x in range(-50, 50)]
    assert any(_towards(c, purple) for c in row) and QColor("white") in row
    assert all(pixel(widget, image, x / 10, 2.0) == QColor("white") for x in range(-50, 50))


def _towards(c: QColor, target: QColor) -> bool:
    """Whether `c` is white tinted towards `target` (a band over the white background)."""
    moved = [255 - v for v in (c.red(), c.green(), c.blue())]
    toward = [255 - v for v in (target.red(), target.green(), target.blue())]
    return max(moved) > 0 and int(np.argmax(moved)) == int(np.argmax(toward))
