"""The Data panel, both ways: widget → store, and store → widget (without writing back)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabBar,
    QTableView,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from normgui.core.generators import GeneratorSpec, generate
from normgui.core.state import State
from normgui.qt.data_panel import InputPanel
from normgui.qt.data_panel.data_table import (
    DataTableModel,
    parse_cell,
    with_column_added,
    with_column_removed,
    with_row_added,
    with_row_removed,
)
from normgui.qt.store import Store

W = TypeVar("W", bound=QWidget)


def named(panel: QWidget, name: str, cls: type[W]) -> W:
    """The one widget of type `cls` whose accessible name is `name`."""
    found = [w for w in panel.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


@pytest.fixture
def panel(qtbot: QtBot, store: Store) -> InputPanel:
    widget = InputPanel(store)
    qtbot.addWidget(widget)
    widget.resize(330, 720)
    widget.show()
    return widget


def entry(panel: InputPanel, target: str = "A") -> QLineEdit:
    return named(panel, f"Input {target}", QLineEdit)


def model(panel: InputPanel, target: str = "A") -> DataTableModel:
    m = named(panel, f"Table of input {target}", QTableView).model()
    assert isinstance(m, DataTableModel)
    return m


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def text_at(m: DataTableModel, row: int, column: int) -> object:
    return m.data(m.index(row, column))


def undo_labels(store: Store) -> list[str]:
    stack = store.undo_stack
    return [stack.text(i) for i in range(stack.count())]


# --- names, tips, layout ---------------------------------------------------------------------


def _inner(widget: QWidget) -> bool:
    """Parts of a compound widget (a spin box's line edit, a table's corner button)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QAbstractSpinBox, QComboBox, QLineEdit, QAbstractItemView, QTabBar)):
            return True
        parent = parent.parentWidget()
    return False


def test_every_control_has_a_name_and_a_tooltip(panel: InputPanel, store: Store) -> None:
    store.update("test", compare=True)  # B's controls too
    kinds = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QTableView, QTabBar)
    controls = [w for w in panel.findChildren(QWidget) if isinstance(w, kinds) and not _inner(w)]
    assert len(controls) > 15
    for w in controls:
        assert w.accessibleName(), f"{type(w).__name__} {w.objectName()!r} has no name"
        assert w.toolTip(), f"{w.accessibleName()} has no tooltip"


def test_fits_a_narrow_dock(panel: InputPanel, store: Store) -> None:
    store.update("test", compare=True)
    QApplication.processEvents()
    assert panel.minimumSizeHint().width() <= 300
    panel.resize(300, 700)
    QApplication.processEvents()
    for w in panel.findChildren(QWidget):
        if w.isVisible() and not _inner(w) and isinstance(w, (QAbstractButton, QLineEdit)):
            right = w.mapTo(panel, QPoint(w.width(), 0)).x()
            assert right <= panel.width(), f"{w.accessibleName()} is cut off"


# --- the entry, both ways --------------------------------------------------------------------


def test_typing_text_sets_input_a(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    type_into(qtbot, entry(panel), "1, 2; 3, 4")
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2], [3, 4]])
    assert undo_labels(store) == ["Edit input A"]  # Enter and editingFinished: one step
    assert entry(panel).text() == "1, 2; 3, 4"


def test_text_is_tidied_after_enter(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    type_into(qtbot, entry(panel), "[[1 2],[3   4.50]]")
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2], [3, 4.5]])
    assert entry(panel).text() == "1, 2; 3, 4.5"


def test_unchanged_text_is_not_parsed_again(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    qtbot.keyClick(entry(panel), Qt.Key.Key_Return)
    entry(panel).editingFinished.emit()
    assert store.undo_stack.count() == 0


def test_focus_leaving_commits(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    panel.activateWindow()
    edit = entry(panel)
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "5 6 7")
    named(panel, "Compare", QCheckBox).setFocus()
    qtbot.waitUntil(lambda: not edit.hasFocus())
    np.testing.assert_array_equal(store.state.inputs_a, [[5, 6, 7]])
    assert undo_labels(store) == ["Edit input A"]


def test_state_shows_in_entry_and_table(panel: InputPanel, store: Store) -> None:
    store.set_state(store.state.replace(inputs_a=[[5, 6], [7, 8]]))
    assert entry(panel).text() == "5, 6; 7, 8"
    m = model(panel)
    assert (m.rowCount(), m.columnCount()) == (4, 4)  # + mean and std
    assert text_at(m, 1, 1) == "8"
    store.flush()
    assert text_at(m, 0, 2) == "5.5"  # mean of row 1
    assert text_at(m, 0, 3) == "0.5"  # its std
    assert text_at(m, 2, 0) == "6"  # mean of column 1
    assert text_at(m, 3, 1) == "1"  # std of column 2
    assert store.undo_stack.count() == 1  # showing the State wrote nothing back


def test_undo_shows_the_old_text(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    type_into(qtbot, entry(panel), "9, 8")
    store.undo_stack.undo()
    assert entry(panel).text() == "1, 2, 3, 4"
    assert text_at(model(panel), 0, 3) == "4"


def test_bad_text_changes_nothing_and_says_why(
    qtbot: QtBot, panel: InputPanel, store: Store
) -> None:
    before = store.state
    errors: list[str] = []
    store.error.connect(errors.append)
    type_into(qtbot, entry(panel), "1, 2, abc")
    assert store.state is before
    assert entry(panel).property("invalid") is True
    label = named(panel, "Input A error", QLabel)
    assert label.isVisible()
    assert "'abc' is not a number" in label.text()
    assert errors == [f"Input A: {label.text()}"]
    # Enter again on the same text, or focus leaving: no second report
    qtbot.keyClick(entry(panel), Qt.Key.Key_Return)
    assert len(errors) == 1
    assert entry(panel).text() == "1, 2, abc"  # kept, to be fixed
    # the next valid entry clears the error
    type_into(qtbot, entry(panel), "1, 2, 3")
    assert entry(panel).property("invalid") is False
    assert not label.isVisible()
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3]])


def test_unrelated_change_keeps_the_bad_text(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    type_into(qtbot, entry(panel), "1, x")
    store.update("γ", gamma=2.0)
    assert entry(panel).text() == "1, x"
    assert entry(panel).property("invalid") is True
    store.set_state(store.state.replace(inputs_a=[[3.0]]))  # but new data replaces it
    assert entry(panel).text() == "3"
    assert entry(panel).property("invalid") is False


def test_ragged_rows_are_refused(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    with qtbot.waitSignal(store.error, timeout=1000) as blocker:
        type_into(qtbot, entry(panel), "1, 2; 3")
    assert "row 2 has 1 value" in str(blocker.args[0])
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3, 4]])


def test_pasted_lines_become_rows(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    edit = entry(panel)
    edit.selectAll()
    QApplication.clipboard().setText("1\t2\n3\t4\n")
    edit.paste()
    edit.textEdited.emit(edit.text())  # what typing or pasting by hand sends
    assert edit.text() == "1\t2; 3\t4"
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2], [3, 4]])


# --- large data ------------------------------------------------------------------------------


def test_large_data_is_summarised_and_fast(
    qtbot: QtBot, panel: InputPanel, store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    big = np.random.default_rng(1).normal(size=(1000, 1000))
    start = time.perf_counter()
    store.set_state(store.state.replace(inputs_a=big))
    shown = time.perf_counter()
    store.flush()
    done = time.perf_counter()
    with capsys.disabled():
        print(
            f"\n1000 × 1000: set_state {1000 * (shown - start):.0f} ms, "
            f"flush {1000 * (done - shown):.0f} ms"
        )
    edit = entry(panel)
    assert edit.text() == ""
    assert edit.placeholderText() == "1000 × 1000 values: edit in the table"
    m = model(panel)
    assert (m.rowCount(), m.columnCount()) == (1002, 1002)
    assert text_at(m, 999, 999) == f"{big[999, 999]:.6g}"
    assert text_at(m, 999, 1000) == f"{big[999].mean():.4g}"
    view = named(panel, "Table of input A", QTableView)
    view.scrollTo(m.index(999, 999))
    view.scrollTo(m.index(500, 3))
    view.scrollToBottom()
    QApplication.processEvents()
    assert view.indexAt(view.viewport().rect().center()).row() > 900
    assert not view.grab().isNull()
    # leaving the empty entry changes nothing; typing replaces the data
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert store.state.inputs_a.shape == (1000, 1000)
    type_into(qtbot, edit, "1, 2")
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2]])


# --- the table -------------------------------------------------------------------------------


def test_cell_edit_writes_a_state(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    m = model(panel)
    assert m.setData(m.index(0, 1), " 2.5 ")
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2.5, 3, 4]])
    assert undo_labels(store) == ["Edit cell"]
    assert entry(panel).text() == "1, 2.5, 3, 4"


def test_cell_edit_through_the_editor(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    view = named(panel, "Table of input A", QTableView)
    index = model(panel).index(0, 3)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit)
    assert editor is not None
    assert editor.text() == "4"
    editor.setText("−7")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: store.undo_stack.count() == 1)  # the delegate commits queued
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3, -7]])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "'abc' is not a number"),
        ("nan", "'nan' is not a finite number"),
        ("1e999", "'1e999' is not a finite number"),
        ("", "a cell needs a number"),
        ("1,5", "'1,5' is not a number"),
    ],
)
def test_bad_cell_edit_is_refused(
    qtbot: QtBot, panel: InputPanel, store: Store, text: str, message: str
) -> None:
    m = model(panel)
    before = store.state
    with qtbot.waitSignal(store.error, timeout=1000) as blocker:
        assert not m.setData(m.index(0, 0), text)
    assert blocker.args == [f"Input A: {message}"]
    assert store.state is before


def test_statistics_cells_are_read_only(panel: InputPanel, store: Store) -> None:
    m = model(panel)
    stat = m.index(0, 4)
    assert not m.flags(stat) & Qt.ItemFlag.ItemIsEditable
    assert not m.setData(stat, "3")
    assert store.undo_stack.count() == 0


def test_rows_and_columns_added_and_removed(panel: InputPanel, store: Store) -> None:
    named(panel, "Add row", QToolButton).click()
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3, 4], [1, 2, 3, 4]])
    named(panel, "Add column", QToolButton).click()
    assert store.state.inputs_a.shape == (2, 5)
    named(panel, "Remove column", QToolButton).click()
    named(panel, "Remove row", QToolButton).click()
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3, 4]])
    assert undo_labels(store) == ["Add row", "Add column", "Remove column", "Remove row"]
    # never the last row
    assert not named(panel, "Remove row", QToolButton).isEnabled()


def test_the_selected_row_and_column_are_the_ones_changed(panel: InputPanel, store: Store) -> None:
    store.set_state(State(inputs_a=np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]])))
    view = named(panel, "Table of input A", QTableView)
    view.setCurrentIndex(model(panel).index(1, 0))
    named(panel, "Remove row", QToolButton).click()
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3], [7, 8, 9]])
    view.setCurrentIndex(model(panel).index(0, 1))
    named(panel, "Add column", QToolButton).click()
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 2, 3], [7, 8, 8, 9]])


def test_last_column_never_removed(panel: InputPanel, store: Store) -> None:
    store.set_state(State(inputs_a=np.array([[1.0], [2.0]])))
    assert not named(panel, "Remove column", QToolButton).isEnabled()
    assert named(panel, "Remove row", QToolButton).isEnabled()


def test_shape_edits_are_pure() -> None:
    x = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(with_row_added(x, 0), [[0, 1, 2], [0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(with_column_added(x), [[0, 1, 2, 2], [3, 4, 5, 5]])
    np.testing.assert_array_equal(with_row_removed(x, 0), [[3, 4, 5]])
    np.testing.assert_array_equal(with_column_removed(x, 1), [[0, 2], [3, 5]])
    np.testing.assert_array_equal(x, np.arange(6.0).reshape(2, 3))
    with pytest.raises(ValueError, match="at least one row"):
        with_row_removed(x[:1])
    with pytest.raises(ValueError, match="at least one column"):
        with_column_removed(x[:, :1])
    assert parse_cell(" −1.5e2 ") == -150.0


def test_scale_note(panel: InputPanel, store: Store) -> None:
    note = named(panel, "Note on the statistics", QLabel)
    assert not note.isVisible()
    store.update("scale", input_scale=2.0)
    store.flush()
    assert note.isVisible()
    assert note.text() == "mean, std after scale ×2"
    assert "x × 2 + 0" in note.toolTip()
    assert text_at(model(panel), 0, 4) == "5"  # the mean of [2, 4, 6, 8], as the Frame says


# --- Compare and B ---------------------------------------------------------------------------


def test_compare_shows_and_hides_b(panel: InputPanel, store: Store) -> None:
    compare = named(panel, "Compare", QCheckBox)
    entry_b, stats = entry(panel, "B"), named(panel, "Statistics from", QComboBox)
    tabs = named(panel, "Table shown", QTabBar)
    assert not entry_b.isVisible() and not stats.isVisible() and not tabs.isTabVisible(1)
    compare.click()
    assert store.state.compare
    np.testing.assert_array_equal(store.state.inputs_b, [[4, 5, 6, 7]])
    assert entry_b.isVisible() and stats.isVisible() and tabs.isTabVisible(1)
    assert entry_b.text() == "4, 5, 6, 7"
    store.flush()
    assert text_at(model(panel, "B"), 0, 4) == "5.5"
    compare.click()
    assert not store.state.compare
    assert store.state.inputs_b is not None  # kept, only hidden
    assert not entry_b.isVisible() and not tabs.isTabVisible(1)
    store.update("B", inputs_b=[[9.0, 9.0]])
    compare.click()
    np.testing.assert_array_equal(store.state.inputs_b, [[9, 9]])  # not replaced
    assert undo_labels(store) == ["Compare with B", "Compare with B", "B", "Compare with B"]


def test_compare_from_the_state(panel: InputPanel, store: Store) -> None:
    store.set_state(State(inputs_b=np.array([[1.0, 1.0]]), compare=True, stats_source="each"))
    assert named(panel, "Compare", QCheckBox).isChecked()
    assert named(panel, "Statistics from", QComboBox).currentData() == "each"
    assert entry(panel, "B").text() == "1, 1"
    assert store.undo_stack.count() == 1


def test_typing_into_b(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    named(panel, "Compare", QCheckBox).click()
    type_into(qtbot, entry(panel, "B"), "0.5, 1.5")
    np.testing.assert_array_equal(store.state.inputs_b, [[0.5, 1.5]])
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3, 4]])
    named(panel, "Table shown", QTabBar).setCurrentIndex(1)
    named(panel, "Add row", QToolButton).click()
    assert store.state.inputs_b is not None
    assert store.state.inputs_b.shape == (2, 2)


def test_statistics_source(panel: InputPanel, store: Store) -> None:
    named(panel, "Compare", QCheckBox).click()
    combo = named(panel, "Statistics from", QComboBox)
    assert combo.currentText() == "A and B as one batch"
    combo.setCurrentIndex(combo.findData("each"))
    assert store.state.stats_source == "each"
    store.undo_stack.undo()
    assert combo.currentData() == "joint"


# --- the generator ---------------------------------------------------------------------------


def test_generate_is_reproducible_and_one_step(panel: InputPanel, store: Store) -> None:
    kind = named(panel, "Generator kind", QComboBox)
    kind.setCurrentIndex(kind.findData("normal"))
    named(panel, "Rows", QSpinBox).setValue(3)
    named(panel, "Columns", QSpinBox).setValue(5)
    named(panel, "Mean μ", QDoubleSpinBox).setValue(2.0)
    named(panel, "Seed", QSpinBox).setValue(7)
    button = named(panel, "Generate", QPushButton)
    button.click()
    expected = generate(GeneratorSpec("normal", rows=3, cols=5, a=2.0, b=1.0, seed=7))
    np.testing.assert_array_equal(store.state.inputs_a, expected)
    assert undo_labels(store) == ["Generate"]
    button.click()  # the same seed gives the same data: nothing new to undo
    assert undo_labels(store) == ["Generate"]
    store.undo_stack.undo()
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2, 3, 4]])


def test_generator_labels_follow_the_kind(panel: InputPanel) -> None:
    gen = panel.generator
    kind = named(panel, "Generator kind", QComboBox)
    kind.setCurrentIndex(kind.findData("uniform"))
    assert (gen.label_a.text(), gen.label_b.text()) == ("a", "b")
    assert gen.param_b.accessibleName() == "High end b"
    kind.setCurrentIndex(kind.findData("constant"))
    assert gen.label_a.text() == "value" and not gen.param_b.isVisible()
    kind.setCurrentIndex(kind.findData("pixels"))
    assert not gen.param_a.isVisible()
    kind.setCurrentIndex(kind.findData("normal"))
    assert gen.label_a.text() == "μ" and gen.label_b.text() == "σ"
    assert gen.param_b.minimum() == 0.0
    gen.toggle.click()
    assert not gen.body.isVisible()


def test_generate_into_b(panel: InputPanel, store: Store) -> None:
    gen = panel.generator
    assert not gen.target.isVisible()
    named(panel, "Compare", QCheckBox).click()
    target = named(panel, "Generate into", QComboBox)
    assert target.isVisible()
    target.setCurrentIndex(target.findData("B"))
    kind = named(panel, "Generator kind", QComboBox)
    kind.setCurrentIndex(kind.findData("pixels"))
    named(panel, "Generate", QPushButton).click()
    assert store.state.inputs_b is not None
    assert store.state.inputs_b.shape == (4, 4)
    assert set(np.unique(store.state.inputs_b)) <= set(range(256))


def test_generator_error_is_reported(qtbot: QtBot, panel: InputPanel, store: Store) -> None:
    kind = named(panel, "Generator kind", QComboBox)
    kind.setCurrentIndex(kind.findData("uniform"))
    panel.generator.param_a.setValue(5.0)
    panel.generator.param_b.setValue(1.0)
    before = store.state
    with qtbot.waitSignal(store.error, timeout=1000) as blocker:
        named(panel, "Generate", QPushButton).click()
    assert "a ≤ b" in str(blocker.args[0])
    assert store.state is before


# --- import ----------------------------------------------------------------------------------


def test_import_csv_and_npy(tmp_path: Path, panel: InputPanel, store: Store) -> None:
    csv = tmp_path / "data.csv"
    csv.write_text("x,y\n1,2\n3,4\n")
    assert panel.import_file(csv)
    np.testing.assert_array_equal(store.state.inputs_a, [[1, 2], [3, 4]])
    npy = tmp_path / "b.npy"
    np.save(npy, np.arange(6.0).reshape(2, 3))
    assert panel.import_file(str(npy), target="B")
    assert store.state.compare  # importing into B shows B
    np.testing.assert_array_equal(store.state.inputs_b, [[0, 1, 2], [3, 4, 5]])
    assert undo_labels(store) == ["Import data.csv", "Import b.npy"]
    assert entry(panel, "B").text() == "0, 1, 2; 3, 4, 5"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.csv", b"1,2\n3,abc\n", "data.csv, line 2: 'abc' is not a number"),
        ("data.csv", b"", "data.csv: empty file"),
        ("data.npy", b"not numpy", "data.npy: not a NumPy .npy file"),
    ],
)
def test_import_bad_files(
    qtbot: QtBot,
    tmp_path: Path,
    panel: InputPanel,
    store: Store,
    name: str,
    content: bytes,
    message: str,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = store.state
    with qtbot.waitSignal(store.error, timeout=1000) as blocker:
        assert not panel.import_file(path)
    assert blocker.args == [message]
    assert store.state is before


def test_import_missing_file(qtbot: QtBot, tmp_path: Path, panel: InputPanel) -> None:
    with qtbot.waitSignal(panel._store.error, timeout=1000):
        assert not panel.import_file(tmp_path / "gone.csv")
    with pytest.raises(ValueError, match="'A' or 'B'"):
        panel.import_file(tmp_path / "gone.csv", target="C")


def test_import_dialog(
    tmp_path: Path, panel: InputPanel, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "d.txt"
    path.write_text("7 8 9\n")
    asked: list[str] = []

    def fake_dialog(parent: QWidget, title: str, start: str, filters: str) -> tuple[str, str]:
        asked.append(filters)
        return str(path), "Data (*.csv *.txt *.npy)"

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake_dialog)
    assert panel.open_import_dialog()
    np.testing.assert_array_equal(store.state.inputs_a, [[7, 8, 9]])
    assert asked[0].startswith("Data and pictures (*.csv *.txt *.npy *.png")
    assert panel.open_import_dialog("B")
    np.testing.assert_array_equal(store.state.inputs_b, [[7, 8, 9]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: ("", ""))
    assert not panel.open_import_dialog()


def test_drop_a_file(tmp_path: Path, panel: InputPanel, store: Store) -> None:
    path = tmp_path / "drop.csv"
    path.write_text("3;4\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(
        panel.rect().center().toPointF(),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(event)
    np.testing.assert_array_equal(store.state.inputs_a, [[3, 4]])
