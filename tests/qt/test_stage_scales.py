"""The Stages plot gives each stage its own scale when the raw values dwarf the rest (pixels
0..255 beside x̂ and σ), on request from its context menu, and one shared scale otherwise."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from normgui.qt.plots import PlotArea
from normgui.qt.plots._stage_scales import (
    nice_ticks,
    raw_dwarfs_the_rest,
    tick_label,
    to_unit,
)
from normgui.qt.store import Store

PIXELS = np.array([[0.0, 37.0, 128.0, 200.0, 255.0, 64.0], [12.0, 250.0, 90.0, 3.0, 180.0, 99.0]])


def _stages(qtbot: QtBot, **changes: object) -> tuple[PlotArea, Store]:
    store = Store(Store().state.replace(**changes))
    area = PlotArea(store)
    qtbot.addWidget(area)
    return area, store


def test_pixels_get_a_scale_per_stage_by_themselves(qtbot: QtBot) -> None:
    area, _ = _stages(qtbot, inputs_a=PIXELS, method="standardize")
    stages = area.plots["stages"]
    assert stages.scales.isVisible()
    labels = stages.scales.shown()
    assert "200" in labels[0] and "0" in labels[0]  # raw: the pixel values
    assert "0.5" in labels[3] or "0.6" in labels[3]  # σ: its own range, not 0..255
    # Every stage spans the plot's height: each one's lowest value at 0 and highest at 1.
    y = stages.marks[0].getData()[1].reshape(-1, 4)
    assert np.allclose(y.min(axis=0), 0.0) and np.allclose(y.max(axis=0), 1.0)
    (y0, y1) = stages.plot.viewRange()[1]
    assert y0 < 0.0 and 1.0 < y1 < 1.2
    assert "own scale" in stages.strip.html()


def test_one_scale_when_no_stage_dwarfs_the_rest_and_the_menu_switches(qtbot: QtBot) -> None:
    area, _ = _stages(qtbot)  # LayerNorm of [1, 2, 3, 4]: raw and x̂ of a size
    stages = area.plots["stages"]
    assert not stages.scales.isVisible() and "own scale" not in stages.strip.html()
    y = stages.marks[0].getData()[1].reshape(-1, 4)
    assert y[:, 0].tolist() == [1.0, 2.0, 3.0, 4.0]
    # The context menu of the plot offers the three choices; the area draws again at once.
    actions = {a.data(): a for a in stages.widget.viewport().actions()}
    assert set(actions) == {"auto", "shared", "each"} and actions["auto"].isChecked()
    actions["each"].trigger()
    assert stages.scales.isVisible() and actions["each"].isChecked()
    assert stages.plot.viewRange()[1][1] < 1.2
    actions["shared"].trigger()
    assert not stages.scales.isVisible()
    assert stages.marks[0].getData()[1].reshape(-1, 4)[:, 0].tolist() == [1.0, 2.0, 3.0, 4.0]
    with pytest.raises(ValueError, match="stage scaling"):
        stages.set_scaling("log")  # type: ignore[arg-type]


def test_pixels_on_one_scale_when_asked(qtbot: QtBot) -> None:
    area, _ = _stages(qtbot, inputs_a=PIXELS, method="standardize")
    stages = area.plots["stages"]
    stages.set_scaling("shared")
    assert not stages.scales.isVisible() and stages.plot.viewRange()[1][1] > 255


def test_round_ticks_and_their_labels() -> None:
    assert nice_ticks(0.0, 255.0) == ([0.0, 100.0, 200.0], 100.0)
    ticks, step = nice_ticks(-1.34, 1.34)
    assert step == 1.0 and ticks == [-1.0, 0.0, 1.0]
    assert nice_ticks(0.2, 0.8)[1] == 0.2
    assert nice_ticks(3.0, 3.0) == ([3.0], 0.0)
    assert tick_label(0.25, 0.25) == "0.25" and tick_label(-1.0, 1.0) == "−1"
    assert tick_label(2e9, 1e9) == "2e+09"
    assert nice_ticks(0.0, 5e-324) == ([0.0], 0.0)  # subnormal: no round values in it
    assert nice_ticks(-1e308, 1e308) == ([-1e308], 0.0)  # wider than the float range
    lo, hi = np.array([0.0, -1.3, -1.3, 0.2]), np.array([255.0, 1.3, 1.3, 0.8])
    assert raw_dwarfs_the_rest(lo, hi)
    assert not raw_dwarfs_the_rest(np.array([1.0, -1.3, -1.3, 0.2]), np.array([4.0, 1.3, 1.3, 0.8]))
    with np.errstate(all="raise"):  # near the float limits, no overflow anywhere
        huge_lo, huge_hi = np.array([-1e308, -1.0, -1.0, 0.0]), np.array([1e308, 1.0, 1.0, 1.0])
        assert raw_dwarfs_the_rest(huge_lo, huge_hi)
        unit = to_unit(np.array([[1e308, 1.0, 1.0, 1.0]]), huge_lo, huge_hi)
        assert unit.tolist() == [[1.0, 1.0, 1.0, 1.0]]
