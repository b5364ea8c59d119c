"""Editors for one parameter each, made from its ParamSpec: the form is generated, not written.

Every editor emits `edited(value)` only when the *user* changes it; `set_value` shows a value
without emitting anything, so the panel can mirror the State with no feedback loop.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from normgui.core.methods import ParamSpec
from normgui.qt.widgets.number_widgets import NumberSpinBox, SliderSpin, WholeSpinBox

WIDE_RANGE: Final = 5.0
# The text (true, false, accessible name of false) of a bool parameter's two buttons.
BOOL_CHOICES: Final[dict[str, tuple[str, str, str]]] = {
    "training": ("Training", "Eval", "Eval mode"),
}


def accessible_name(spec: ParamSpec) -> str:
    """'Gamma γ' → 'Gamma': the label without its symbol, for screen readers and tests."""
    return " ".join(word for word in spec.label.split() if word.isascii())


class ParamEditor(QWidget):
    """The editor of one ParamSpec; `edited` carries the new value (None: the default)."""

    edited = Signal(object)

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setToolTip(spec.meaning)

    def set_value(self, value: object) -> None:
        raise NotImplementedError


class FloatEditor(ParamEditor):
    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        # A wide range (γ and β, −10 to 10) gets a slider under its box, as wide as the field.
        wide = spec.maximum - spec.minimum >= WIDE_RANGE
        self.control = SliderSpin(
            spec.minimum,
            spec.maximum,
            spec.step,
            name=accessible_name(spec),
            stacked=wide,
            widest="-10.05" if wide else "0.005",
        )
        self.control.set_tips(spec.meaning)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.control)
        self.control.value_edited.connect(self.edited.emit)

    def set_value(self, value: object) -> None:
        assert isinstance(value, (int, float))
        self.control.set_value(float(value))


class LogEditor(ParamEditor):
    """A log-scale slider, a spin box in scientific notation, and a 'Default' check (None).

    The arrows of the spin box move by factors of 10; 0 can be typed (the slider then sits at
    its left end).
    """

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        name = accessible_name(spec)
        self.control = SliderSpin(
            spec.minimum, spec.maximum, spec.step, name=name, log=True, factor=10.0
        )
        self.control.set_tips(spec.meaning)
        self.default_check = QCheckBox("Default:")
        self.default_check.setAccessibleName(f"{name} default")
        # One line, never wrapped: a wrapped label in a form row was given one line's height
        # and cut in half.
        self.default_label = QLabel()
        self.default_label.setWordWrap(False)
        self.default_label.setBuddy(self.default_check)
        default_row = QHBoxLayout()
        default_row.addWidget(self.default_check)
        default_row.addWidget(self.default_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.control)
        layout.addLayout(default_row)
        self._default: float | None = None
        self.control.value_edited.connect(self.edited.emit)
        self.default_check.toggled.connect(self._on_default_check_toggled)

    def set_default(self, value: float | None, text: str) -> None:
        """The value None stands for, and where it comes from ('1e-05 (PyTorch's)'): the value
        beside the check box, where it comes from in the tooltip (the dock is narrow)."""
        self._default = value
        self.default_label.setText("none" if value is None else f"{value:.3g}")
        self.default_label.setToolTip(f"The default: {text}")

    def set_value(self, value: object) -> None:
        assert value is None or isinstance(value, (int, float))
        with QSignalBlocker(self.default_check):
            self.default_check.setChecked(value is None)
        shown = self._default if value is None else float(value)
        self.control.set_value(0.0 if shown is None else shown)

    def _on_default_check_toggled(self, checked: bool) -> None:
        # Unchecking keeps the value shown, now as an explicit ε.
        if checked:
            self.edited.emit(None)
        else:
            self.edited.emit(self.control.value() if self._default is None else self._default)


class IntEditor(ParamEditor):
    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.spin = WholeSpinBox()
        self.spin.setRange(int(spec.minimum), int(spec.maximum))
        self.spin.setSingleStep(max(1, int(spec.step)))
        self.spin.setAccessibleName(accessible_name(spec))
        self.spin.setKeyboardTracking(False)  # typing 12 is one change, not 1 then 12
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.spin)
        layout.addStretch(1)
        self.spin.valueChanged.connect(self.edited.emit)

    def set_value(self, value: object) -> None:
        assert isinstance(value, int)
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)


class RangeEditor(ParamEditor):
    """Two spin boxes, minimum and maximum; the State judges the pair (min < max)."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        name = accessible_name(spec)
        self.low = NumberSpinBox(spec.minimum, spec.maximum, spec.step, widest="-10.05")
        self.high = NumberSpinBox(spec.minimum, spec.maximum, spec.step, widest="-10.05")
        self.low.setAccessibleName(f"{name} minimum")
        self.high.setAccessibleName(f"{name} maximum")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.low)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.high)
        layout.addStretch(1)
        self.low.valueChanged.connect(self._on_spin_value_changed)
        self.high.valueChanged.connect(self._on_spin_value_changed)

    def set_value(self, value: object) -> None:
        assert isinstance(value, tuple)
        for spin, v in zip((self.low, self.high), value, strict=True):
            with QSignalBlocker(spin):
                spin.setValue(float(v))

    def _on_spin_value_changed(self, _value: float) -> None:
        self.edited.emit((self.low.value(), self.high.value()))


class BoolEditor(ParamEditor):
    """A segmented pair of radio buttons (Training / Eval)."""

    def __init__(self, spec: ParamSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        name = accessible_name(spec)
        on_text, off_text, off_name = BOOL_CHOICES.get(spec.key, ("On", "Off", f"{name} off"))
        self.on = QRadioButton(on_text)
        self.off = QRadioButton(off_text)
        self.on.setAccessibleName(name)
        self.off.setAccessibleName(off_name)
        self._group = QButtonGroup(self)
        self._group.addButton(self.on)
        self._group.addButton(self.off)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.on)
        layout.addWidget(self.off)
        layout.addStretch(1)
        self.on.toggled.connect(self.edited.emit)

    def set_value(self, value: object) -> None:
        with QSignalBlocker(self.on), QSignalBlocker(self.off):
            (self.on if value else self.off).setChecked(True)


_EDITORS: Final[dict[str, type[ParamEditor]]] = {
    "float": FloatEditor,
    "log": LogEditor,
    "int": IntEditor,
    "range": RangeEditor,
    "bool": BoolEditor,
}


def make_editor(spec: ParamSpec, parent: QWidget | None = None) -> ParamEditor:
    """The editor for `spec`, chosen by its kind."""
    return _EDITORS[spec.kind](spec, parent)
