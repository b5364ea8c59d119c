"""The analysis dock, both ways: State → each tab shows the numbers of the core; the tab's
controls → State; and only the tab on screen computes."""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QLabel, QSpinBox, QTableWidget, QToolBar, QWidget
from pytestqt.qtbot import QtBot

from normgui.core.analysis import running_history_table, state_invariance, transform_changes
from normgui.core.explain import explain
from normgui.core.invariance import invariance_table
from normgui.core.normalize import RunningStats, update_running_stats
from normgui.core.sensitivity import jacobian
from normgui.core.state import State
from normgui.qt.analysis import AnalysisDock
from normgui.qt.analysis.tab import AnalysisTab
from normgui.qt.store import Store
from normgui.qt.theme import DARK

W = TypeVar("W", bound=QWidget)
LN_A = [[1.0, 2.0, 3.0, 4.0]]
LN_B = [[4.0, 5.0, 6.0, 7.0]]
BATCH = np.random.default_rng(5).normal(2.0, 1.5, (6, 4)).round(2)


def named(root: QWidget, name: str, cls: type[W]) -> W:
    found = [w for w in root.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def cell_text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def use(store: Store, **changes: object) -> None:
    store.set_state(store.state.replace(**changes), "test")
    store.flush()


@pytest.fixture
def dock(qtbot: QtBot, store: Store) -> AnalysisDock:
    widget = AnalysisDock(store)
    qtbot.addWidget(widget)
    widget.resize(1200, 320)
    widget.show()
    qtbot.waitExposed(widget)
    store.flush()
    return widget


def show_tab(dock: AnalysisDock, tab: AnalysisTab) -> None:
    dock.tabs.setCurrentWidget(tab)


# --- only the tab on screen computes -----------------------------------------------------------


def test_hidden_tabs_do_not_compute(dock: AnalysisDock, store: Store) -> None:
    assert dock.current_tab() is dock.invariance
    assert dock.invariance.compute_count >= 1
    others = [t for t in dock.all_tabs if t is not dock.invariance]
    assert all(t.compute_count == 0 for t in others)
    for gamma in (1.5, 2.0, 2.5):
        use(store, gamma=gamma)
    assert all(t.compute_count == 0 for t in others)
    assert all(t.stale for t in others)
    show_tab(dock, dock.explain)
    assert dock.explain.compute_count == 1
    assert not dock.explain.stale
    use(store, beta=0.5)
    assert dock.explain.compute_count == 2
    assert dock.sensitivity.compute_count == 0


def test_a_hidden_dock_computes_nothing_until_shown(
    dock: AnalysisDock, store: Store, qtbot: QtBot
) -> None:
    show_tab(dock, dock.explain)
    before = dock.explain.compute_count
    dock.hide()
    use(store, gamma=3.0)
    use(store, gamma=4.0)
    assert dock.explain.compute_count == before
    dock.show()
    qtbot.waitExposed(dock)
    assert dock.explain.compute_count == before + 1
    assert "γ·x̂₁ + β = 4·" in dock.explain.browser.toPlainText()


def test_invariance_data_table_is_not_recomputed_for_gamma(
    dock: AnalysisDock, store: Store
) -> None:
    count = dock.invariance.data_compute_count
    use(store, gamma=2.0)
    assert dock.invariance.compute_count >= 2
    assert dock.invariance.data_compute_count == count  # γ comes after the normalization
    use(store, inputs_a=[[1.0, 5.0, 2.0]])
    assert dock.invariance.data_compute_count == count + 1


# --- Invariance --------------------------------------------------------------------------------


def test_paper_table_shows_table_1(dock: AnalysisDock) -> None:
    table = dock.invariance.paper_table
    expected = invariance_table()
    assert table.rowCount() == 6
    assert cell_text(table, 0, 0) == "Weight matrix re-scaling"
    for column, method in enumerate(("batchnorm", "weightnorm", "layernorm"), start=2):
        for row, key in enumerate(expected[method]):
            glyph = "✓ invariant" if expected[method][key] else "✗ changes"
            assert cell_text(table, row, column) == glyph
    note = named(dock, "Summed inputs note", QLabel).text()
    assert "Wx" in note and "[1, 2, 3, 4] and [4, 5, 6, 7]" in note


def test_data_table_follows_the_state(dock: AnalysisDock, store: Store) -> None:
    use(store, inputs_a=BATCH, method="standardize")
    table = dock.invariance.data_table
    rows = state_invariance(store.state)
    assert table.rowCount() == len(rows) == 5
    for r, row in enumerate(rows):
        assert cell_text(table, r, 0) == row.label
        assert cell_text(table, r, 2) == row.text
    assert cell_text(table, 3, 2) == "✓ invariant"  # scaling all data
    assert cell_text(table, 0, 2).startswith("✗ changes the output by up to")
    assert "Standardize" in dock.invariance.data_heading.text()


def test_clicking_a_row_compares_a_with_its_transformation(
    dock: AnalysisDock, store: Store, qtbot: QtBot
) -> None:
    use(store, inputs_a=BATCH, method="batchnorm")
    before = store.state
    steps = store.undo_stack.count()
    table = dock.invariance.data_table
    rect = table.visualRect(table.model().index(4, 0))  # scale one feature
    with qtbot.waitSignal(store.notice) as notice:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    state = store.state
    assert state.compare and state.stats_source == "each"
    expected = transform_changes(before, "scale_feature")["inputs_b"]
    np.testing.assert_array_equal(state.inputs_b, expected)
    assert store.undo_stack.count() == steps + 1
    assert "scale one feature" in notice.args[0]
    store.undo_stack.undo()
    assert store.state.same_as(before)


# --- A vs B ------------------------------------------------------------------------------------


def test_compare_tab_says_when_b_is_off(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.compare)
    assert "Turn on Compare" in dock.compare.summary.text()
    assert not dock.compare.table.isVisible()


def test_compare_tab_shows_where_a_and_b_coincide(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.compare)
    use(store, inputs_a=LN_A, inputs_b=LN_B, compare=True)
    table = dock.compare.table
    assert table.isVisible() and table.rowCount() == 4
    assert cell_text(table, 0, 0) == "raw input"
    assert cell_text(table, 0, 1) == "3"
    assert cell_text(table, 0, 3) == "≠ different"
    for row in (1, 2, 3):
        assert cell_text(table, row, 3).startswith("= indistinguishable")
    assert "indistinguishable from the normalized stage on" in dock.compare.summary.text()
    use(store, method="batchnorm")
    assert cell_text(table, 1, 3) == "≠ different"


# --- Sensitivity -------------------------------------------------------------------------------


def test_sensitivity_shows_the_jacobian(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.sensitivity)
    use(store, inputs_a=LN_A, selected_feature=2)
    tab = dock.sensitivity
    expected = jacobian(store.state)
    np.testing.assert_allclose(tab.heat_map.image.image, expected)
    low, high = tab.heat_map.bar.levels()
    assert low == pytest.approx(-high) and high == pytest.approx(np.abs(expected).max())
    words = named(dock, "Sensitivity in words", QLabel).text()
    assert "A change of 1 in x₃ moves y₃ by 0.6261." in words
    labels = [lab for lab in tab.heat_map.cell_labels if lab.isVisible()]
    assert len(labels) == 16
    assert "0.6261" in {lab.toPlainText() for lab in labels}


def test_through_the_activation_and_big_inputs(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.sensitivity)
    use(store, inputs_a=LN_A, gamma=3.0)
    tab = dock.sensitivity
    tab.through_check.setChecked(True)
    expected = jacobian(store.state, through_activation=True)
    np.testing.assert_allclose(tab.heat_map.image.image, expected)
    assert "σ(yᵢ)" in tab.heat_map.plot.titleLabel.text
    use(store, inputs_a=np.arange(100.0)[np.newaxis, :], selected_feature=90)
    assert tab.heat_map.image.image.shape == (64, 64)
    assert not any(lab.isVisible() for lab in tab.heat_map.cell_labels)  # too many to write
    assert "100 features" in tab.words.text()


def test_clicking_a_cell_selects_its_element(
    dock: AnalysisDock, store: Store, qtbot: QtBot
) -> None:
    show_tab(dock, dock.sensitivity)
    use(store, inputs_a=LN_A)
    heat = dock.sensitivity.heat_map
    scene_point = heat.plot.getViewBox().mapViewToScene(QPointF(3.5, 1.5))
    view_point = heat.widget.mapFromScene(scene_point)
    qtbot.mouseClick(
        heat.widget.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(view_point.x(), view_point.y()),
    )
    assert store.state.selected_feature == 3


# --- Running statistics ------------------------------------------------------------------------


def stepped(steps: int) -> tuple[RunningStats, ...]:
    history = []
    stats = RunningStats.initial(BATCH.shape[1])
    for _ in range(steps):
        stats = update_running_stats(stats, BATCH, 0.3)
        history.append(stats)
    return tuple(history)


def test_running_tab_is_for_batchnorm(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.running)
    assert dock.running.stack.currentIndex() == 0
    assert "belong to BatchNorm" in dock.running.message.text()


def test_running_tab_plots_the_history_and_both_modes(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.running)
    use(
        store,
        inputs_a=BATCH,
        method="batchnorm",
        momentum=0.3,
        running_history=stepped(4),
        selected_sample=2,
    )
    tab = dock.running
    assert tab.stack.currentIndex() == 1
    history = running_history_table(store.state)
    x, y = tab.mean_plot.lines[0].getData()
    np.testing.assert_array_equal(x, [0, 1, 2, 3, 4])
    np.testing.assert_allclose(y, history.mean[:, 0])
    _, var = tab.var_plot.lines[3].getData()
    np.testing.assert_allclose(var, history.var[:, 3])
    assert tab.var_plot.targets[3].value() == pytest.approx(history.data_var[3])
    assert "Step 4" in tab.caption.text()
    outputs = tab.outputs
    assert outputs is not None and outputs.train is not None
    table = tab.table
    assert table.rowCount() == 4
    assert cell_text(table, 0, 0) == "■ 1"
    assert cell_text(table, 0, 2) == f"{outputs.train[0]:.4g}".replace("-", "−")
    assert cell_text(table, 0, 3) == f"{outputs.eval[0]:.4g}".replace("-", "−")
    assert "Sample 3 of A" in tab.table_heading.text()


# --- Explain and the selection -----------------------------------------------------------------


def test_explain_follows_the_state(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.explain)
    use(store, inputs_a=LN_A, selected_feature=2)
    text = dock.explain.browser.toPlainText()
    for line in (
        "μ = (1 + 2 + 3 + 4)/4 = 2.5",
        "σ² = ((1 − 2.5)² + (2 − 2.5)² + (3 − 2.5)² + (4 − 2.5)²)/4 = 1.25",
        "x̂₃ = (3 − 2.5)/√(1.25 + 1e-05) = 0.4472",
        "y₃ = γ·x̂₃ + β = 1·0.4472 + 0 = 0.4472",
        "σ(y₃) = 1/(1 + e^(−0.4472)) = 0.6100",
    ):
        assert line in text
    assert dock.explain.browser.isReadOnly()
    use(store, method="rmsnorm")
    assert "mean(x²) = (1² + 2² + 3² + 4²)/4 = 7.5" in dock.explain.browser.toPlainText()


def test_spin_boxes_write_the_selection(dock: AnalysisDock, store: Store) -> None:
    use(store, inputs_a=BATCH)
    sample = named(dock, "Selected sample", QSpinBox)
    element = named(dock, "Selected element", QSpinBox)
    assert (sample.minimum(), sample.maximum()) == (1, 6)
    assert (element.minimum(), element.maximum()) == (1, 4)
    sample.setValue(3)
    element.setValue(2)
    assert (store.state.selected_sample, store.state.selected_feature) == (2, 1)
    show_tab(dock, dock.explain)
    assert "sample 3 of 6, element 2 of 4" in dock.explain.browser.toPlainText()


def test_state_writes_the_spin_boxes_without_echo(dock: AnalysisDock, store: Store) -> None:
    use(store, inputs_a=BATCH, selected_sample=4, selected_feature=3)
    steps = store.undo_stack.count()
    sample = named(dock, "Selected sample", QSpinBox)
    element = named(dock, "Selected element", QSpinBox)
    assert (sample.value(), element.value()) == (5, 4)
    use(store, inputs_a=LN_A)  # one sample: the selection is clamped, and not written back
    assert (sample.value(), sample.maximum(), element.value()) == (1, 1, 4)
    assert not sample.isEnabled()
    assert store.state.selected_sample == 4
    assert store.undo_stack.count() == steps + 1


def test_every_control_and_tab_has_a_name(dock: AnalysisDock) -> None:
    for name in ("Selected sample", "Selected element", "Through the activation", "Explanation"):
        named(dock, name, QWidget)
    for tab in dock.all_tabs:
        assert tab.accessibleName() == f"{tab.title} tab"
    titles = [dock.tabs.tabText(i) for i in range(dock.tabs.count())]
    assert titles == ["Invariance", "A vs B", "Sensitivity", "Running statistics", "Explain"]


def test_themes_restyle_the_plots(dock: AnalysisDock, store: Store) -> None:
    show_tab(dock, dock.sensitivity)
    dock.set_theme(DARK)
    assert dock.sensitivity.heat_map.widget.backgroundBrush().color().name() == "#1e1f22"
    show_tab(dock, dock.running)
    use(store, inputs_a=BATCH, method="batchnorm")
    assert dock.running.graphics.backgroundBrush().color().name() == "#1e1f22"


# --- in the main window ------------------------------------------------------------------------


def test_the_window_has_the_dock_at_the_bottom_closed_at_first(qtbot: QtBot) -> None:
    from normgui.qt.shell.main_window import MainWindow

    window = MainWindow(State(inputs_a=LN_A), persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.store.flush()
    dock = window.analysis_dock
    # Closed at first: the plots have the window's height, and no tab was made or computed.
    assert not dock.isVisible() and not dock.built
    plots_alone = window.plots.height()
    toggle = dock.toggleViewAction()
    assert toggle in window.findChild(QToolBar, "mainToolbar").actions()
    view_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    assert toggle in view_menu.actions()
    toggle.trigger()
    qtbot.waitUntil(lambda: dock.isVisible() and dock.built)
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    assert dock.invariance.compute_count == 1  # made, shown and computed at once
    # compact: the plots keep most of the height of the default window
    qtbot.waitUntil(lambda: window.plots.height() < plots_alone)
    assert dock.height() <= 240
    assert window.plots.height() >= 380
    dock.toggleViewAction().trigger()
    assert not dock.isVisible()
    count = dock.invariance.compute_count
    window.store.update("test", gamma=2.0)
    window.store.flush()
    assert dock.invariance.compute_count == count
    window._apply_theme(DARK)  # the dock follows the theme without complaint
    window.close()


def test_tabs_made_late_take_the_theme_and_the_current_frame(qtbot: QtBot, store: Store) -> None:
    dock = AnalysisDock(store)
    qtbot.addWidget(dock)
    dock.set_theme(DARK)
    use(store, inputs_a=LN_A, gamma=3.0)
    assert not dock.built
    dock.resize(1200, 320)
    dock.show()
    qtbot.waitExposed(dock)
    assert dock.built and dock.invariance.compute_count == 1
    assert all(tab._theme is DARK for tab in dock.all_tabs)
    show_tab(dock, dock.explain)
    assert dock.explain.explanation == explain(store.state)  # γ = 3, set before the tabs


def test_large_inputs_wait_for_a_pause(dock: AnalysisDock, store: Store, qtbot: QtBot) -> None:
    show_tab(dock, dock.compare)
    big = np.random.default_rng(0).normal(size=(150, 150))
    use(store, inputs_a=big, inputs_b=big + 1.0, compare=True)
    count = dock.compare.compute_count
    for gamma in (1.1, 1.2, 1.3):  # a drag: the tab does not compute on every frame
        use(store, gamma=gamma)
    assert dock.compare.compute_count == count
    qtbot.waitUntil(lambda: dock.compare.compute_count == count + 1, timeout=2000)
    assert dock.compare.differences["raw"].max_abs == pytest.approx(1.0)
    use(store, inputs_a=LN_A, compare=False)  # small inputs: at once
    assert dock.compare.compute_count == count + 2
