"""The sensitivity heat map shows numerically-zero entries as zero, in colour and in words:
BatchNorm on a batch of two leaves ∂y/∂x of about 1e-6 (ε's trace), which must not look red."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from normgui.core.sensitivity import jacobian
from normgui.qt.analysis import AnalysisDock
from normgui.qt.analysis.sensitivity_tab import FLOOR, colour_limit, zero_below
from normgui.qt.store import Store


def _sensitivity(qtbot: QtBot, **changes: object) -> AnalysisDock:
    store = Store(Store().state.replace(**changes))
    dock = AnalysisDock(store)
    qtbot.addWidget(dock)
    dock.resize(1200, 320)
    dock.show()
    dock.tabs.setCurrentWidget(dock.sensitivity)
    store.flush()
    return dock


def test_a_batch_of_two_leaves_zeros_that_look_and_read_zero(qtbot: QtBot) -> None:
    state = Store().state.replace(
        inputs_a=[[1.0, 2.0, 3.0, 4.0], [4.0, 5.0, 7.0, 6.0]], method="batchnorm"
    )
    matrix = jacobian(state)
    assert 0 < np.abs(matrix).max() < 1e-4  # numerically zero, not exactly
    dock = _sensitivity(qtbot, inputs_a=state.inputs_a, method="batchnorm")
    heat = dock.sensitivity.heat_map
    low, high = heat.bar.levels()
    assert high >= FLOOR * heat.zero > 0 and low == -high
    # Each cell's colour: its share of the scale, as the colour map draws it (white at 0).
    shares = np.abs(heat.image.image) / high
    assert shares.max() < 0.05
    texts = {label.toPlainText() for label in heat.cell_labels if label.isVisible()}
    assert texts == {"0"}


def test_real_slopes_keep_their_colours_and_numbers(qtbot: QtBot) -> None:
    dock = _sensitivity(qtbot, inputs_a=[[1.0, 2.0, 3.0, 4.0]])
    heat = dock.sensitivity.heat_map
    assert heat.bar.levels()[1] == pytest.approx(np.abs(heat.image.image).max())
    texts = {label.toPlainText() for label in heat.cell_labels if label.isVisible()}
    assert "0.6261" in texts and "0" not in texts
    # Inputs in the millions have slopes of a millionth: real, so coloured and written out.
    big = np.array([[1.0, 2.0, 3.0, 4.0]]) * 1e6
    zero = zero_below(big)
    assert zero < 1e-9
    assert colour_limit(np.array([[6e-7, -2e-7]]), zero) == pytest.approx(6e-7)
