"""A compact, collapsible form that asks for generated example data.

The form keeps no State: it only builds a GeneratorSpec and a target, and emits
`generate_requested` when the button is pressed; the panel generates and writes the State.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from normgui.core.generators import GENERATOR_LABELS, GENERATORS, GeneratorSpec

MAX_SIDE: Final = 1000
MAX_SEED: Final = 2**31 - 1
_PARAM_LIMIT: Final = 1e9

# For each kind: (shown label, accessible name, tooltip) of parameters a and b; None: unused.
_Param = tuple[str, str, str] | None
PARAMS: Final[dict[str, tuple[_Param, _Param]]] = {
    "normal": (
        ("μ", "Mean μ", "The mean μ of the normal distribution"),
        ("σ", "Standard deviation σ", "The standard deviation σ (≥ 0)"),
    ),
    "uniform": (
        ("a", "Low end a", "The low end a of the uniform range"),
        ("b", "High end b", "The high end b of the uniform range (≥ a)"),
    ),
    "pixels": (None, None),
    "constant": (("value", "Constant value", "Every generated value equals this"), None),
    "outliers": (
        ("μ", "Mean μ", "The mean μ of the normal bulk"),
        (
            "σ",
            "Standard deviation σ",
            "Its standard deviation σ; about 5 % of the values lie 10 σ out",
        ),
    ),
}


def _spin(name: str, tip: str, low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setAccessibleName(name)
    spin.setToolTip(tip)
    spin.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return spin


def _double_spin() -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(-_PARAM_LIMIT, _PARAM_LIMIT)
    spin.setDecimals(3)
    spin.setSingleStep(0.1)
    spin.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
    return spin


class GeneratorBox(QWidget):
    """Kind, size, parameters, seed and target of generated data, and a Generate button."""

    generate_requested = Signal(object, str)  # GeneratorSpec, "A" or "B"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setText("Generate data")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow)
        # A section heading, not a pressed button: the arrow says whether it is open.
        self.toggle.setStyleSheet("QToolButton { border: none; font-weight: bold; }")
        self.toggle.setAccessibleName("Show the data generator")
        self.toggle.setToolTip("Show or hide the generator of example data")
        self.body = QWidget(self)

        self.kind = QComboBox()
        for kind in GENERATORS:
            self.kind.addItem(GENERATOR_LABELS[kind], kind)
        self.kind.setAccessibleName("Generator kind")
        self.kind.setToolTip("What kind of values to generate")
        self.rows = _spin("Rows", "How many rows (samples) to generate", 1, MAX_SIDE, 4)
        self.cols = _spin("Columns", "How many columns (features) to generate", 1, MAX_SIDE, 4)
        self.param_a, self.param_b = _double_spin(), _double_spin()
        self.param_b.setValue(1.0)
        self.label_a, self.label_b = QLabel(), QLabel()
        self.label_a.setBuddy(self.param_a)
        self.label_b.setBuddy(self.param_b)
        self.seed = _spin(
            "Seed", "The same seed always gives the same data; change it for new data", 0,
            MAX_SEED, 0,
        )  # fmt: skip
        self.target = QComboBox()
        self.target.addItem("A", "A")
        self.target.addItem("B", "B")
        self.target.setAccessibleName("Generate into")
        self.target.setToolTip("Which input the generated data replaces")
        self.target_label = QLabel("Into")
        self.target_label.setBuddy(self.target)
        self.button = QPushButton("Generate")
        self.button.setAccessibleName("Generate")
        self.button.setToolTip("Replace the input with generated data (one step to undo)")

        self._lay_out()

        self.toggle.toggled.connect(self._on_toggle_toggled)
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.button.clicked.connect(self._on_button_clicked)
        self._on_kind_current_index_changed()
        self.set_compare(False)

    def _lay_out(self) -> None:
        """The heading that opens and closes the generator, and its form."""
        size = QHBoxLayout()
        size.setSpacing(4)
        size.addWidget(self.rows, 1)
        size.addWidget(QLabel("×"))
        size.addWidget(self.cols, 1)
        params = QHBoxLayout()
        params.setSpacing(4)
        params.addWidget(self.label_a)
        params.addWidget(self.param_a, 1)
        params.addWidget(self.label_b)
        params.addWidget(self.param_b, 1)
        seed = QHBoxLayout()
        seed.setSpacing(4)
        seed.addWidget(self.seed, 1)
        seed.addWidget(self.target_label)
        seed.addWidget(self.target)
        form = QFormLayout(self.body)
        form.setContentsMargins(14, 0, 0, 0)
        form.setHorizontalSpacing(6)
        form.setVerticalSpacing(4)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Kind", self.kind)
        form.addRow("Size", size)
        form.addRow("Values", params)
        self._form, self._params_row = form, form.rowCount() - 1
        form.addRow("Seed", seed)
        form.addRow(self.button)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        outer.addWidget(self.toggle)
        outer.addWidget(self.body)

    def spec(self) -> GeneratorSpec:
        """What the form asks for."""
        return GeneratorSpec(
            kind=str(self.kind.currentData()),
            rows=self.rows.value(),
            cols=self.cols.value(),
            a=self.param_a.value(),
            b=self.param_b.value(),
            seed=self.seed.value(),
        )

    def set_compare(self, on: bool) -> None:
        """Offer B as a target only when B is compared."""
        self.target.setVisible(on)
        self.target_label.setVisible(on)
        if not on:
            self.target.setCurrentIndex(0)

    def _on_toggle_toggled(self, on: bool) -> None:
        self.body.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

    def _on_kind_current_index_changed(self) -> None:
        a, b = PARAMS[str(self.kind.currentData())]
        # The row first (pixels: no parameters): showing a row shows every field in it.
        self._form.setRowVisible(self._params_row, a is not None)
        for param, label, spin in (
            (a, self.label_a, self.param_a),
            (b, self.label_b, self.param_b),
        ):
            label.setVisible(param is not None)
            spin.setVisible(param is not None)
            if param is not None:
                label.setText(param[0])
                spin.setAccessibleName(param[1])
                spin.setToolTip(param[2])
        # σ cannot be negative: the spin box says so before the generator has to.
        self.param_b.setMinimum(0.0 if b is not None and b[0] == "σ" else -_PARAM_LIMIT)

    def _on_button_clicked(self) -> None:
        self.generate_requested.emit(self.spec(), str(self.target.currentData()))
