"""A small editable table of γ and β per feature: one column per feature, rows γ and β."""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

ROWS = ("γ", "β")


def _parse(text: str) -> float | None:
    try:
        value = float(text.strip().replace("−", "-"))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


class FeatureTable(QTableWidget):
    """γ and β per feature, shown with 4 significant digits but kept at full precision.

    `edited(gammas, betas)` carries every feature's values after the user changed one cell;
    `invalid(message)` says a cell was given text that is not a finite number (it reverts).
    """

    edited = Signal(object, object)
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(ROWS), 0, parent)
        self.setVerticalHeaderLabels(list(ROWS))
        self.setAccessibleName("Per-feature gamma and beta table")
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # Columns share the width when they fit and keep a readable width (scrolling) when not.
        header = self.horizontalHeader()
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("-0.0000") + 12)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._gammas: tuple[float, ...] = ()
        self._betas: tuple[float, ...] = ()
        self.itemChanged.connect(self._on_item_changed)
        self._fit_height()

    def values(self) -> tuple[tuple[float, ...], tuple[float, ...]]:
        return self._gammas, self._betas

    def set_values(self, gammas: tuple[float, ...], betas: tuple[float, ...]) -> None:
        """Show one column per feature; emits nothing."""
        if (gammas, betas) == (self._gammas, self._betas) and self.columnCount() == len(gammas):
            return
        self._gammas, self._betas = tuple(gammas), tuple(betas)
        with QSignalBlocker(self):
            self.setColumnCount(len(gammas))
            self.setHorizontalHeaderLabels([str(i + 1) for i in range(len(gammas))])
            for row, values in enumerate((self._gammas, self._betas)):
                for col, value in enumerate(values):
                    item = QTableWidgetItem(f"{value:.4g}")
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    item.setToolTip(f"{ROWS[row]} of feature {col + 1}: {value!r}")
                    self.setItem(row, col, item)
        self._fit_height()

    def _fit_height(self) -> None:
        """Exactly the header and the rows, plus the scroll bar when the columns overflow."""
        rows = sum(self.rowHeight(r) for r in range(self.rowCount()) if not self.isRowHidden(r))
        header = self.horizontalHeader()
        needed = header.minimumSectionSize() * self.columnCount()
        available = self.width() - self.verticalHeader().width() - 2 * self.frameWidth()
        bar = self.horizontalScrollBar().sizeHint().height() if needed > available else 0
        self.setFixedHeight(header.sizeHint().height() + rows + bar + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def set_beta_shown(self, shown: bool) -> None:
        self.setRowHidden(1, not shown)
        self._fit_height()

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        row, col = item.row(), item.column()
        value = _parse(item.text())
        current = (self._gammas, self._betas)
        if value is None:
            self.invalid.emit(
                f"“{item.text()}” is not a number: {ROWS[row]} of feature {col + 1} stays "
                f"{current[row][col]:.4g}"
            )
            with QSignalBlocker(self):
                item.setText(f"{current[row][col]:.4g}")
            return
        values = [list(current[0]), list(current[1])]
        values[row][col] = value
        # Kept before the State has it: should the State refuse, set_values sees a difference
        # and shows the State's values again.
        self._gammas, self._betas = tuple(values[0]), tuple(values[1])
        with QSignalBlocker(self):
            item.setText(f"{value:.4g}")
            item.setToolTip(f"{ROWS[row]} of feature {col + 1}: {value!r}")
        self.edited.emit(self._gammas, self._betas)
