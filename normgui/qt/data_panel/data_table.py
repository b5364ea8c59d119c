"""A table model over one input's array, with its per-row and per-column mean and std.

The model never changes its array: an edit is announced with `cell_edited` (or refused with
`edit_refused`), the panel writes a new State, and the State comes back through `set_array`.
The statistics are not computed here either: `set_stats` takes them from the Frame. Cells are
produced on demand, so a 1000 × 1000 input costs no more than the cells on screen.

Layout: the data cells, then two columns "mean" and "std" of each row, then two rows "mean"
and "std" of each column, like the totals of a spreadsheet.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QGuiApplication, QPalette

FloatArray = NDArray[np.float64]
StatArray = NDArray[np.floating[Any]]
Index = QModelIndex | QPersistentModelIndex

STAT_NAMES: Final = ("mean", "std")
_STAT_TIPS: Final = ("mean", "standard deviation (population, ddof = 0)")
_EMPTY: Final = QModelIndex()


def parse_cell(text: str) -> float:
    """The number typed into a cell, or ValueError with a message for the student."""
    token = text.strip().replace("\u2212", "-")
    if not token:
        raise ValueError("a cell needs a number")
    shown = token if len(token) <= 24 else token[:23] + "…"
    try:
        if "_" in token:  # float() takes '1_000'; a student would not expect that
            raise ValueError
        value = float(token)
    except ValueError:
        raise ValueError(f"'{shown}' is not a number") from None
    if not np.isfinite(value):
        raise ValueError(f"'{shown}' is not a finite number")
    return value


class DataTableModel(QAbstractTableModel):
    """Rows are samples and columns are features of one input (A or B)."""

    cell_edited = Signal(int, int, float)  # row, column, the new value
    edit_refused = Signal(str)  # why the text typed into a cell was not taken

    def __init__(self, label: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._label = label
        self._data: FloatArray = np.zeros((1, 1))
        self._row_stats: tuple[StatArray, StatArray] | None = None
        self._col_stats: tuple[StatArray, StatArray] | None = None
        self._italic = QFont()
        self._italic.setItalic(True)

    # --- what the panel calls ---------------------------------------------------------------

    @property
    def array(self) -> FloatArray:
        return self._data

    def set_array(self, data: FloatArray) -> None:
        """Show `data` (kept by reference: State arrays are read-only)."""
        if data.shape == self._data.shape:
            self._data = data
            rows, cols = data.shape
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, cols - 1))
            return
        self.beginResetModel()
        self._data = data
        self._row_stats = self._col_stats = None  # of another shape: wait for the next Frame
        self.endResetModel()

    def set_stats(
        self,
        row_mean: StatArray | None,
        row_std: StatArray | None,
        col_mean: StatArray | None,
        col_std: StatArray | None,
    ) -> None:
        """Show these statistics, if they fit the array shown (None: clear them)."""
        rows, cols = self._data.shape
        fits = (
            row_mean is not None
            and row_std is not None
            and col_mean is not None
            and col_std is not None
            and len(row_mean) == len(row_std) == rows
            and len(col_mean) == len(col_std) == cols
        )
        if fits:
            assert row_mean is not None and row_std is not None
            assert col_mean is not None and col_std is not None
            if (
                self._row_stats is not None
                and self._col_stats is not None
                and self._row_stats[0] is row_mean
                and self._col_stats[0] is col_mean
            ):
                return  # the same statistics (γ or β changed, not the data): nothing to redraw
            self._row_stats, self._col_stats = (row_mean, row_std), (col_mean, col_std)
        else:
            self._row_stats = self._col_stats = None
        last_row, last_col = rows + len(STAT_NAMES) - 1, cols + len(STAT_NAMES) - 1
        self.dataChanged.emit(self.index(0, cols), self.index(last_row, last_col))
        self.dataChanged.emit(self.index(rows, 0), self.index(last_row, last_col))

    def is_data(self, index: Index) -> bool:
        rows, cols = self._data.shape
        return index.isValid() and index.row() < rows and index.column() < cols

    # --- Qt's model interface ---------------------------------------------------------------

    def rowCount(self, parent: Index = _EMPTY) -> int:
        return 0 if parent.isValid() else self._data.shape[0] + len(STAT_NAMES)

    def columnCount(self, parent: Index = _EMPTY) -> int:
        return 0 if parent.isValid() else self._data.shape[1] + len(STAT_NAMES)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.is_data(index):
            return (
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | (Qt.ItemFlag.ItemIsEditable)
            )
        if self._stat_of(index) is not None:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        rows, cols = self._data.shape
        if r < rows and c < cols:
            return self._data_cell(float(self._data[r, c]), r, c, role)
        if role == Qt.ItemDataRole.BackgroundRole:  # statistics, and the corner, look like headers
            return QGuiApplication.palette().brush(QPalette.ColorRole.Window)
        stat = self._stat_of(index)
        if stat is None:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.FontRole:
            return self._italic
        which, axis, position = stat
        what = f"{_STAT_TIPS[which]} of {axis} {position + 1} of {self._label}"
        value = self._stat_value(which, axis, position)
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else f"{value:.4g}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return what if value is None else f"{what}: {value:.10g}"
        return None

    def setData(self, index: Index, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not self.is_data(index):
            return False
        try:
            number = parse_cell(str(value))
        except ValueError as exc:
            self.edit_refused.emit(str(exc))
            return False
        self.cell_edited.emit(index.row(), index.column(), number)
        return True

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        horizontal = orientation == Qt.Orientation.Horizontal
        count = self._data.shape[1 if horizontal else 0]
        stat = section - count
        if role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1) if stat < 0 else STAT_NAMES[stat]
        if role == Qt.ItemDataRole.ToolTipRole:
            if stat >= 0:
                other = "row" if horizontal else "column"
                return f"The {_STAT_TIPS[stat]} of each {other}"
            return f"{'Feature' if horizontal else 'Sample'} {section + 1} of {self._label}"
        if role == Qt.ItemDataRole.FontRole and stat >= 0:
            return self._italic
        return None

    # --- helpers ----------------------------------------------------------------------------

    def _data_cell(self, value: float, r: int, c: int, role: int) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:.6g}"
        if role == Qt.ItemDataRole.EditRole:  # text, so the editor is a line edit
            return _exact(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self._label}, sample {r + 1}, feature {c + 1}: {_exact(value)}"
        return None

    def _stat_of(self, index: Index) -> tuple[int, str, int] | None:
        """(which statistic, 'row' or 'column', whose) for a statistics cell, else None."""
        r, c = index.row(), index.column()
        rows, cols = self._data.shape
        if r < rows and cols <= c < cols + len(STAT_NAMES):
            return c - cols, "row", r
        if c < cols and rows <= r < rows + len(STAT_NAMES):
            return r - rows, "column", c
        return None

    def _stat_value(self, which: int, axis: str, position: int) -> float | None:
        stats = self._row_stats if axis == "row" else self._col_stats
        return None if stats is None else float(stats[which][position])


def _exact(value: float) -> str:
    """The shortest text that reads back as `value`, without a trailing '.0'."""
    text = repr(value)
    return text[:-2] if text.endswith(".0") else text


# --- the table's shape changes, as pure functions -------------------------------------------


def with_row_added(x: FloatArray, after: int | None = None) -> FloatArray:
    """`x` with a copy of row `after` (default: the last) inserted after it."""
    i = x.shape[0] - 1 if after is None else after
    return np.insert(x, i + 1, x[i], axis=0)


def with_column_added(x: FloatArray, after: int | None = None) -> FloatArray:
    """`x` with a copy of column `after` (default: the last) inserted after it."""
    j = x.shape[1] - 1 if after is None else after
    return np.insert(x, j + 1, x[:, j], axis=1)


def with_row_removed(x: FloatArray, index: int | None = None) -> FloatArray:
    """`x` without row `index` (default: the last); the last remaining row is never removed."""
    if x.shape[0] <= 1:
        raise ValueError("the data needs at least one row")
    return np.delete(x, x.shape[0] - 1 if index is None else index, axis=0)


def with_column_removed(x: FloatArray, index: int | None = None) -> FloatArray:
    """`x` without column `index` (default: the last); the last one is never removed."""
    if x.shape[1] <= 1:
        raise ValueError("the data needs at least one column")
    return np.delete(x, x.shape[1] - 1 if index is None else index, axis=1)


def with_block_pasted(x: FloatArray, block: FloatArray, row: int, col: int) -> FloatArray:
    """`x` with `block` written from cell (`row`, `col`) on, grown as a spreadsheet grows where
    the block reaches past its last row or column (cells the block does not cover there are 0).
    `row` and `col` may be one past the end: the block is then appended."""
    if not (0 <= row <= x.shape[0] and 0 <= col <= x.shape[1]):
        raise ValueError(f"cannot paste at row {row + 1}, column {col + 1}: outside the table")
    rows = max(x.shape[0], row + block.shape[0])
    cols = max(x.shape[1], col + block.shape[1])
    out = np.zeros((rows, cols))
    out[: x.shape[0], : x.shape[1]] = x
    out[row : row + block.shape[0], col : col + block.shape[1]] = block
    return out


def selection_text(model: DataTableModel, ranges: list[tuple[int, int, int, int]]) -> str:
    """The selected cells, given as rectangles (top, left, bottom, right; inclusive), as
    tab-separated text, one line a row, as spreadsheets copy them: the rectangle around the
    selection, its unselected cells empty. Values are written in full (as they read back),
    statistics as shown."""
    if not ranges:
        return ""
    top, left = min(r[0] for r in ranges), min(r[1] for r in ranges)
    bottom, right = max(r[2] for r in ranges), max(r[3] for r in ranges)
    cells = [[""] * (right - left + 1) for _ in range(bottom - top + 1)]
    data = model.array
    for r0, c0, r1, c1 in ranges:
        for r in range(r0, r1 + 1):
            line = cells[r - top]
            for c in range(c0, c1 + 1):
                if r < data.shape[0] and c < data.shape[1]:
                    line[c - left] = _exact(float(data[r, c]))
                else:
                    value = model.data(model.index(r, c), Qt.ItemDataRole.DisplayRole)
                    line[c - left] = "" if value is None else str(value)
    return "\n".join("\t".join(line) for line in cells)
