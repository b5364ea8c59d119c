"""The right-hand panel: the normalization, its parameters, the activation, the input transform.

A thin Qt shell over the Store, in ndv's manner: every `_on_<widget>_<signal>` handler only
writes a change to the store; `_on_state_changed` shows the State in every widget with the
widgets' signals blocked, so showing a value never writes it back.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, QSize, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGroupBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from normgui.core.methods import METHOD_SPECS
from normgui.core.state import State
from normgui.qt.norm_panel.activation_section import ActivationSection, InputSection
from normgui.qt.norm_panel.param_section import ParameterSection
from normgui.qt.store import Store
from normgui.qt.widgets import CompactComboBox


class MethodSection(QGroupBox):
    """The method, its one-line description and its formula."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__("Normalization", parent)
        self._store = store
        self.method_combo = CompactComboBox("Normalization method")
        self.method_combo.setToolTip(
            "The normalization: which statistics it takes, and over what (each sample, each "
            "feature); its formula is below"
        )
        for key, spec in METHOD_SPECS.items():
            self.method_combo.addItem(spec.label, key)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setAccessibleName("Method description")
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setAccessibleName("Method formula")
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.formula.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.formula.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.method_combo)
        layout.addWidget(self.description)
        layout.addWidget(self.formula)
        self.method_combo.currentIndexChanged.connect(self._on_method_combo_changed)

    def set_state(self, state: State) -> None:
        spec = METHOD_SPECS[state.method]
        with QSignalBlocker(self.method_combo):
            self.method_combo.setCurrentIndex(self.method_combo.findData(state.method))
        self.description.setText(spec.description)
        self.formula.setText(spec.formula)

    def _on_method_combo_changed(self, index: int) -> None:
        self._store.update("Change method", method=self.method_combo.itemData(index))


class NormalizationPanel(QWidget):
    """Method, parameters (generated from the method's ParamSpecs), activation, input transform.

    Built for a right dock about 300–340 px wide: it scrolls vertically, never horizontally.
    """

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._stale = False  # hidden on a shown window: the State moved on without it
        self.method_section = MethodSection(store)
        self.param_section = ParameterSection(store)
        self.activation_section = ActivationSection(store)
        self.input_section = InputSection(store)
        self._content = content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        for section in (
            self.method_section,
            self.param_section,
            self.activation_section,
            self.input_section,
        ):
            layout.addWidget(section)
        layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(content)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        store.state_changed.connect(self._on_state_changed)
        self._on_state_changed(store.state)

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._on_state_changed(self._store.state)
        super().showEvent(event)

    def minimumSizeHint(self) -> QSize:
        # The content never scrolls sideways, so the panel is at least as wide as the content
        # needs (for the rows the method shows) plus the vertical scroll bar.
        content = self._content.minimumSizeHint()
        bar = self.scroll_area.verticalScrollBar().sizeHint().width()
        return QSize(content.width() + bar, super().minimumSizeHint().height())

    def _on_state_changed(self, state: State) -> None:
        """Show `state` in every widget (each section blocks its widgets' signals).

        Hidden on a window that is shown (presentation mode, a closed dock), the panel catches
        up when it shows again: Play's 60 frames a second are not spent on its controls (some
        1 ms a frame)."""
        if self.window().isVisible() and not self.isVisible():
            self._stale = True
            return
        self._stale = False
        self.method_section.set_state(state)
        self.param_section.set_state(state)
        self.activation_section.set_state(state)
        self.input_section.set_state(state)
