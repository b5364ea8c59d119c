"""Pasting: the entry takes text of any length (a huge paste goes straight to the data), the table
takes a spreadsheet block with Ctrl+V (growing, one undo step) and copies its selection with
Ctrl+C as tab-separated text."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from normgui.qt.data_panel import InputPanel
from normgui.qt.data_panel.data_table import with_block_pasted
from normgui.qt.data_panel.input_entry import BIG_PASTE_CHARS
from normgui.qt.store import Store


@pytest.fixture
def panel(qtbot: QtBot, store: Store) -> InputPanel:
    p = InputPanel(store)
    qtbot.addWidget(p)
    p.show()
    qtbot.waitExposed(p)
    return p


def csv(x: np.ndarray, sep: str = ",") -> str:
    return "\n".join(sep.join(repr(float(v)) for v in row) for row in x)


def test_a_paste_longer_than_the_old_limit_is_taken_whole(
    panel: InputPanel, store: Store, qtbot: QtBot
) -> None:
    x = np.random.default_rng(1).normal(size=(50, 80))  # about 80,000 characters
    text = csv(x)
    assert 32_767 < len(text) <= BIG_PASTE_CHARS
    edit = panel.entries["A"].line_edit
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    edit.selectAll()  # the paste replaces what the entry showed
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert len(edit.text()) > 32_767
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    np.testing.assert_array_equal(store.state.inputs_a, x)


def test_a_huge_paste_goes_straight_to_the_data(
    panel: InputPanel, store: Store, qtbot: QtBot
) -> None:
    x = np.random.default_rng(2).normal(size=(400, 300))
    text = csv(x)
    assert len(text) > BIG_PASTE_CHARS
    edit = panel.entries["A"].line_edit
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(store.state.inputs_a, x)
    assert edit.text() == "" and "400 × 300" in edit.placeholderText()
    # A huge paste that is not numbers says why beside the entry, and changes nothing.
    QGuiApplication.clipboard().setText(text[:-30] + "\n1, 2")
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    np.testing.assert_array_equal(store.state.inputs_a, x)
    assert panel.entries["A"].error_label.isVisibleTo(panel)


def test_ctrl_v_pastes_a_block_into_the_table_growing_it_in_one_undo_step(
    panel: InputPanel, store: Store, qtbot: QtBot
) -> None:
    store.update("Set", inputs_a=np.arange(6.0).reshape(2, 3))
    store.undo_stack.clear()
    view = panel.table.views["A"]
    view.setFocus()
    view.setCurrentIndex(view.model().index(1, 2))
    QGuiApplication.clipboard().setText("10\t11\n12\t13\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    expected = [[0, 1, 2, 0], [3, 4, 10, 11], [0, 0, 12, 13]]
    np.testing.assert_array_equal(store.state.inputs_a, expected)
    assert store.undo_stack.count() == 1
    assert store.undo_stack.undoText() == "Paste into A"
    # Comma-separated, pasted on a statistics cell of the last row: appended below.
    view.setCurrentIndex(view.model().index(3, 0))  # "mean" of column 1
    QGuiApplication.clipboard().setText("7, 8, 9, 10")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert store.state.inputs_a.shape == (4, 4)
    assert store.state.inputs_a[3].tolist() == [7, 8, 9, 10]
    # Text that is not numbers: refused, with the reason.
    refused: list[tuple[str, str]] = []
    panel.table.edit_refused.connect(lambda t, m: refused.append((t, m)))
    QGuiApplication.clipboard().setText("a\tb")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert refused and refused[0][0] == "A" and "pasted" in refused[0][1]
    assert store.state.inputs_a.shape == (4, 4)


def test_ctrl_c_copies_the_selection_as_tab_separated_text(
    panel: InputPanel, store: Store, qtbot: QtBot
) -> None:
    store.update("Set", inputs_a=[[1.5, 2.0, 3.0], [4.0, 0.1, 6.0]])
    view = panel.table.views["A"]
    model = view.model()
    view.setFocus()
    selection = QItemSelection(model.index(0, 1), model.index(1, 2))
    view.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "2\t3\n0.1\t6"
    # What is copied pastes back as the same numbers.
    view.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert store.state.inputs_a.tolist() == [[2.0, 3.0, 3.0], [0.1, 6.0, 6.0]]


def test_with_block_pasted() -> None:
    x = np.ones((2, 2))
    np.testing.assert_array_equal(
        with_block_pasted(x, np.full((1, 1), 5.0), 0, 0), [[5, 1], [1, 1]]
    )
    assert with_block_pasted(x, np.ones((3, 1)), 2, 2).shape == (5, 3)  # appended past the end
    with pytest.raises(ValueError, match="outside the table"):
        with_block_pasted(x, np.ones((1, 1)), 3, 0)
