"""The "Parameters" group: a form generated from the method's ParamSpecs, γ and β per feature,
BatchNorm's running statistics, and the one-click undo of the normalization.

Every parameter's editor is made once; a method change only shows or hides rows.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np
from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from normgui.core.inverse import apply_identity, identity_parameters, identity_unavailable
from normgui.core.inverse import scaled_inputs as scaled_a
from normgui.core.methods import METHOD_SPECS, PARAMS, ParamSpec
from normgui.core.normalize import DEFAULT_EPS, default_eps, update_running_stats
from normgui.core.state import State
from normgui.qt.norm_panel.feature_table import FeatureTable
from normgui.qt.store import Store
from normgui.qt.widgets import LogEditor, ParamEditor, make_editor

IDENTITY_TIP = (
    "Set γ and β so that γ·x̂ + β gives back the input: the normalization undone. "
    "This is why BatchNorm has γ and β: γ = √(Var + ε), β = E[x]."
)


def undo_label(spec: ParamSpec) -> str:
    """'Change γ' for 'Gamma γ', 'Change momentum' for 'Momentum': one name per control, so
    that a slider drag merges into one undo step."""
    symbol = spec.label.split()[-1]
    return f"Change {symbol if not symbol.isascii() else spec.label.lower()}"


def default_eps_text(method: str) -> str:
    value = default_eps(method)
    if value is None:
        return "none"
    if DEFAULT_EPS[method] == "dtype":
        return f"{value:.3g} (machine ε)"
    return f"{value:.3g} (PyTorch's)"


def fitted(values: tuple[float, ...], n: int, fill: float) -> tuple[float, ...]:
    """Per-feature values padded with the scalar (or cut) to n, as the pipeline uses them."""
    return (*values[:n], *(fill,) * max(0, n - len(values)))


def short(values: np.ndarray, shown: int = 3) -> str:
    text = ", ".join(f"{v:.3g}" for v in values[:shown])
    return f"[{text}{', …' if values.size > shown else ''}]"


class ParameterSection(QGroupBox):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Parameters", parent)
        self._store = store
        self.form = QFormLayout(self)
        # Should a dock be narrower than a row, the field goes under its label, never off-screen.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, ParamEditor] = {}
        for key, spec in PARAMS.items():
            editor = make_editor(spec)
            label = QLabel(spec.label)
            label.setToolTip(spec.meaning)
            self.form.addRow(label, editor)
            if key == "beta":
                after_affine = self.form.rowCount()
            self.editors[key] = editor
            editor.edited.connect(partial(self._on_param_edited, key))

        self.per_feature_check = QCheckBox("Per feature")
        self.per_feature_check.setAccessibleName("Per-feature gamma and beta")
        self.per_feature_check.setToolTip("one γ and one β for each feature (column) of A")
        self.feature_table = FeatureTable()
        # γ and β per feature belong right under the scalar γ and β.
        self.form.insertRow(after_affine, "", self.per_feature_check)
        self.form.insertRow(after_affine + 1, self.feature_table)

        self.running = QWidget()
        self.running.setToolTip("BatchNorm's running mean and variance, used in eval mode")
        self.step_button = QPushButton("Step")
        self.step_button.setAccessibleName("Step running statistics")
        self.step_button.setToolTip("update the running statistics from the batch A (momentum)")
        self.reset_button = QPushButton("Reset")
        self.reset_button.setAccessibleName("Reset running statistics")
        self.reset_button.setToolTip("back to fresh buffers: mean 0, variance 1")
        self.running_label = QLabel()
        self.running_label.setWordWrap(True)
        self.running_label.setAccessibleName("Running statistics")
        buttons = QHBoxLayout()
        buttons.addWidget(self.step_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        running_layout = QVBoxLayout(self.running)
        running_layout.setContentsMargins(0, 0, 0, 0)
        running_layout.setSpacing(2)
        running_layout.addWidget(QLabel("Running statistics"))
        running_layout.addLayout(buttons)
        running_layout.addWidget(self.running_label)
        self.form.addRow(self.running)

        self.identity_button = QPushButton("Undo the normalization")
        self.identity_button.setAccessibleName("Undo the normalization")
        self.form.addRow(self.identity_button)

        self.per_feature_check.toggled.connect(self._on_per_feature_check_toggled)
        self.feature_table.edited.connect(self._on_feature_table_edited)
        self.feature_table.invalid.connect(self._store.error)
        self.step_button.clicked.connect(self._on_step_button_clicked)
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.identity_button.clicked.connect(self._on_identity_button_clicked)

    # --- model → widgets ---------------------------------------------------------------------

    def set_state(self, state: State) -> None:
        """Show `state`; the editors emit nothing while being set."""
        spec = METHOD_SPECS[state.method]
        for key, editor in self.editors.items():
            self.form.setRowVisible(editor, key in spec.params)
            if isinstance(editor, LogEditor):
                editor.set_default(default_eps(state.method), default_eps_text(state.method))
                editor.default_check.setToolTip(
                    f"use {spec.label}'s default ε, the one PyTorch uses: "
                    f"{default_eps_text(state.method)}"
                )
            editor.set_value(getattr(state, key))
        for key in ("gamma", "beta"):
            self.editors[key].setEnabled(not state.per_feature)
        with QSignalBlocker(self.per_feature_check):
            self.per_feature_check.setChecked(state.per_feature)
        self.form.setRowVisible(self.feature_table, state.per_feature)
        if state.per_feature:
            n = state.inputs_a.shape[1]
            self.feature_table.set_values(
                fitted(state.gamma_features, n, state.gamma),
                fitted(state.beta_features, n, state.beta),
            )
            self.feature_table.set_beta_shown("beta" in spec.params)
        # Running statistics exist for the methods with a momentum: BatchNorm.
        self.form.setRowVisible(self.running, "momentum" in spec.params)
        stats = state.running
        self.running_label.setText(
            f"step {stats.count} · mean {short(stats.mean)} · var {short(stats.var)}"
        )
        self.running_label.setToolTip(
            f"running mean {short(stats.mean, 20)}\nrunning var {short(stats.var, 20)}"
        )
        self.reset_button.setEnabled(bool(state.running_history))
        reason = identity_unavailable(state)
        self.identity_button.setEnabled(reason is None)
        self.identity_button.setToolTip(IDENTITY_TIP if reason is None else f"Not here: {reason}.")

    # --- widgets → model ---------------------------------------------------------------------

    def _on_param_edited(self, key: str, value: object) -> None:
        spec = PARAMS[key]
        # A drag of a slider (or typing ε) merges into one undo step; a toggle is its own step.
        merge = spec.kind in ("float", "log")
        if not self._store.update(undo_label(spec), merge=merge, **{key: value}):
            self.set_state(self._store.state)  # refused (the store said why): show what holds

    def _on_per_feature_check_toggled(self, checked: bool) -> None:
        state = self._store.state
        changes: dict[str, Any] = {"per_feature": checked}
        n = state.inputs_a.shape[1]
        if checked and not state.gamma_features:
            changes["gamma_features"] = (state.gamma,) * n
        if checked and not state.beta_features:
            changes["beta_features"] = (state.beta,) * n
        self._store.update("Per-feature γ and β", **changes)

    def _on_feature_table_edited(self, gammas: tuple[float, ...], betas: tuple[float, ...]) -> None:
        if not self._store.update(
            "Change per-feature γ and β", gamma_features=gammas, beta_features=betas
        ):
            self.set_state(self._store.state)

    def _on_step_button_clicked(self) -> None:
        state = self._store.state
        try:
            stats = update_running_stats(state.running, scaled_a(state), state.momentum)
        except ValueError as exc:
            self._store.error.emit(str(exc))
            return
        self._store.update(
            "Step running statistics", running_history=(*state.running_history, stats)
        )

    def _on_reset_button_clicked(self) -> None:
        self._store.update("Reset running statistics", running_history=())

    def _on_identity_button_clicked(self) -> None:
        state = self._store.state
        try:
            params = identity_parameters(state)
            new = apply_identity(state, params)
        except ValueError as exc:
            self._store.error.emit(str(exc))
            return
        self._store.set_state(new, "Undo the normalization")
        self._store.notice.emit(params.note)
