"""The "Activation" group (function and regime criterion) and the "Input transform" group."""

from __future__ import annotations

import dataclasses
from typing import Final

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from normgui.core.activations import CRITERIA
from normgui.core.methods import ACTIVATION_LABELS
from normgui.core.state import State
from normgui.qt.store import Store
from normgui.qt.widgets import CompactComboBox, NumberSpinBox, SliderSpin

CRITERION_LABELS: Final = {
    "tangent": "within tolerance of the tangent",
    "gradient": "slope ≥ fraction of the slope at 0",
}
assert tuple(CRITERION_LABELS) == CRITERIA


def _at_right(spin: QWidget) -> QWidget:
    """`spin` at the right of its row, in line with the spin boxes of the sliders above."""
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addStretch(1)
    layout.addWidget(spin)
    return row


def _set_combo(combo: QComboBox, key: str) -> None:
    with QSignalBlocker(combo):
        combo.setCurrentIndex(combo.findData(key))


def _set_spin(spin: NumberSpinBox, value: float) -> None:
    with QSignalBlocker(spin):
        spin.setValue(value)


class ActivationSection(QGroupBox):
    """The activation function and where its linear regime and saturation begin."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Activation", parent)
        self._store = store
        self.activation_combo = CompactComboBox("Activation")
        self.activation_combo.setToolTip("The function the normalized values go through")
        for key, label in ACTIVATION_LABELS.items():
            self.activation_combo.addItem(label, key)
        self.criterion_combo = CompactComboBox("Regime criterion")
        self.criterion_combo.setToolTip(
            "How the linear regime is judged: closeness to the tangent at 0, or a slope of at "
            "least a fraction of the slope at 0"
        )
        for key, label in CRITERION_LABELS.items():
            self.criterion_combo.addItem(label, key)
            self.criterion_combo.setItemData(
                self.criterion_combo.count() - 1,
                f"linear regime: {label}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.linear_tol_spin = NumberSpinBox(0.001, 0.2, 0.001, significant=3)
        self.linear_tol_spin.setAccessibleName("Linear-regime tolerance")
        self.linear_tol_spin.setToolTip("how far from its tangent the activation may be")
        self.slope_fraction_spin = NumberSpinBox(0.05, 0.99, 0.01, significant=3)
        self.slope_fraction_spin.setAccessibleName("Linear-regime slope fraction")
        self.slope_fraction_spin.setToolTip("the slope must be at least this × the slope at 0")
        self.saturation_spin = NumberSpinBox(0.01, 0.5, 0.01, significant=3)
        self.saturation_spin.setAccessibleName("Saturation ratio")
        self.saturation_spin.setToolTip(
            "saturated where the slope is at most this × the slope at 0"
        )
        self.form = QFormLayout(self)
        # Should a dock be narrower than a row, the field goes under its label, never off-screen.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.addRow("Function", self.activation_combo)
        # The criteria are long phrases: the combo gets the whole width, under its label.
        self.form.addRow(QLabel("Linear regime"))
        self.form.addRow(self.criterion_combo)
        self._linear_tol_row = _at_right(self.linear_tol_spin)
        self._slope_fraction_row = _at_right(self.slope_fraction_spin)
        self.form.addRow("Linear tolerance", self._linear_tol_row)
        self.form.addRow("Linear slope fraction", self._slope_fraction_row)
        self.form.addRow("Saturation ratio", _at_right(self.saturation_spin))

        self.activation_combo.currentIndexChanged.connect(self._on_activation_combo_changed)
        self.criterion_combo.currentIndexChanged.connect(self._on_criterion_combo_changed)
        self.linear_tol_spin.valueChanged.connect(self._on_linear_tol_spin_changed)
        self.slope_fraction_spin.valueChanged.connect(self._on_slope_fraction_spin_changed)
        self.saturation_spin.valueChanged.connect(self._on_saturation_spin_changed)

    def set_state(self, state: State) -> None:
        regime = state.regime
        _set_combo(self.activation_combo, state.activation)
        _set_combo(self.criterion_combo, regime.criterion)
        _set_spin(self.linear_tol_spin, regime.linear_tol)
        _set_spin(self.slope_fraction_spin, regime.linear_grad_ratio)
        _set_spin(self.saturation_spin, regime.saturation_ratio)
        # Each criterion has its own threshold; the other one would be a knob that does nothing.
        self.form.setRowVisible(self._linear_tol_row, regime.criterion == "tangent")
        self.form.setRowVisible(self._slope_fraction_row, regime.criterion == "gradient")

    def _on_activation_combo_changed(self, index: int) -> None:
        self._store.update("Change activation", activation=self.activation_combo.itemData(index))

    def _on_criterion_combo_changed(self, index: int) -> None:
        self._update_regime(
            "Change regime criterion", criterion=self.criterion_combo.itemData(index)
        )

    def _on_linear_tol_spin_changed(self, value: float) -> None:
        self._update_regime("Change linear-regime tolerance", merge=True, linear_tol=value)

    def _on_slope_fraction_spin_changed(self, value: float) -> None:
        self._update_regime(
            "Change linear-regime slope fraction", merge=True, linear_grad_ratio=value
        )

    def _on_saturation_spin_changed(self, value: float) -> None:
        self._update_regime("Change saturation ratio", merge=True, saturation_ratio=value)

    def _update_regime(self, label: str, merge: bool = False, **changes: object) -> None:
        try:
            regime = dataclasses.replace(self._store.state.regime, **changes)  # type: ignore[arg-type]
        except ValueError as exc:
            self._store.error.emit(str(exc))
            self.set_state(self._store.state)
            return
        self._store.update(label, merge=merge, regime=regime)


class InputSection(QGroupBox):
    """x → scale·x + shift before normalizing: LayerNorm's invariance, live."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Input transform", parent)
        self._store = store
        self.scale = SliderSpin(0.01, 100.0, 0.01, name="Input scale", log=True, factor=2.0)
        self.scale.setToolTip("multiplies the inputs before they are normalized (log scale)")
        self.shift = SliderSpin(-100.0, 100.0, 0.1, name="Input shift")
        self.shift.setToolTip("is added to the inputs before they are normalized")
        hint = QLabel("x → scale·x + shift, before normalizing")
        hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(hint)
        form.addRow("Scale", self.scale)
        form.addRow("Shift", self.shift)
        self.scale.value_edited.connect(self._on_scale_edited)
        self.shift.value_edited.connect(self._on_shift_edited)

    def set_state(self, state: State) -> None:
        self.scale.set_value(state.input_scale)
        self.shift.set_value(state.input_shift)

    def _on_scale_edited(self, value: float) -> None:
        self._store.update("Change input scale", merge=True, input_scale=value)

    def _on_shift_edited(self, value: float) -> None:
        self._store.update("Change input shift", merge=True, input_shift=value)
