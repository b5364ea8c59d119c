"""A one-line entry for one input, with what was wrong with the text shown right under it.

The entry only reports finished text (`committed`, on Enter or when focus leaves, and only if
it differs from what it shows); the panel parses it and writes the State, or hands back an error.
"""

from __future__ import annotations

import re
from typing import Final

import numpy as np
from numpy.typing import NDArray
from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QColor, QDropEvent, QGuiApplication, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QSizePolicy, QWidget

from normgui.core.parsing import format_vectors

FloatArray = NDArray[np.float64]

# Beyond this many values the text would be too long to read or edit: the table is for that.
ENTRY_MAX_VALUES: Final = 2000
PLACEHOLDER: Final = "1, 2, 3, 4   (rows split by ; or new lines)"
# A paste longer than this does not go into the line at all: laying out one line of megabytes
# takes seconds (a 1000 × 1000 CSV, 9.5 MB: about 2 s). It is taken as it is, and the table
# shows it. Nothing is ever cut: the line takes any length typed or pasted into it otherwise.
BIG_PASTE_CHARS: Final = 100_000
_NO_LIMIT: Final = 2**31 - 1  # QLineEdit's maxLength is 32,767 characters by default
_LINE_BREAKS: Final = re.compile(r"\s*(?:\r\n|[\n\r\v\f\u2028\u2029])+\s*")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    """A red that reads well on the palette's background (a darkened or lightened vermillion)."""
    return QColor("#FF8A50") if is_dark(palette) else QColor("#B84A00")


def summary(data: FloatArray) -> str:
    rows, cols = data.shape
    return f"{rows} × {cols} values: edit in the table"


class _EntryLine(QLineEdit):
    """A line edit that hands a very long paste or drop over (`big_paste`) instead of taking it."""

    big_paste = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(_NO_LIMIT)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Paste) and not self.isReadOnly():
            text = QGuiApplication.clipboard().text()
            if len(text) > BIG_PASTE_CHARS:
                event.accept()
                self.big_paste.emit(text)
                return
        super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        text = event.mimeData().text() if event.mimeData().hasText() else ""
        if len(text) > BIG_PASTE_CHARS:
            event.acceptProposedAction()
            self.big_paste.emit(text)
            return
        super().dropEvent(event)


class VectorEntry(QWidget):
    """'A [1, 2, 3, 4        ]' and, when the text was refused, the reason in red below."""

    committed = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._committed_text = ""
        self._shown: FloatArray | None = None

        self.label = QLabel(name, self)
        self.label.setToolTip(f"Input {name}")
        self.line_edit = _EntryLine(self)
        self.line_edit.setAccessibleName(f"Input {name}")
        self.line_edit.setPlaceholderText(PLACEHOLDER)
        self.line_edit.setClearButtonEnabled(True)
        self.line_edit.setToolTip(
            f"The values of input {name}: numbers split by commas or spaces; rows (samples) "
            "split by ; or new lines, e.g. 1, 2; 3, 4. Press Enter to apply."
        )
        self.label.setBuddy(self.line_edit)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(f"Input {name} error")
        self.error_label.setToolTip(f"Why the text of input {name} was not taken")
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error_label.hide()
        self.apply_colors()

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.line_edit, 0, 1)
        grid.addWidget(self.error_label, 1, 1)
        grid.setColumnStretch(1, 1)

        self.line_edit.returnPressed.connect(self._on_line_edit_return_pressed)
        self.line_edit.editingFinished.connect(self._on_line_edit_editing_finished)
        self.line_edit.textEdited.connect(self._on_line_edit_text_edited)
        self.line_edit.big_paste.connect(self._on_line_edit_big_paste)

    # --- what the panel calls ---------------------------------------------------------------

    def shows(self, data: FloatArray) -> bool:
        """Whether the entry already shows `data`."""
        shown = self._shown
        return shown is data or (
            shown is not None and shown.shape == data.shape and np.array_equal(shown, data)
        )

    def show_data(self, data: FloatArray) -> None:
        """Show `data` as text (a summary when large) and clear any error."""
        edit = self.line_edit
        with QSignalBlocker(edit):
            if data.size > ENTRY_MAX_VALUES:
                # Too long to show: the entry stays empty, ready for new text to replace it all.
                text = ""
                edit.setPlaceholderText(summary(data))
            else:
                text = format_vectors(data)
                edit.setPlaceholderText(PLACEHOLDER)
            edit.setText(text)
            edit.setCursorPosition(0)
        self._committed_text = text
        self._shown = data
        self.set_error(None)

    def set_error(self, message: str | None) -> None:
        """Mark the entry invalid with `message` under it, or (None) valid again."""
        invalid = message is not None
        edit = self.line_edit
        if edit.property("invalid") != invalid:
            edit.setProperty("invalid", invalid)
            edit.style().unpolish(edit)
            edit.style().polish(edit)
        edit.setAccessibleDescription(message or "")
        self.error_label.setText(message or "")
        self.error_label.setVisible(invalid)

    def apply_colors(self) -> None:
        """The red of errors, for the current palette (light or dark)."""
        red = error_color(self.palette()).name()
        self.error_label.setStyleSheet(f"color: {red};")
        self.line_edit.setStyleSheet(
            f'QLineEdit[invalid="true"] {{ border: 2px solid {red}; border-radius: 3px; }}'
        )

    # --- handlers ---------------------------------------------------------------------------

    def _on_line_edit_return_pressed(self) -> None:
        self._commit()

    def _on_line_edit_editing_finished(self) -> None:
        self._commit()

    def _on_line_edit_big_paste(self, text: str) -> None:
        self._committed_text = ""  # what the line shows no longer matters: the data will
        self.committed.emit(text)

    def _on_line_edit_text_edited(self, text: str) -> None:
        if len(text) > BIG_PASTE_CHARS:  # pasted from the context menu: taken from the line
            with QSignalBlocker(self.line_edit):
                self.line_edit.setText(self._committed_text)
            self._on_line_edit_big_paste(text)
            return
        # A pasted column or table keeps its rows: its line breaks become "; ".
        if _LINE_BREAKS.search(text):
            edit = self.line_edit
            edit.setText(_LINE_BREAKS.sub("; ", text).strip().strip(";").strip())

    def _commit(self) -> None:
        # Enter emits both returnPressed and editingFinished: the text is committed once.
        text = self.line_edit.text()
        if text == self._committed_text:
            return
        self._committed_text = text
        self.committed.emit(text)
