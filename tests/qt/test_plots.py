"""The plot area draws what the Frame says, A and B and the raw ghosts come and go with the
State, large inputs stay bounded, and the picture it renders is a real one."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QGraphicsItem
from pytestqt.qtbot import QtBot
from test_training_frames import PaintCounter, turns  # (pytest puts this folder on the path)

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import activate, activate_grad, tangent_at_zero
from normgui.core.pipeline import CURVE_POINTS, DENSITY_BINS, MAX_STAGE_ELEMENTS, Frame
from normgui.qt.plots import PlotArea
from normgui.qt.plots import _area as plots_area
from normgui.qt.plots._distributions import hist_ranges
from normgui.qt.plots._stages import StagesPlot
from normgui.qt.store import Store
from normgui.qt.theme import DARK, LIGHT, PRESENTATION, Theme

B_INPUT = [[4.0, 5.0, 6.0, 7.0]]


@pytest.fixture
def area(qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch) -> PlotArea:
    # Each test here looks at frames one by one, as after a pause: every frame fits its ranges.
    # How a quick run of frames keeps them steady is tested on its own, below.
    monkeypatch.setattr(plots_area, "SETTLE_S", 0.0)
    widget = PlotArea(store)
    qtbot.addWidget(widget)
    return widget


def publish(store: Store, **changes: object) -> Frame:
    store.set_state(store.state.replace(**changes))
    store.flush()
    return store.frame


def xy(item: object) -> tuple[np.ndarray, np.ndarray]:
    x, y = item.getData()  # type: ignore[attr-defined]
    return np.asarray(x), np.asarray(y)


def test_it_draws_the_current_frame_when_made(area: PlotArea, store: Store) -> None:
    assert area.frame is store.frame
    assert len(area.plot_widgets) == 4


def test_curves_and_marks_show_the_frame(area: PlotArea, store: Store) -> None:
    frame = publish(store, inputs_a=[[1.0, 2.0, 3.0, 4.0]], gamma=2.0, beta=0.5)
    # The curves run across the whole range shown (a little wider than the frame's view): the
    # activation, its slope and its tangent at 0 there.
    shown = area.plots["activation"].plot.viewRange()[0]
    for item, expected in (
        (area.plots["activation"].curve, activate),
        (area.plots["activation"].tangent, tangent_at_zero),
        (area.plots["gradient"].curve, activate_grad),
    ):
        x, y = xy(item)
        assert x[0] == pytest.approx(shown[0]) and x[-1] == pytest.approx(shown[1])
        assert x.size == CURVE_POINTS
        np.testing.assert_allclose(y, expected(x, "sigmoid"), rtol=1e-12, atol=1e-15)
    x, y = xy(area.plots["activation"].marks[0].points)
    np.testing.assert_array_equal(x, frame.a.affine.ravel())
    np.testing.assert_array_equal(y, frame.a.activated.ravel())
    x, y = xy(area.plots["gradient"].marks[0].points)
    np.testing.assert_array_equal(x, frame.a.affine.ravel())
    np.testing.assert_array_equal(y, frame.a.grad.ravel())
    # The bands are the frame's (to a step of either grid), those at the edges reaching the
    # edges of the plot.
    step = (shown[1] - shown[0]) / (CURVE_POINTS - 1) + (frame.z_view[1] - frame.z_view[0]) / (
        CURVE_POINTS - 1
    )
    linear = area.plots["activation"].bands.linear
    np.testing.assert_allclose(linear, frame.linear_spans, atol=step)
    saturated = [(shown[0], frame.saturated_spans[0][1]), (frame.saturated_spans[1][0], shown[1])]
    for plot in (area.plots["activation"], area.plots["gradient"]):
        np.testing.assert_allclose(plot.bands.saturated, saturated, atol=step)


def test_the_view_follows_the_frame(area: PlotArea, store: Store) -> None:
    frame = publish(store, gamma=8.0)
    (x0, x1), (y0, y1) = area.plots["activation"].plot.viewRange()
    assert x0 <= frame.z_view[0] and x1 >= frame.z_view[1]
    assert x1 - x0 < 1.1 * (frame.z_view[1] - frame.z_view[0])
    assert y0 < 0.0 < 1.0 < y1 < 1.2


def test_a_quick_run_of_frames_keeps_the_axes_steady_then_fits(qtbot: QtBot, store: Store) -> None:
    area = PlotArea(store)
    qtbot.addWidget(area)
    plot = area.plots["distributions"].after
    publish(store, gamma=16.0)
    first = plot.viewRange()[0]
    # γ from 16 to 48 in small steps, as a drag sends them: the data's range grows threefold,
    # but the axis moves only when the data no longer fits, and then to twice what it needs.
    seen = set()
    for gamma in np.linspace(16.0, 48.0, 41):
        publish(store, gamma=float(gamma))
        seen.add(tuple(plot.viewRange()[0]))
        edges = store.frame.a.hist_affine.edges
        (x0, x1) = plot.viewRange()[0]
        assert x0 <= edges[0] and x1 >= edges[-1]  # everything stays in view
    assert len(seen) <= 3 and x1 - x0 > first[1] - first[0]
    # The regime bands reach the edges of the wider range.
    spans = area.plots["distributions"].bands.saturated
    assert min(s[0] for s in spans) <= x0 and max(s[1] for s in spans) >= x1
    # A pause later the range fits the last frame exactly, as a single change would.
    fitted = hist_ranges([store.frame.a.hist_affine])[0]
    qtbot.waitUntil(lambda: plot.viewRange()[0] == pytest.approx(fitted, rel=1e-6), timeout=2000)
    # Shrinking to less than a quarter of the range lets it follow at once.
    publish(store, gamma=2.0)
    publish(store, gamma=1.9)
    (x0, x1) = plot.viewRange()[0]
    assert x1 - x0 < 0.5 * (fitted[1] - fitted[0])


def test_steady_range_keeps_what_fits_and_grows_with_room() -> None:
    steady = plots_area.steady_range
    assert steady((0.0, 10.0), (1.0, 9.0)) == (0.0, 10.0)
    assert steady((0.0, 10.0), (0.0, 3.0)) == (0.0, 10.0)  # fills 30 %: kept
    assert steady((0.0, 10.0), (0.0, 2.0)) == (0.0, 3.0)  # too loose: fit, zero stays
    assert steady((0.0, 10.0), (0.0, 11.0)) == (0.0, 16.5)  # the top moved: room above
    assert steady((-1.0, 1.0), (-2.0, 2.0)) == (-4.0, 4.0)  # twice what the data needs


def test_the_readout_gives_the_regime_shares_and_the_criterion(
    area: PlotArea, store: Store
) -> None:
    frame = publish(store, inputs_a=[[1.0, 2.0, 3.0, 4.0]])
    readout = area.plots["activation"].readout.html()
    assert "A</b>: 50%&nbsp;linear · 0%&nbsp;saturated" in readout
    assert f"mean&nbsp;σ′&nbsp;{frame.a.regime.mean_grad:.3g}" in readout
    key = area.plots["activation"].key.text.toPlainText().replace("\xa0", " ")
    assert "within 0.01 of the tangent" in key


def test_b_comes_and_goes_with_compare(area: PlotArea, store: Store) -> None:
    publish(store, inputs_b=B_INPUT)
    b_marks = area.plots["activation"].marks[1].points
    assert not b_marks.isVisible()
    assert area.plots["stages"].legend.names() == ["A"]

    frame = publish(store, compare=True)
    assert frame.b is not None
    assert b_marks.isVisible()
    np.testing.assert_array_equal(xy(b_marks)[0], frame.b.affine.ravel())
    assert area.plots["distributions"].affine[1].isVisible()
    assert area.plots["stages"].legend.names() == ["A", "B"]
    assert "<b>B</b>" in area.plots["activation"].readout.html()

    publish(store, compare=False)
    assert not b_marks.isVisible()
    assert xy(b_marks)[0].size == 0
    assert not area.plots["stages"].lines[1].isVisible()
    assert not area.plots["distributions"].raw[1].isVisible()
    assert area.plots["stages"].legend.names() == ["A"]
    assert "<b>B</b>" not in area.plots["activation"].readout.html()


def test_show_raw_toggles_the_ghosts(area: PlotArea, store: Store) -> None:
    ghosts = area.plots["activation"].ghosts[0].points
    publish(store, inputs_a=[[0.5, 1.0, 1.5, 2.0]])
    assert not ghosts.isVisible()
    frame = publish(store, show_raw=True)
    assert ghosts.isVisible()
    x, y = xy(ghosts)
    np.testing.assert_allclose(x, frame.a.raw.ravel())
    np.testing.assert_allclose(y, 1.0 / (1.0 + np.exp(-x)), atol=1e-4)  # on the sigmoid
    assert ghosts.style.hollow
    publish(store, show_raw=False)
    assert not ghosts.isVisible()


def test_off_scale_values_are_drawn_at_the_edge(area: PlotArea, store: Store) -> None:
    frame = publish(store, inputs_a=[[1.0, 2.0, 3.0, 4.0]], gamma=100.0)
    assert frame.a.below_view == 1 and frame.a.above_view == 1
    lo, hi = frame.z_view
    x, _ = xy(area.plots["activation"].marks[0].points)
    assert x.size == 2 and np.all((x >= lo) & (x <= hi))
    edge_x, edge_y = xy(area.plots["activation"].marks[0].edges)
    np.testing.assert_array_equal(edge_x, [lo, hi])
    np.testing.assert_array_equal(edge_y, [frame.curve_act[0], frame.curve_act[-1]])
    (x0, x1), _ = area.plots["activation"].plot.viewRange()
    assert x0 < lo and x1 > hi  # the edge marks are inside the view, not cut in half
    assert "◀ 1 · 1 ▶" in area.plots["activation"].readout.html()


def test_raw_ghosts_beyond_the_view_are_marked_at_its_edge(area: PlotArea, store: Store) -> None:
    frame = publish(store, inputs_a=[[0.0, 1.0, 2.0, 1000.0]], show_raw=True)
    x, _ = xy(area.plots["activation"].ghosts[0].points)
    assert x.size == 3
    edge_x, _ = xy(area.plots["activation"].ghosts[0].edges)
    np.testing.assert_array_equal(edge_x, [frame.z_view[1]])


def test_large_inputs_are_drawn_as_bounded_densities(area: PlotArea, store: Store) -> None:
    data = np.random.default_rng(1).normal(size=(100, 1000))  # 1e5 values
    frame = publish(store, inputs_a=data, inputs_b=data * 3.0, compare=True, show_raw=True)
    assert frame.use_density
    for plot in (area.plots["activation"], area.plots["gradient"]):
        for cloud in (*plot.marks, *plot.ghosts):
            x, _ = xy(cloud.points)
            assert 0 < x.size <= DENSITY_BINS
            assert cloud.points.sizes.size == x.size
        x, _ = xy(plot.marks[0].points)
        assert np.all((x >= frame.z_view[0]) & (x <= frame.z_view[1]))
    for line in area.plots["stages"].lines:
        x, _ = xy(line)
        assert x.size == 4 * MAX_STAGE_ELEMENTS
    assert "200,000 values" in area.plots["activation"].readout.html()


def test_stages_follow_each_element_through_the_four_stages(area: PlotArea, store: Store) -> None:
    frame = publish(store, inputs_a=[[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 6.0, 9.0]], beta=1.0)
    x, y = xy(area.plots["stages"].lines[0])
    np.testing.assert_array_equal(x, np.tile([0.0, 1.0, 2.0, 3.0], 8))
    a = frame.a
    expected = np.column_stack(
        [a.raw.ravel(), a.normalized.ravel(), a.affine.ravel(), a.activated.ravel()]
    ).ravel()
    np.testing.assert_array_equal(y, expected)
    (_, _), (y0, y1) = area.plots["stages"].plot.viewRange()
    assert y0 < expected.min() and y1 > expected.max()


def test_histograms_show_before_and_after(area: PlotArea, store: Store) -> None:
    frame = publish(store, inputs_a=np.arange(40.0).reshape(4, 10), gamma=3.0)
    x, y = xy(area.plots["distributions"].raw[0])
    np.testing.assert_array_equal(x, frame.a.hist_raw.edges)
    np.testing.assert_array_equal(y, frame.a.hist_raw.counts)
    x, y = xy(area.plots["distributions"].affine[0])
    np.testing.assert_array_equal(x, frame.a.hist_affine.edges)
    np.testing.assert_array_equal(y, frame.a.hist_affine.counts)
    # the regime bands carry on past the plotted range of the activation plot
    lo, hi = area.plots["distributions"].after.viewRange()[0]
    spans = area.plots["distributions"].bands.saturated
    assert min(s[0] for s in spans) <= lo and max(s[1] for s in spans) >= hi


def test_the_labels_follow_the_activation(area: PlotArea, store: Store) -> None:
    publish(store, activation="tanh")
    assert area.plots["activation"].plot.getAxis("left").labelText == "activation tanh(y)"
    assert area.plots["gradient"].plot.getAxis("left").labelText == "slope tanh′(y)"
    assert "mean&nbsp;tanh′" in area.plots["activation"].readout.html()
    publish(store, activation="sigmoid")
    assert area.plots["activation"].plot.getAxis("left").labelText == "activation σ(y)"


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "gelu", "hardsigmoid"])
def test_every_activation_draws(area: PlotArea, store: Store, activation: str) -> None:
    frame = publish(store, activation=activation, show_raw=True, gamma=4.0)
    _, (y0, y1) = area.plots["activation"].plot.viewRange()
    assert y0 < frame.curve_act.min() and y1 > frame.curve_act.max()


def colours(image: QImage) -> set[int]:
    step = max(1, image.width() // 200)
    return {
        image.pixel(x, y)
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def test_render_image_works_without_showing_the_widget(area: PlotArea, store: Store) -> None:
    publish(store, inputs_b=B_INPUT, compare=True)
    assert not area.isVisible()
    image = area.render_image()
    assert not image.isNull()
    assert image.width() >= 600 and image.height() >= 400
    assert len(colours(image)) > 20  # curves, bands, marks and text, not one flat colour
    big = area.render_image(2.0)
    assert (big.width(), big.height()) == (2 * image.width(), 2 * image.height())
    # The marks are drawn at the picture's resolution, not scaled up from the screen's: their
    # sprites were made twice as large.
    cloud = area.plots["activation"].marks[0].points
    assert cloud._atlas.pixmap.height() >= 2 * cloud.style.size


def test_dark_theme_changes_the_background(area: PlotArea, store: Store) -> None:
    light = area.render_image()
    area.set_theme(DARK)
    assert area.theme is DARK
    for widget in area.plot_widgets:
        assert widget.backgroundBrush().color() == QColor(DARK.background)
    dark = area.render_image()
    corner = QColor(dark.pixel(dark.width() - 3, dark.height() - 3))
    assert corner.lightness() < 80
    assert QColor(light.pixel(light.width() - 3, light.height() - 3)).lightness() > 200
    assert area.plots["activation"].curve.opts["pen"].color() == QColor(DARK.curve)
    area.set_theme(LIGHT)
    assert area.plot_widgets[0].backgroundBrush().color() == QColor(LIGHT.background)


def test_presentation_theme_makes_things_bigger(area: PlotArea, store: Store) -> None:
    publish(store, inputs_b=B_INPUT, compare=True)
    area.set_theme(PRESENTATION)
    assert area.plots["activation"].curve.opts["pen"].widthF() > 5.0
    assert area.plots["activation"].marks[0].points.style.size == PRESENTATION.marker_size
    assert area.plots["activation"].readout.text.font().pointSizeF() >= 14
    assert len(colours(area.render_image())) > 20


def test_a_double_click_brings_back_the_frames_range(
    qtbot: QtBot, area: PlotArea, store: Store
) -> None:
    frame = publish(store, gamma=3.0)
    area.resize(1000, 700)
    area.show()
    qtbot.waitExposed(area)
    plot = area.plots["activation"].plot
    before = plot.viewRange()
    plot.setRange(xRange=(0.0, 1.0), yRange=(0.4, 0.6), padding=0.0)  # a zoom
    assert plot.viewRange() != before
    view = area.plots["activation"].widget
    centre = view.mapFromScene(plot.getViewBox().sceneBoundingRect().center())
    # what a real double click sends: press, release, double-click (the second press), release
    viewport, left = view.viewport(), Qt.MouseButton.LeftButton
    qtbot.mousePress(viewport, left, pos=centre)
    qtbot.mouseRelease(viewport, left, pos=centre)
    qtbot.mouseDClick(viewport, left, pos=centre)
    qtbot.mouseRelease(viewport, left, pos=centre)
    (x0, x1), _ = plot.viewRange()
    assert x0 <= frame.z_view[0] and x1 >= frame.z_view[1]


def test_a_zoom_out_by_the_mouse_carries_the_curve_to_the_new_edges(
    qtbot: QtBot,
    area: PlotArea,
    store: Store,
    zoom_out: Callable[[pg.PlotWidget], None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    publish(store, gamma=1.0)
    area.resize(1000, 700)
    area.show()
    qtbot.waitExposed(area)
    activation = area.plots["activation"]
    (x0, x1), _ = activation.plot.viewRange()
    zoom_out(activation.widget)

    def covers_the_view() -> None:
        shown, _ = activation.plot.viewRange()
        assert shown[1] - shown[0] > 1.5 * (x1 - x0)  # zoomed out
        z, _ = xy(activation.curve)
        assert z[0] == pytest.approx(shown[0]) and z[-1] == pytest.approx(shown[1])

    covers_the_view()
    drawn: list[object] = []
    monkeypatch.setattr(activation, "draw_curve", drawn.append)
    publish(store, gamma=1.1)  # a frame within the range: the zoom and its curve stay
    covers_the_view()
    assert not drawn  # (not drawn again, across the frame's range or the zoom's)


def test_a_frame_that_moves_a_plot_s_range_paints_it_once(
    qtbot: QtBot, area: PlotArea, store: Store
) -> None:
    """pyqtgraph moves a view onto a new range at its next paint: a transform changed while
    painting made the plot paint a second time a turn later."""
    area.resize(1000, 700)
    area.show()
    qtbot.waitExposed(area)
    plot = area.plots["activation"]
    counter = PaintCounter()
    turns(counter, 3)
    plot.widget.viewport().installEventFilter(counter)
    for gamma in (6.0, 12.0, 24.0):
        shown = plot.plot.viewRange()
        publish(store, gamma=gamma)
        assert plot.plot.viewRange() != shown  # (each moves the range)
        assert turns(counter, 3) == [1, 0, 0]


class LinearShare:
    """A plot made for the test below, as a new plot would be: each series' share of values in
    the linear regime, as a bar."""

    def __init__(self) -> None:
        self.widget = pg.PlotWidget()
        self.plot = self.widget.getPlotItem()
        self.bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.6)
        self.plot.addItem(self.bars)
        self.covers: dict[pg.PlotItem, object] = {}
        self.theme: Theme | None = None

    def draw(self, frame: Frame) -> dict[pg.PlotItem, tuple[tuple[float, float], ...]]:
        shares = [s.regime.linear for s in frame.series]
        self.bars.setOpts(x=list(range(len(shares))), height=shares)
        return {self.plot: ((-0.5, len(shares) - 0.5), (0.0, 1.0))}

    def set_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.widget.setBackground(theme.background)


def test_a_new_plot_is_a_class_with_draw_and_set_theme(qtbot: QtBot, store: Store) -> None:
    share = LinearShare()
    area = PlotArea(store, {"stages": StagesPlot(), "linear share": share})
    qtbot.addWidget(area)
    frame = publish(store, inputs_a=[[0.0, 0.1, 5.0, 9.0]], inputs_b=B_INPUT, compare=True)
    assert list(share.bars.opts["height"]) == [s.regime.linear for s in frame.series]
    area.fit_ranges()
    (x0, x1), (y0, y1) = share.plot.viewRange()
    assert (x0, x1, y0, y1) == pytest.approx((-0.5, 1.5, 0.0, 1.0))
    area.set_theme(DARK)
    assert share.theme is DARK
    area.arrange(["linear share"])
    assert [w.isVisibleTo(area) for w in area.plot_widgets] == [False, True]
    with pytest.raises(ValueError, match="linear share"):
        area.arrange(["activation"])  # not one of this area's plots


def test_the_static_layer_is_kept_as_painted_pixels(area: PlotArea) -> None:
    """What stays as it is while γ or β move is cached as painted pixels; what moves is not."""
    activation, gradient = area.plots["activation"], area.plots["gradient"]
    distributions = area.plots["distributions"]
    static = [
        activation.bands,
        gradient.bands,
        distributions.bands,
        activation.curve.curve,
        activation.tangent.curve,
        gradient.curve.curve,
        gradient.threshold,
        *(item.curve for item in distributions.raw),
    ]
    cached = QGraphicsItem.CacheMode.DeviceCoordinateCache
    assert all(item.cacheMode() == cached for item in static)
    moving = [activation.marks[0].points, distributions.affine[0].curve]
    assert all(item.cacheMode() == QGraphicsItem.CacheMode.NoCache for item in moving)


def test_gamma_leaves_the_before_histogram_and_the_ghosts_alone(
    area: PlotArea, store: Store
) -> None:
    """Not handed data again, they are not repainted; they follow what places them."""
    distributions = area.plots["distributions"]
    ghosts = area.plots["activation"].ghosts[0].points
    publish(store, inputs_a=[[0.5, 1.0, 1.5, 2.0]], show_raw=True)
    before, after, (ghost_x, _) = (
        distributions.raw[0].xData,
        distributions.affine[0].yData,
        xy(ghosts),
    )
    publish(store, gamma=1.1)
    assert distributions.raw[0].xData is before
    assert ghosts.getData()[0] is ghost_x
    assert not np.array_equal(distributions.affine[0].yData, after)  # what moved is drawn

    publish(store, show_raw=False)
    publish(store, show_raw=True)  # hidden ghosts were emptied: drawn again when shown
    np.testing.assert_allclose(xy(ghosts)[0], [0.5, 1.0, 1.5, 2.0])
    frame = publish(store, inputs_a=[[2.0, 3.0, 4.0, 5.0]])  # new raw inputs
    np.testing.assert_allclose(xy(ghosts)[0], frame.a.raw.ravel())
    np.testing.assert_allclose(distributions.raw[0].xData, frame.a.hist_raw.edges)
