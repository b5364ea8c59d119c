"""What stays as it is while γ or β move is neither handed new data nor repainted: the static
layer is cached, the before histograms and the raw ghosts keep what they hold, and they follow
again as soon as what places them changes."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QGraphicsItem
from pytestqt.qtbot import QtBot

from normgui.core.pipeline import Frame
from normgui.qt.plots import PlotArea
from normgui.qt.plots import _area as plots_area
from normgui.qt.store import Store

CACHED = QGraphicsItem.CacheMode.DeviceCoordinateCache


@pytest.fixture
def area(qtbot: QtBot, store: Store, monkeypatch: pytest.MonkeyPatch) -> PlotArea:
    monkeypatch.setattr(plots_area, "SETTLE_S", 0.0)  # every frame fits its ranges
    widget = PlotArea(store)
    qtbot.addWidget(widget)
    return widget


def publish(store: Store, **changes: object) -> Frame:
    store.set_state(store.state.replace(**changes))
    store.flush()
    return store.frame


def test_the_static_layer_is_kept_as_painted_pixels(area: PlotArea) -> None:
    activation, gradient = area.plots["activation"], area.plots["gradient"]
    distributions = area.plots["distributions"]
    static = [
        activation.linear,
        activation.saturated,
        activation.curve.curve,
        activation.tangent.curve,
        gradient.curve.curve,
        gradient.threshold,
        *(item.curve for item in distributions.raw),
    ]
    assert all(item.cacheMode() == CACHED for item in static)
    moving = [activation.marks[0].points, distributions.affine[0].curve]
    assert all(item.cacheMode() == QGraphicsItem.CacheMode.NoCache for item in moving)


def test_gamma_leaves_the_before_histogram_and_the_ghosts_alone(
    area: PlotArea, store: Store
) -> None:
    distributions = area.plots["distributions"]
    ghosts = area.plots["activation"].ghosts[0].points
    publish(store, inputs_a=[[0.5, 1.0, 1.5, 2.0]], show_raw=True)
    before, after, ghost_x = distributions.raw[0].xData, distributions.affine[0].yData, xy(ghosts)
    publish(store, gamma=1.1)
    assert distributions.raw[0].xData is before  # not handed again: not repainted
    assert ghosts.getData()[0] is ghost_x
    assert not np.array_equal(distributions.affine[0].yData, after)  # what moved is drawn

    publish(store, show_raw=False)
    publish(store, show_raw=True)  # hidden ghosts were emptied: drawn again when shown
    np.testing.assert_allclose(ghosts.getData()[0], [0.5, 1.0, 1.5, 2.0])
    frame = publish(store, inputs_a=[[2.0, 3.0, 4.0, 5.0]])  # new raw inputs
    np.testing.assert_allclose(ghosts.getData()[0], frame.a.raw.ravel())
    np.testing.assert_allclose(distributions.raw[0].xData, frame.a.hist_raw.edges)


def xy(item: object) -> np.ndarray:
    x, _ = item.getData()  # type: ignore[attr-defined]
    return np.asarray(x)
