"""The sample and element the Explain and Sensitivity tabs look at: two small spin boxes that
write State.selected_sample and State.selected_feature (shown counted from 1, as the data table
counts its rows and columns)."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from normgui.core.context import selection
from normgui.core.state import State
from normgui.qt.store import Store
from normgui.qt.widgets import WholeSpinBox


class SelectionBox(QWidget):
    """'Sample [1] Element [3]': the selected element of A."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.sample_spin = WholeSpinBox()
        self.sample_spin.setAccessibleName("Selected sample")
        self.sample_spin.setToolTip("the sample (row of A) the Explain and Sensitivity tabs show")
        self.element_spin = WholeSpinBox()
        self.element_spin.setAccessibleName("Selected element")
        self.element_spin.setToolTip(
            "the element (column of A) the Explain and Sensitivity tabs show"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(4)
        for text, spin in (("Sample", self.sample_spin), ("Element", self.element_spin)):
            label = QLabel(text)
            label.setBuddy(spin)
            spin.setMinimum(1)
            spin.setKeyboardTracking(False)
            layout.addWidget(label)
            layout.addWidget(spin)
        self.sample_spin.valueChanged.connect(self._on_sample_spin_value_changed)
        self.element_spin.valueChanged.connect(self._on_element_spin_value_changed)
        store.state_changed.connect(self.set_state)
        self.set_state(store.state)

    def set_state(self, state: State) -> None:
        n, d = state.inputs_a.shape
        sample, feature = selection(state)
        for spin, maximum, value in (
            (self.sample_spin, n, sample + 1),
            (self.element_spin, d, feature + 1),
        ):
            with QSignalBlocker(spin):
                spin.setMaximum(maximum)
                spin.setValue(value)
                spin.setEnabled(maximum > 1)

    def _on_sample_spin_value_changed(self, value: int) -> None:
        self._store.update("Select sample", merge=True, selected_sample=value - 1)

    def _on_element_spin_value_changed(self, value: int) -> None:
        self._store.update("Select element", merge=True, selected_feature=value - 1)
