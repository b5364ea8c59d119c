"""The normalization panel, both ways: widget → store, and store → widget (without writing back)."""

from __future__ import annotations

import math
from typing import TypeVar

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot

from normgui.core.activations import RegimeSettings
from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import RunningStats, update_running_stats
from normgui.core.pipeline import compute
from normgui.core.state import State
from normgui.qt.norm_panel import NormalizationPanel
from normgui.qt.store import Store
from normgui.qt.widgets import LogEditor, NumberSpinBox

W = TypeVar("W", bound=QWidget)
BATCH = np.random.default_rng(3).normal(2.0, 3.0, size=(5, 3))


def named(panel: QWidget, name: str, cls: type[W]) -> W:
    """The one widget of type `cls` whose accessible name is `name`."""
    found = [w for w in panel.findChildren(cls) if w.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} widgets named {name!r}"
    return found[0]


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def eps_editor(panel: NormalizationPanel) -> LogEditor:
    editor = panel.param_section.editors["eps"]
    assert isinstance(editor, LogEditor)
    return editor


def shown(panel: QWidget, name: str) -> bool:
    return named(panel, name, QWidget).isVisibleTo(panel)


@pytest.fixture
def panel(qtbot: QtBot, store: Store) -> NormalizationPanel:
    widget = NormalizationPanel(store)
    qtbot.addWidget(widget)
    return widget


def use(store: Store, **changes: object) -> None:
    """Put `changes` into the store as a program would (not through the panel)."""
    store.set_state(store.state.replace(**changes), "test")


def undo_steps(store: Store) -> int:
    return store.undo_stack.count()


# --- method -------------------------------------------------------------------------------------


def test_method_combo_lists_every_method_and_writes_it(
    panel: NormalizationPanel, store: Store
) -> None:
    combo = named(panel, "Normalization method", QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        s.label for s in METHOD_SPECS.values()
    ]
    combo.setCurrentIndex(combo.findData("batchnorm"))
    assert store.state.method == "batchnorm"
    assert store.undo_stack.undoText() == "Change method"
    assert named(panel, "Method formula", QLabel).text() == METHOD_SPECS["batchnorm"].formula


def test_method_from_the_store_is_shown_without_writing_back(
    panel: NormalizationPanel, store: Store
) -> None:
    use(store, method="minmax")
    combo = named(panel, "Normalization method", QComboBox)
    assert combo.currentData() == "minmax"
    assert named(panel, "Method description", QLabel).text() == METHOD_SPECS["minmax"].description
    assert undo_steps(store) == 1


@pytest.mark.parametrize(
    ("method", "visible", "hidden"),
    [
        ("layernorm", ["Gamma", "Beta", "Epsilon"], ["Groups", "Training mode", "Momentum"]),
        ("rmsnorm", ["Gamma", "Epsilon"], ["Beta", "Beta slider", "Groups"]),
        ("groupnorm", ["Groups", "Epsilon", "Beta"], ["Feature range minimum", "Momentum"]),
        (
            "batchnorm",
            ["Training mode", "Momentum", "Step running statistics", "Reset running statistics"],
            ["Groups", "Feature range maximum"],
        ),
        ("minmax", ["Feature range minimum", "Feature range maximum"], ["Epsilon", "Groups"]),
        ("identity", ["Gamma", "Beta"], ["Epsilon", "Epsilon slider", "Step running statistics"]),
    ],
)
def test_method_shows_its_parameter_rows(
    panel: NormalizationPanel, store: Store, method: str, visible: list[str], hidden: list[str]
) -> None:
    use(store, method=method)
    for name in visible:
        assert shown(panel, name), name
    for name in hidden:
        assert not shown(panel, name), name


def test_each_parameter_row_explains_itself(panel: NormalizationPanel) -> None:
    for key, editor in panel.param_section.editors.items():
        assert editor.toolTip() == editor.spec.meaning, key
        label = panel.param_section.form.labelForField(editor)
        assert label is not None and label.toolTip() == editor.spec.meaning


# --- γ and β: slider and spin box ---------------------------------------------------------------


def test_gamma_spin_writes_the_store_and_moves_the_slider(
    panel: NormalizationPanel, store: Store
) -> None:
    named(panel, "Gamma", QDoubleSpinBox).setValue(2.5)
    assert store.state.gamma == 2.5
    slider = named(panel, "Gamma slider", QSlider)
    assert slider.value() == round((2.5 + 10) / 0.05)


def test_beta_slider_writes_the_store_and_the_spin(panel: NormalizationPanel, store: Store) -> None:
    slider = named(panel, "Beta slider", QSlider)
    slider.setValue(slider.value() + 7)  # seven steps of 0.05
    assert store.state.beta == pytest.approx(0.35)
    assert named(panel, "Beta", QDoubleSpinBox).value() == store.state.beta
    assert named(panel, "Beta", QDoubleSpinBox).text() == "0.35"


def test_gamma_from_the_store_is_shown_without_writing_back(
    panel: NormalizationPanel, store: Store
) -> None:
    use(store, gamma=-3.0, beta=1.25)
    assert named(panel, "Gamma", QDoubleSpinBox).value() == -3.0
    assert named(panel, "Gamma slider", QSlider).value() == round(7 / 0.05)
    assert named(panel, "Beta", QDoubleSpinBox).value() == 1.25
    assert undo_steps(store) == 1
    assert store.state.gamma == -3.0


def test_a_slider_drag_is_one_undo_step(panel: NormalizationPanel, store: Store) -> None:
    slider = named(panel, "Gamma slider", QSlider)
    start = slider.value()
    for position in range(start, start + 40):
        slider.setValue(position + 1)
    assert store.state.gamma == pytest.approx(3.0)
    assert undo_steps(store) == 1
    assert store.undo_stack.undoText() == "Change γ"
    store.undo_stack.undo()
    assert store.state.gamma == 1.0
    assert slider.value() == start
    assert named(panel, "Gamma", QDoubleSpinBox).value() == 1.0


def test_a_value_beyond_the_slider_range_is_shown_truthfully(
    panel: NormalizationPanel, store: Store
) -> None:
    use(store, gamma=70.5)
    spin = named(panel, "Gamma", QDoubleSpinBox)
    assert spin.value() == 70.5 and spin.text() == "70.5"
    slider = named(panel, "Gamma slider", QSlider)
    assert slider.value() == slider.maximum()
    use(store, gamma=1.0)
    spin.setValue(50.0)  # back in the spec's range: the user's value is clamped to it
    assert store.state.gamma == 10.0


# --- ε ------------------------------------------------------------------------------------------


def test_eps_default_is_none_and_says_which(panel: NormalizationPanel, store: Store) -> None:
    assert store.state.eps is None
    check = named(panel, "Epsilon default", QCheckBox)
    assert check.isChecked()
    assert named(panel, "Epsilon", QDoubleSpinBox).text() == "1e-05"
    assert eps_editor(panel).default_label.text() == "1e-05"
    assert "1e-05 (PyTorch's)" in eps_editor(panel).default_label.toolTip()
    use(store, method="rmsnorm")
    assert "2.22e-16" in eps_editor(panel).default_label.text()
    assert named(panel, "Epsilon", QDoubleSpinBox).text() == "2.22e-16"


def test_eps_spin_takes_zero_and_the_slider_sits_left(
    panel: NormalizationPanel, store: Store
) -> None:
    named(panel, "Epsilon", QDoubleSpinBox).setValue(0.0)
    assert store.state.eps == 0.0
    assert not named(panel, "Epsilon default", QCheckBox).isChecked()
    assert named(panel, "Epsilon slider", QSlider).value() == 0
    assert store.undo_stack.undoText() == "Change ε"


def test_eps_default_check_goes_back_to_none(panel: NormalizationPanel, store: Store) -> None:
    use(store, eps=0.01)
    check = named(panel, "Epsilon default", QCheckBox)
    assert not check.isChecked()
    check.setChecked(True)
    assert store.state.eps is None
    check.setChecked(False)  # the default, now explicit
    assert store.state.eps == 1e-5


def test_eps_default_unchecked_is_the_exact_default(
    panel: NormalizationPanel, store: Store
) -> None:
    use(store, method="rmsnorm")
    named(panel, "Epsilon default", QCheckBox).setChecked(False)
    assert store.state.eps == np.finfo(np.float64).eps


def test_eps_slider_is_a_log_scale(panel: NormalizationPanel, store: Store) -> None:
    slider = named(panel, "Epsilon slider", QSlider)
    assert slider.maximum() == 120  # 1e-12 … 1 in tenths of a decade
    slider.setValue(90)
    assert store.state.eps == pytest.approx(1e-3)
    slider.setValue(0)
    assert store.state.eps == pytest.approx(1e-12)
    assert named(panel, "Epsilon", QDoubleSpinBox).text() == "1e-12"


def test_eps_typed_in_scientific_notation(
    panel: NormalizationPanel, store: Store, qtbot: QtBot
) -> None:
    spin = named(panel, "Epsilon", QDoubleSpinBox)
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin, "3e-9")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert store.state.eps == pytest.approx(3e-9)
    assert spin.text() == "3e-09"


def test_eps_arrows_move_by_decades_down_to_zero(panel: NormalizationPanel, store: Store) -> None:
    spin = named(panel, "Epsilon", QDoubleSpinBox)
    spin.stepBy(1)
    assert store.state.eps == pytest.approx(1e-4)
    use(store, eps=1e-12)
    spin.stepBy(-1)
    assert store.state.eps == 0.0
    spin.stepBy(1)
    assert store.state.eps == 1e-12


def test_number_spin_box_validates_text(qtbot: QtBot) -> None:
    from PySide6.QtGui import QValidator

    spin = NumberSpinBox(0.0, 1.0, 0.1)
    qtbot.addWidget(spin)
    assert spin.validate("1e-05", 0)[0] == QValidator.State.Acceptable
    assert spin.validate("1e-", 0)[0] == QValidator.State.Intermediate
    assert spin.validate("5", 0)[0] == QValidator.State.Intermediate  # out of range
    assert spin.validate("abc", 0)[0] == QValidator.State.Invalid
    assert spin.valueFromText("−0.5") == -0.5  # a typographic minus


# --- groups, feature range, training, momentum ------------------------------------------------


def test_groups_both_ways(panel: NormalizationPanel, store: Store) -> None:
    use(store, method="groupnorm")
    spin = named(panel, "Groups", QSpinBox)
    spin.setValue(4)
    assert store.state.groups == 4
    use(store, groups=1)
    assert spin.value() == 1
    assert store.undo_stack.undoText() == "test"


def test_feature_range_both_ways(panel: NormalizationPanel, store: Store) -> None:
    use(store, method="minmax")
    named(panel, "Feature range minimum", QDoubleSpinBox).setValue(-1.0)
    assert store.state.feature_range == (-1.0, 1.0)
    use(store, feature_range=(2.0, 5.0))
    assert named(panel, "Feature range minimum", QDoubleSpinBox).value() == 2.0
    assert named(panel, "Feature range maximum", QDoubleSpinBox).value() == 5.0


def test_an_invalid_feature_range_is_refused_and_reverts(
    panel: NormalizationPanel, store: Store, qtbot: QtBot
) -> None:
    use(store, method="minmax")
    before = store.state
    low = named(panel, "Feature range minimum", QDoubleSpinBox)
    with qtbot.waitSignal(store.error, timeout=1000) as error:
        low.setValue(3.0)
    assert "smaller to a larger" in error.args[0]
    assert store.state is before
    assert low.value() == 0.0


def test_training_and_eval_both_ways(panel: NormalizationPanel, store: Store) -> None:
    use(store, method="batchnorm")
    training = named(panel, "Training mode", QRadioButton)
    evaluation = named(panel, "Eval mode", QRadioButton)
    assert training.isChecked()
    evaluation.click()
    assert store.state.training is False
    training.click()
    assert store.state.training is True
    steps = undo_steps(store)
    use(store, training=False)
    assert evaluation.isChecked() and not training.isChecked()
    assert undo_steps(store) == steps + 1


def test_momentum_both_ways(panel: NormalizationPanel, store: Store) -> None:
    use(store, method="batchnorm")
    named(panel, "Momentum slider", QSlider).setValue(50)
    assert store.state.momentum == 0.5
    assert named(panel, "Momentum", QDoubleSpinBox).value() == 0.5
    use(store, momentum=0.25)
    assert named(panel, "Momentum slider", QSlider).value() == 25


# --- per feature --------------------------------------------------------------------------------


def test_per_feature_fills_from_the_scalars(panel: NormalizationPanel, store: Store) -> None:
    use(store, inputs_a=BATCH, gamma=2.0, beta=0.5)
    table = named(panel, "Per-feature gamma and beta table", QTableWidget)
    assert not table.isVisibleTo(panel)
    named(panel, "Per-feature gamma and beta", QCheckBox).setChecked(True)
    assert store.state.per_feature
    assert store.state.gamma_features == (2.0, 2.0, 2.0)
    assert store.state.beta_features == (0.5, 0.5, 0.5)
    assert table.isVisibleTo(panel)
    assert table.columnCount() == 3
    assert not named(panel, "Gamma", QDoubleSpinBox).isEnabled()
    named(panel, "Per-feature gamma and beta", QCheckBox).setChecked(False)
    assert not store.state.per_feature and not table.isVisibleTo(panel)


def test_per_feature_cell_edit(panel: NormalizationPanel, store: Store) -> None:
    use(store, inputs_a=BATCH, per_feature=True, gamma_features=(1.0, 2.0, 3.0))
    table = named(panel, "Per-feature gamma and beta table", QTableWidget)
    assert [cell(table, 0, c).text() for c in range(3)] == ["1", "2", "3"]
    assert [cell(table, 1, c).text() for c in range(3)] == ["0", "0", "0"]  # β padded with β
    cell(table, 1, 2).setText("-1.5")
    assert store.state.gamma_features == (1.0, 2.0, 3.0)
    assert store.state.beta_features == (0.0, 0.0, -1.5)


def test_per_feature_keeps_full_precision(panel: NormalizationPanel, store: Store) -> None:
    use(store, inputs_a=BATCH, per_feature=True, gamma_features=(math.pi, 2.0, 3.0))
    table = named(panel, "Per-feature gamma and beta table", QTableWidget)
    assert cell(table, 0, 0).text() == "3.142"
    cell(table, 0, 1).setText("4")
    assert store.state.gamma_features == (math.pi, 4.0, 3.0)


def test_per_feature_invalid_text_is_refused(
    panel: NormalizationPanel, store: Store, qtbot: QtBot
) -> None:
    use(store, inputs_a=BATCH, per_feature=True, gamma_features=(1.0, 2.0, 3.0))
    before = store.state
    table = named(panel, "Per-feature gamma and beta table", QTableWidget)
    with qtbot.waitSignal(store.error, timeout=1000) as error:
        cell(table, 0, 1).setText("two")
    assert "not a number" in error.args[0]
    assert store.state is before
    assert cell(table, 0, 1).text() == "2"


def test_per_feature_table_hides_beta_for_rmsnorm(panel: NormalizationPanel, store: Store) -> None:
    use(store, inputs_a=BATCH, per_feature=True, method="rmsnorm")
    table = named(panel, "Per-feature gamma and beta table", QTableWidget)
    assert not table.isRowHidden(0) and table.isRowHidden(1)


# --- running statistics -------------------------------------------------------------------------


def test_step_and_reset_running_statistics(panel: NormalizationPanel, store: Store) -> None:
    use(store, method="batchnorm", inputs_a=BATCH, momentum=0.5, input_scale=2.0, input_shift=1.0)
    label = named(panel, "Running statistics", QLabel)
    reset = named(panel, "Reset running statistics", QPushButton)
    assert label.text().startswith("step 0 · mean [0, 0, 0]")
    assert not reset.isEnabled()
    named(panel, "Step running statistics", QPushButton).click()
    expected = update_running_stats(RunningStats.initial(3), BATCH * 2.0 + 1.0, 0.5)
    assert len(store.state.running_history) == 1
    assert store.state.running.same_as(expected)
    assert store.undo_stack.undoText() == "Step running statistics"
    assert label.text().startswith("step 1 · mean [")
    named(panel, "Step running statistics", QPushButton).click()
    assert store.state.running.count == 2
    assert reset.isEnabled()
    reset.click()
    assert store.state.running_history == ()
    assert label.text().startswith("step 0")


def test_step_with_a_batch_of_one_is_refused(
    panel: NormalizationPanel, store: Store, qtbot: QtBot
) -> None:
    use(store, method="batchnorm", inputs_a=BATCH[:1])
    before = store.state
    with qtbot.waitSignal(store.error, timeout=1000) as error:
        named(panel, "Step running statistics", QPushButton).click()
    assert "batch of one" in error.args[0]
    assert store.state is before


# --- undo the normalization ---------------------------------------------------------------------


def test_undo_the_normalization_for_batchnorm(
    panel: NormalizationPanel, store: Store, qtbot: QtBot
) -> None:
    use(store, method="batchnorm", inputs_a=BATCH, gamma=3.0, beta=-2.0)
    steps = undo_steps(store)
    button = named(panel, "Undo the normalization", QPushButton)
    assert button.isEnabled()
    with qtbot.waitSignal(store.notice, timeout=1000) as notice:
        button.click()
    assert "√(Var + ε)" in notice.args[0]
    assert undo_steps(store) == steps + 1
    assert store.undo_stack.undoText() == "Undo the normalization"
    frame = compute(store.state)
    np.testing.assert_allclose(frame.a.affine, frame.a.raw, rtol=0, atol=1e-9)
    np.testing.assert_allclose(frame.a.raw, BATCH, rtol=0, atol=0)
    assert store.state.per_feature
    assert named(panel, "Per-feature gamma and beta table", QTableWidget).isVisibleTo(panel)


def test_undo_the_normalization_is_disabled_with_a_reason(
    panel: NormalizationPanel, store: Store
) -> None:
    use(store, method="layernorm", inputs_a=BATCH)
    button = named(panel, "Undo the normalization", QPushButton)
    assert not button.isEnabled()
    assert "single sample" in button.toolTip()
    use(store, inputs_a=BATCH[:1])
    assert button.isEnabled()
    button.click()
    frame = compute(store.state)
    np.testing.assert_allclose(frame.a.affine, frame.a.raw, rtol=0, atol=1e-9)
    assert not store.state.per_feature


# --- activation and regime ----------------------------------------------------------------------


def test_activation_both_ways(panel: NormalizationPanel, store: Store) -> None:
    combo = named(panel, "Activation", QComboBox)
    combo.setCurrentIndex(combo.findData("tanh"))
    assert store.state.activation == "tanh"
    use(store, activation="relu")
    assert combo.currentData() == "relu"


def test_regime_criterion_both_ways(panel: NormalizationPanel, store: Store) -> None:
    combo = named(panel, "Regime criterion", QComboBox)
    assert combo.currentText() == "within tolerance of the tangent"
    assert shown(panel, "Linear-regime tolerance")
    assert not shown(panel, "Linear-regime slope fraction")
    combo.setCurrentIndex(combo.findData("gradient"))
    assert store.state.regime.criterion == "gradient"
    assert shown(panel, "Linear-regime slope fraction")
    assert not shown(panel, "Linear-regime tolerance")
    use(store, regime=RegimeSettings(criterion="tangent"))
    assert combo.currentData() == "tangent"


def test_regime_thresholds_both_ways(panel: NormalizationPanel, store: Store) -> None:
    named(panel, "Linear-regime tolerance", QDoubleSpinBox).setValue(0.05)
    named(panel, "Saturation ratio", QDoubleSpinBox).setValue(0.2)
    assert store.state.regime == RegimeSettings(linear_tol=0.05, saturation_ratio=0.2)
    tol = named(panel, "Linear-regime tolerance", QDoubleSpinBox)
    assert (tol.minimum(), tol.maximum()) == (0.001, 0.2)
    use(store, regime=RegimeSettings("gradient", 0.02, 0.8, 0.3))
    assert named(panel, "Linear-regime slope fraction", QDoubleSpinBox).value() == 0.8
    assert named(panel, "Saturation ratio", QDoubleSpinBox).value() == 0.3
    named(panel, "Linear-regime slope fraction", QDoubleSpinBox).setValue(0.7)
    assert store.state.regime.linear_grad_ratio == 0.7


# --- input transform ----------------------------------------------------------------------------


def test_input_scale_and_shift_both_ways(panel: NormalizationPanel, store: Store) -> None:
    scale_slider = named(panel, "Input scale slider", QSlider)
    assert scale_slider.value() == scale_slider.maximum() // 2  # 1 sits in the middle of 0.01…100
    scale_slider.setValue(scale_slider.maximum())
    assert store.state.input_scale == 100.0
    named(panel, "Input shift", QDoubleSpinBox).setValue(-12.5)
    assert store.state.input_shift == -12.5
    use(store, input_scale=10.0, input_shift=3.0)
    assert named(panel, "Input scale", QDoubleSpinBox).value() == 10.0
    assert scale_slider.value() == round(3 / 0.01)
    assert named(panel, "Input shift slider", QSlider).value() == round(103 / 0.1)


def test_layernorm_is_blind_to_the_input_scale(panel: NormalizationPanel, store: Store) -> None:
    """What the scale slider is for: LayerNorm's output does not move."""
    before = compute(store.state).a.affine
    named(panel, "Input scale", QDoubleSpinBox).setValue(40.0)
    np.testing.assert_allclose(compute(store.state).a.affine, before, atol=1e-4)


def test_values_near_the_float_limit_are_shown(panel: NormalizationPanel, store: Store) -> None:
    # A session may hold γ = 1e308: the slider pins at its end instead of raising OverflowError.
    use(store, gamma=1e308, beta=-1e308, input_scale=1e308)
    assert named(panel, "Gamma", QDoubleSpinBox).value() == 1e308
    slider = named(panel, "Gamma slider", QSlider)
    assert slider.value() == slider.maximum()
    assert named(panel, "Beta slider", QSlider).value() == 0


# --- no feedback, no accidents ------------------------------------------------------------------


def test_a_whole_new_state_is_shown_without_writing_back(
    panel: NormalizationPanel, store: Store
) -> None:
    state = State(
        inputs_a=BATCH,
        method="batchnorm",
        gamma=2.0,
        beta=-1.0,
        eps=0.0,
        training=False,
        momentum=0.3,
        per_feature=True,
        gamma_features=(1.0, 2.0, 3.0),
        activation="gelu",
        regime=RegimeSettings("gradient", 0.02, 0.8, 0.2),
        input_scale=5.0,
        input_shift=-2.0,
        running_history=(update_running_stats(RunningStats.initial(3), BATCH),),
    )
    store.set_state(state, "test")
    assert store.state is state
    assert undo_steps(store) == 1
    assert named(panel, "Normalization method", QComboBox).currentData() == "batchnorm"
    assert named(panel, "Eval mode", QRadioButton).isChecked()
    assert named(panel, "Epsilon", QDoubleSpinBox).value() == 0.0
    assert named(panel, "Activation", QComboBox).currentData() == "gelu"
    assert named(panel, "Running statistics", QLabel).text().startswith("step 1 · mean [")
    store.undo_stack.undo()
    assert named(panel, "Normalization method", QComboBox).currentData() == "layernorm"
    assert undo_steps(store) == 1 and store.undo_stack.index() == 0


def test_the_wheel_scrolls_the_panel_not_an_unfocused_control(
    panel: NormalizationPanel, store: Store
) -> None:
    before = store.state
    controls: list[tuple[str, type[QWidget]]] = [
        ("Gamma slider", QSlider),
        ("Gamma", QDoubleSpinBox),
        ("Normalization method", QComboBox),
        ("Activation", QComboBox),
    ]
    for name, cls in controls:
        widget = named(panel, name, cls)
        assert widget.focusPolicy() == Qt.FocusPolicy.StrongFocus
        event = QWheelEvent(
            QPointF(5, 5),
            QPointF(5, 5),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)
        assert not event.isAccepted(), name
    assert store.state is before


# --- layout -------------------------------------------------------------------------------------


# Showing a top-level window offscreen makes the platform plugin say it ignores size hints.
@pytest.mark.parametrize("method", list(METHOD_SPECS))
def test_fits_a_300_px_dock_without_horizontal_scrolling(
    panel: NormalizationPanel, store: Store, method: str, qtbot: QtBot
) -> None:
    use(store, method=method, inputs_a=BATCH, per_feature=True)
    panel.resize(300, 500)  # short enough that every method's form scrolls
    panel.show()
    content = panel.scroll_area.widget()
    assert content is not None
    viewport = panel.scroll_area.viewport()
    # The layouts settle over a couple of turns of the event loop; then the content is exactly
    # as wide as the viewport, which a vertical scroll bar narrows.
    qtbot.waitUntil(lambda: content.width() == viewport.width(), timeout=2000)
    assert panel.minimumSizeHint().width() <= 300
    assert panel.scroll_area.verticalScrollBar().isVisible()
    assert content.minimumSizeHint().width() <= viewport.width()
    for label in content.findChildren(QLabel):
        if label.isVisible() and not label.wordWrap():
            assert label.width() >= label.sizeHint().width(), label.text()  # nothing cut off
