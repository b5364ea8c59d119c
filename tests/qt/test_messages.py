"""Messages beside what they are about: a refused table edit stays under the table until a
change is taken; the default ε is readable in full."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from normgui.qt.data_panel import InputPanel
from normgui.qt.norm_panel import NormalizationPanel
from normgui.qt.store import Store
from normgui.qt.widgets import LogEditor


def test_a_refused_table_edit_stays_beside_the_table_until_a_change_is_taken(
    qtbot: QtBot, store: Store
) -> None:
    panel = InputPanel(store)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    model = table.models["A"]
    assert not model.setData(model.index(0, 0), "two")
    assert table.error.isVisible() and "'two' is not a number" in table.error.text()
    qtbot.wait(50)  # it does not go away by itself
    assert table.error.isVisible()
    table.views["A"].paste_requested.emit("x")  # another refusal replaces it
    assert "pasted" in table.error.text()
    assert model.setData(model.index(0, 0), "2")  # taken: the message goes
    assert store.state.inputs_a[0, 0] == 2.0
    assert not table.error.isVisible()
    np.testing.assert_array_equal(model.array, store.state.inputs_a)


def test_the_default_eps_label_is_not_cut(qtbot: QtBot, store: Store) -> None:
    panel = NormalizationPanel(store)
    qtbot.addWidget(panel)
    panel.resize(300, 700)
    panel.show()
    qtbot.waitExposed(panel)
    editor = next(e for e in panel.findChildren(LogEditor))
    label: QLabel = editor.default_label
    for method in ("layernorm", "rmsnorm"):
        store.update("Method", method=method)
        qtbot.wait(10)
        assert label.height() >= label.sizeHint().height()
        assert label.width() >= label.sizeHint().width(), label.text()
        assert "PyTorch" in label.toolTip() or "machine" in label.toolTip()
