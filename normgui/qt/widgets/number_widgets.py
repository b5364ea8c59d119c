"""Number controls for a narrow panel: a spin box that shows numbers as people write them,
and a slider kept in step with a spin box (on a linear or a log scale).

Neither takes the mouse wheel unless it has the keyboard focus: the panel scrolls under the
wheel, and a lecturer scrolling it must not change γ on the way.
"""

from __future__ import annotations

import math
import re
from typing import Final

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QSlider,
    QSpinBox,
    QWidget,
)

_NUMBER: Final = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_PARTIAL: Final = re.compile(r"[+-]?\d*\.?\d*([eE][+-]?\d*)?")


def _parse(text: str) -> float | None:
    text = text.strip().replace("−", "-")
    return float(text) if _NUMBER.fullmatch(text) else None


class _WheelOnlyWhenFocused:
    """Mixin: the wheel goes to the scroll area unless the widget has the focus, so scrolling a
    panel never changes a value by accident. Put it before the Qt class in the bases."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()


class WheelWhenFocusedSlider(_WheelOnlyWhenFocused, QSlider):
    """A slider that passes the wheel on to the scroll area unless it has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WholeSpinBox(_WheelOnlyWhenFocused, QSpinBox):
    """A spin box of whole numbers that passes the wheel on unless it has the focus."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class CompactComboBox(_WheelOnlyWhenFocused, QComboBox):
    """A combo box that does not ask for the width of its longest item (the popup shows it)
    and passes the wheel on unless it has the focus."""

    def __init__(self, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)


class NumberSpinBox(_WheelOnlyWhenFocused, QDoubleSpinBox):
    """A spin box that shows numbers as people write them (1e-05, 0.003162, 70.71).

    QDoubleSpinBox rounds to a fixed number of decimals, which cannot show ε = 1e-12; this one
    keeps the full value and shows `significant` digits. With `factor`, the arrows multiply or
    divide by it (a log scale, down to `floor`, below which comes the minimum) instead of adding
    a step.
    """

    def __init__(
        self,
        minimum: float,
        maximum: float,
        step: float,
        *,
        significant: int = 4,
        factor: float | None = None,
        floor: float = 1e-12,
        widest: str = "-1.259e-05",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._format = f"%.{significant}g"
        self._factor = factor
        self._floor = max(floor, minimum)
        self.setDecimals(40)  # (next to) no rounding of the value; the text is formatted here
        self.setRange(minimum, maximum)
        self.setSingleStep(step)
        self.setKeyboardTracking(False)  # commit on Enter, focus out or the arrows
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Wide enough for the `widest` text it will show in practice, no wider: the panel sits
        # in a narrow dock.
        width = self.fontMetrics().horizontalAdvance(widest) + 26
        self.setMinimumWidth(width)
        self.setMaximumWidth(width)

    def textFromValue(self, value: float) -> str:
        return self._format % value

    def valueFromText(self, text: str) -> float:
        value = _parse(text)
        return self.value() if value is None else value

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        value = _parse(text)
        if value is not None and self.minimum() <= value <= self.maximum():
            return QValidator.State.Acceptable, text, pos
        if value is not None or _PARTIAL.fullmatch(text.strip().replace("−", "-")):
            return QValidator.State.Intermediate, text, pos
        return QValidator.State.Invalid, text, pos

    def fixup(self, text: str) -> str:
        value = _parse(text)
        return text if value is None else self.textFromValue(self._clamp(value))

    def stepBy(self, steps: int) -> None:
        if self._factor is None:
            super().stepBy(steps)
            return
        # On a log scale 0 has no place: up from 0 starts at the floor, down past it gives 0.
        current = self.value()
        if current < self._floor:
            value = self._floor if steps > 0 else self.minimum()
        else:
            value = current * self._factor**steps
            if value < self._floor * (1 - 1e-9):
                value = self.minimum()
        self.setValue(self._clamp(value))

    def _clamp(self, value: float) -> float:
        return min(max(value, self.minimum()), self.maximum())


class SliderSpin(QWidget):
    """A horizontal slider and a spin box that show the same number.

    The slider has integer positions mapped onto [minimum, maximum] in steps of `step`
    (of log10 of the value when `log`); the spin box takes any value in the range. A value the
    State holds beyond the range is shown truthfully: the spin box widens, the slider pins.
    `stacked` puts the slider under the spin box, as wide as the whole field: a wide range
    (γ from −10 to 10) then gets some 0.1 a pixel in a narrow panel rather than 0.2. `widest`
    is the longest text the spin box shows in practice.
    """

    value_edited = Signal(float)

    def __init__(
        self,
        minimum: float,
        maximum: float,
        step: float,
        *,
        name: str,
        log: bool = False,
        spin_step: float | None = None,
        factor: float | None = None,
        stacked: bool = False,
        widest: str = "-1.259e-05",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._log = log
        self._lo = math.log10(minimum) if log else minimum
        self._step = step
        top = math.log10(maximum) if log else maximum
        self.slider = WheelWhenFocusedSlider()
        self.slider.setRange(0, round((top - self._lo) / step))
        self.slider.setMinimumWidth(40)
        self.slider.setAccessibleName(f"{name} slider")
        # On a log scale from a tiny minimum (ε from 1e-12) the spin box also takes 0.
        spin_min = 0.0 if log and minimum < 1e-6 else minimum
        self._spin_range = (spin_min, maximum)
        self.spin = NumberSpinBox(
            spin_min, maximum, spin_step or step, factor=factor, floor=minimum, widest=widest
        )
        self.spin.setAccessibleName(name)
        self.slider.setToolTip(
            f"{name}: drag, or with the keyboard ← → (Page Up / Page Down for big steps)"
        )
        self.spin.setToolTip(f"{name}: type a value and press Enter, or use the arrows")
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(0)
        if stacked:
            layout.addWidget(self.spin, 0, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(self.slider, 1, 0)
        else:
            layout.addWidget(self.slider, 0, 0)
            layout.addWidget(self.spin, 0, 1)
            layout.setColumnStretch(0, 1)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.spin.valueChanged.connect(self._on_spin_value_changed)

    def value(self) -> float:
        return self.spin.value()

    def set_tips(self, meaning: str) -> None:
        """Say what the value means in both tooltips, and how each is used."""
        name = self.spin.accessibleName()
        self.slider.setToolTip(
            f"{meaning}\nDrag, or with the keyboard ← → (Page Up / Page Down for big steps)"
        )
        self.spin.setToolTip(f"{meaning}\nType a value and press Enter, or use the arrows ({name})")

    def set_value(self, value: float) -> None:
        """Show `value` in both, emitting nothing."""
        lo, hi = self._spin_range
        with QSignalBlocker(self.spin):
            self.spin.setRange(min(lo, value), max(hi, value))
            if value != self.spin.value():
                self.spin.setValue(value)
        self._show_on_slider(value)

    def _position(self, value: float) -> int:
        if self._log:
            if value <= 0:
                return 0
            value = math.log10(value)
        position = (value - self._lo) / self._step
        if not math.isfinite(position):  # a value near ±1e308 (from a session or a script)
            return 0 if position < 0 else self.slider.maximum()
        return min(max(round(position), 0), self.slider.maximum())

    def _value_at(self, position: int) -> float:
        x = self._lo + position * self._step
        # Rounding to the step's digits: 0.1·3 shows as 0.3, not 0.30000000000000004.
        digits = max(0, -math.floor(math.log10(self._step))) + 2
        return float(f"{10**x:.4g}") if self._log else round(x, digits)

    def _show_on_slider(self, value: float) -> None:
        with QSignalBlocker(self.slider):
            self.slider.setValue(self._position(value))

    def _on_slider_value_changed(self, position: int) -> None:
        value = self._value_at(position)
        with QSignalBlocker(self.spin):
            self.spin.setValue(value)
        self.value_edited.emit(value)

    def _on_spin_value_changed(self, value: float) -> None:
        self._show_on_slider(value)
        self.value_edited.emit(value)
