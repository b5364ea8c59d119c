"""The tables of A and B, one shown at a time, with buttons that add and remove rows and columns.

Every change the user asks for leaves as `data_replaced(target, new array, undo label)`; the
tables themselves only change when the panel hands them a State's array (`set_data`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTabBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from normgui.core.parsing import ParseError, parse_vectors
from normgui.qt.data_panel.data_table import (
    DataTableModel,
    selection_text,
    with_block_pasted,
    with_column_added,
    with_column_removed,
    with_row_added,
    with_row_removed,
)
from normgui.qt.data_panel.input_entry import error_color

FloatArray = NDArray[np.float64]
TARGETS: Final = ("A", "B")
_MEASURED_CELLS: Final = 5000
_Edit = Callable[[FloatArray, "int | None"], FloatArray]


class DataView(QTableView):
    """A table view no taller than its rows: a short input leaves no empty white box.

    Ctrl+C copies the selection as tab-separated text; Ctrl+V asks for the clipboard's text to
    be pasted at the current cell (`paste_requested`): the editor makes the new array.
    """

    paste_requested = Signal(str)
    _stale_widths = 0

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # (While a cell is being edited its editor has the keys: this is the table's own.)
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            event.accept()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit(QGuiApplication.clipboard().text())
            event.accept()
        else:
            super().keyPressEvent(event)

    def copy_selection(self) -> None:
        model, selection = self.model(), self.selectionModel()
        if not isinstance(model, DataTableModel) or selection is None:
            return
        chosen = selection.selection()
        ranges = [
            (r.top(), r.left(), r.bottom(), r.right())
            for r in (chosen.at(k) for k in range(chosen.size()))
        ]
        if not ranges and self.currentIndex().isValid():
            current = self.currentIndex()
            ranges = [(current.row(), current.column(), current.row(), current.column())]
        if ranges:
            QGuiApplication.clipboard().setText(selection_text(model, ranges))

    def fit_columns(self, shape: tuple[int, int]) -> None:
        """Columns as wide as their numbers for a small table of `shape` (so a row's mean and
        std fit beside it); a fixed width for a large one, where measuring would be slow.
        Call before the model takes the new data: measuring happens as it resets."""
        small = (shape[0] + 2) * (shape[1] + 2) <= _MEASURED_CELLS
        header = self.horizontalHeader()
        measured = QHeaderView.ResizeMode.ResizeToContents
        was_small = header.count() > 0 and header.sectionResizeMode(0) == measured
        header.setSectionResizeMode(measured if small else QHeaderView.ResizeMode.Interactive)
        # Sections keep the widths they were measured at through a reset: undo that afterwards.
        self._stale_widths = header.count() if was_small and not small else 0

    def reset_stale_widths(self) -> None:
        header = self.horizontalHeader()
        for section in range(min(self._stale_widths, header.count())):
            header.resizeSection(section, header.defaultSectionSize())
        self._stale_widths = 0

    def fit_height(self) -> None:
        model = self.model()
        line = self.verticalHeader().defaultSectionSize()
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += (model.rowCount() if model is not None else 0) * line
        if self.horizontalHeader().length() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        self.setMinimumHeight(min(height, 6 * line))
        self.setMaximumHeight(max(height, self.minimumHeight()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_height()  # a narrower view may need a horizontal scroll bar


def _table_view(model: DataTableModel, target: str) -> DataView:
    view = DataView()
    view.setModel(model)
    view.setAccessibleName(f"Table of input {target}")
    view.setToolTip(
        f"Input {target}: rows are samples, columns are features. Double-click or type to edit "
        "a value; Ctrl+V pastes a block copied from a spreadsheet (growing the table), Ctrl+C "
        "copies the selection. The shaded cells are the mean and std of each row and column."
    )
    view.setWordWrap(False)
    # Tab leaves the table for the next control, as everywhere else; while a cell is being
    # edited Tab still moves to the next cell and edits it (the delegate's own handling).
    view.setTabKeyNavigation(False)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    line = view.fontMetrics().height() + 6
    # Fixed sizes: nothing is measured per row or column, so 1000 × 1000 stays instant.
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(line)
    rows.setMinimumSectionSize(line)
    cols = view.horizontalHeader()
    cols.setDefaultSectionSize(view.fontMetrics().horizontalAdvance("-0.0000000") + 10)
    cols.setMinimumSectionSize(view.fontMetrics().horizontalAdvance("-0.00") + 8)
    cols.setHighlightSections(False)
    rows.setHighlightSections(False)
    view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
    return view


def _tool_button(text: str, name: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    button.setAutoRaise(False)
    return button


class TableEditor(QWidget):
    """A tab per input, its table, and + row / − row / + col / − col."""

    data_replaced = Signal(str, object, str)  # target, the new array, the undo label
    edit_refused = Signal(str, str)  # target, why

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabBar(self)
        for target in TARGETS:
            self.tabs.addTab(target)
            self.tabs.setTabToolTip(self.tabs.count() - 1, f"Show the table of input {target}")
        self.tabs.setAccessibleName("Table shown")
        self.tabs.setToolTip("Which input the table shows")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        self.tabs.setUsesScrollButtons(False)  # two short tabs: scroll arrows only cost width
        self.tabs.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.models = {t: DataTableModel(t, self) for t in TARGETS}
        self.views = {t: _table_view(self.models[t], t) for t in TARGETS}
        self.add_row = _tool_button(
            "+ row", "Add row", "Add a row (a sample): a copy of the selected row, or the last"
        )
        self.remove_row = _tool_button(
            "− row", "Remove row", "Remove the selected row, or the last one"
        )
        self.add_column = _tool_button(
            "+ col",
            "Add column",
            "Add a column (a feature): a copy of the selected one, or the last",
        )
        self.remove_column = _tool_button(
            "− col", "Remove column", "Remove the selected column, or the last one"
        )
        # One short line (a wrapped label would reserve a second line it may not need).
        self.note = QLabel(self)
        self.note.setAccessibleName("Note on the statistics")
        self.note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.note.hide()
        # Why the last edit, paste or reshape was refused: beside the table until the next
        # change of the data is taken (the status line only says it for a few seconds).
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Table error")
        self.error.setToolTip("Why the last change to the table was not taken")
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error.hide()

        self._lay_out()

        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.add_row.clicked.connect(self._on_add_row_clicked)
        self.remove_row.clicked.connect(self._on_remove_row_clicked)
        self.add_column.clicked.connect(self._on_add_column_clicked)
        self.remove_column.clicked.connect(self._on_remove_column_clicked)
        for target in TARGETS:
            model = self.models[target]
            model.cell_edited.connect(
                lambda r, c, v, t=target: self._on_model_cell_edited(t, r, c, v)
            )
            model.edit_refused.connect(lambda msg, t=target: self.edit_refused.emit(t, msg))
            self.views[target].paste_requested.connect(
                lambda text, t=target: self._on_view_paste_requested(t, text)
            )
        self.edit_refused.connect(self._on_edit_refused)
        self.set_compare(False)

    def _lay_out(self) -> None:
        """The tabs and the buttons above the table, and the note under it."""
        bar = QHBoxLayout()
        bar.setSpacing(2)
        bar.addWidget(self.tabs)
        bar.addStretch(1)
        for button in (self.add_row, self.remove_row, self.add_column, self.remove_column):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        for target in TARGETS:  # one shown at a time (not a QStackedWidget: that would not
            layout.addWidget(self.views[target], 1)  # stay as short as the view's rows)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        # Pass the shown view's maximum height on, so the panel leaves no gap under a short table.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinAndMaxSize)

    # --- what the panel calls ---------------------------------------------------------------

    def current_target(self) -> str:
        return TARGETS[self.tabs.currentIndex()]

    def set_compare(self, on: bool) -> None:
        with QSignalBlocker(self.tabs):
            self.tabs.setTabVisible(1, on)
            self.tabs.updateGeometry()
            if not on:
                self.tabs.setCurrentIndex(0)
        self._show_current()

    def set_data(self, target: str, data: FloatArray) -> None:
        model = self.models[target]
        if model.array is not data and not (
            model.array.shape == data.shape and np.array_equal(model.array, data)
        ):
            view = self.views[target]
            view.fit_columns(data.shape)
            model.set_array(data)
            view.reset_stale_widths()
            view.fit_height()
            self.error.hide()  # a change was taken: what was refused before no longer stands
        self._update_buttons()

    def set_note(self, text: str, tip: str) -> None:
        self.note.setText(text)
        self.note.setToolTip(tip)
        self.note.setVisible(bool(text))

    # --- handlers ---------------------------------------------------------------------------

    def _on_tabs_current_changed(self, index: int) -> None:
        self.error.hide()
        self._show_current()

    def _on_edit_refused(self, target: str, message: str) -> None:
        self.error.setStyleSheet(f"color: {error_color(self.palette()).name()};")
        self.error.setText(f"Input {target}: {message}")
        self.error.show()

    def _on_add_row_clicked(self) -> None:
        self._reshape("Add row", with_row_added, axis=0)

    def _on_remove_row_clicked(self) -> None:
        self._reshape("Remove row", with_row_removed, axis=0)

    def _on_add_column_clicked(self) -> None:
        self._reshape("Add column", with_column_added, axis=1)

    def _on_remove_column_clicked(self) -> None:
        self._reshape("Remove column", with_column_removed, axis=1)

    def _on_model_cell_edited(self, target: str, row: int, col: int, value: float) -> None:
        data = self.models[target].array.copy()
        data[row, col] = value
        self.data_replaced.emit(target, data, "Edit cell")

    def _on_view_paste_requested(self, target: str, text: str) -> None:
        model, view = self.models[target], self.views[target]
        if not text.strip():
            self.edit_refused.emit(target, "nothing to paste: the clipboard holds no text")
            return
        try:
            block = parse_vectors(text)
        except ParseError as exc:
            self.edit_refused.emit(target, f"the pasted text: {exc.message}")
            return
        current = view.currentIndex()
        rows, cols = model.array.shape
        # From the current cell; from a statistics cell, onto the end of the data.
        row = min(current.row(), rows) if current.isValid() else 0
        col = min(current.column(), cols) if current.isValid() else 0
        data = with_block_pasted(model.array, block, row, col)
        self.data_replaced.emit(target, data, f"Paste into {target}")

    # --- helpers ----------------------------------------------------------------------------

    def _reshape(self, label: str, edit: _Edit, axis: int) -> None:
        target = self.current_target()
        model, view = self.models[target], self.views[target]
        current = view.currentIndex()
        at = (current.row(), current.column())[axis] if model.is_data(current) else None
        try:
            data = edit(model.array, at)
        except ValueError as exc:  # the last row or column: the button is disabled anyway
            self.edit_refused.emit(target, str(exc))
            return
        self.data_replaced.emit(target, data, label)

    def _show_current(self) -> None:
        current = self.current_target()
        for target, view in self.views.items():
            view.setVisible(target == current)
        self._update_buttons()

    def _update_buttons(self) -> None:
        rows, cols = self.models[self.current_target()].array.shape
        self.remove_row.setEnabled(rows > 1)
        self.remove_column.setEnabled(cols > 1)
