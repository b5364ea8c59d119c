"""Table cells that say a verdict with a glyph and words as well as a colour (never colour alone).

Pale backgrounds from the Okabe–Ito palette with dark text, readable in the light and the dark
look alike.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

# verdict → (background, text)
COLOURS: Final = {
    "invariant": ("#D5EFE6", "#00573F"),  # bluish green
    "nearly": ("#FBF1C4", "#5C4400"),  # yellow
    "changes": ("#F8DCCB", "#8A3300"),  # vermillion
    "n/a": ("#E6E6E6", "#404040"),
}


def verdict_item(text: str, verdict: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    background, foreground = COLOURS[verdict]
    item.setBackground(QBrush(QColor(background)))
    item.setForeground(QBrush(QColor(foreground)))
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    item.setData(Qt.ItemDataRole.UserRole, verdict)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def text_item(text: str, tooltip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


class RowsTable(QTableWidget):
    """A table as tall as its rows, so all of them show: the tab around it scrolls instead when
    the dock is low (see the dock's tabs), and a table never hides a row behind its own scroll
    bar."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        model = self.model()
        for signal in (model.rowsInserted, model.rowsRemoved, model.modelReset):
            signal.connect(self._fit_rows)
        self.horizontalScrollBar().rangeChanged.connect(self._fit_rows)

    def _fit_rows(self) -> None:
        # A minimum, not only a hint: a splitter or a wrapped label beside the table in a layout
        # would otherwise take rows away from it.
        self.setMinimumHeight(self.rows_height())
        self.updateGeometry()

    def rows_height(self) -> int:
        """The height that shows the header, every row and, when needed, the scroll bar."""
        height = 2 * self.frameWidth() + self.verticalHeader().length()
        header = self.horizontalHeader()
        if not header.isHidden():
            height += header.sizeHint().height()
        bar = self.horizontalScrollBar()
        if bar.maximum() > 0:
            height += bar.sizeHint().height()
        return height

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.rows_height())

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.rows_height())


def read_only_table(name: str, headers: list[str], stretch: int | None) -> QTableWidget:
    """A compact, read-only table as tall as its rows, whose column `stretch` (if any) takes
    the spare width."""
    table = RowsTable(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setAlternatingRowColors(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    header.setHighlightSections(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    return table
