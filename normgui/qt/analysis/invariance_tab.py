"""The Invariance tab: Table 1 of the LayerNorm paper, computed, and the same question asked of
the method and the data in use. Clicking a row of the second table puts the transformed A into B,
so its effect shows on the plots."""

from __future__ import annotations

from typing import Any, Final

from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from normgui.core.analysis import (
    InvarianceRow,
    invariance_rows_used,
    paper_rows,
    state_invariance,
    transform_changes,
)
from normgui.core.formatting import short
from normgui.core.invariance import PAPER_METHODS
from normgui.core.methods import METHOD_SPECS
from normgui.core.pipeline import Frame
from normgui.core.prepare import normalization_key, same_key
from normgui.qt.analysis.tab import AnalysisTab, WrappedLabel
from normgui.qt.analysis.verdicts import read_only_table, text_item, verdict_item
from normgui.qt.store import Store

SUMMED_INPUTS_NOTE: Final = (
    "In the paper, layer norm acts on the summed inputs a = Wx of a layer, not on x itself: "
    "[1, 2, 3, 4] and [4, 5, 6, 7] normalize to the same vector, but their Wx differ for almost "
    "every W, which is how a network still tells them apart."
)


def _heading(text: str) -> QLabel:
    label = WrappedLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class InvarianceTab(AnalysisTab):
    title = "Invariance"

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.paper_table = read_only_table(
            "LayerNorm paper invariance table",
            ["Transformation", "What it does", *PAPER_METHODS.values()],
            stretch=1,
        )
        self.paper_table.setToolTip(
            "✓: the method's output does not change under the transformation, found by "
            "experiment on a random layer"
        )
        self.paper_note = WrappedLabel(SUMMED_INPUTS_NOTE)
        self.paper_note.setAccessibleName("Summed inputs note")
        paper = QWidget()
        paper_layout = QVBoxLayout(paper)
        paper_layout.setContentsMargins(0, 0, 4, 0)
        paper_layout.setSpacing(2)
        paper_layout.addWidget(
            _heading("Table 1 of the LayerNorm paper (Ba et al. 2016), computed on a random layer")
        )
        paper_layout.addWidget(self.paper_table, 1)
        paper_layout.addWidget(self.paper_note)

        self.data_heading = _heading("")
        self.data_table = read_only_table(
            "Data invariance table",
            ["Transformation", "What it does", "Normalized output"],
            stretch=1,
        )
        self.data_table.setToolTip("Click a row: B becomes A transformed, and Compare turns on")
        hint = WrappedLabel("Click a row: B becomes A so transformed, and Compare turns on.")
        data = QWidget()
        data_layout = QVBoxLayout(data)
        data_layout.setContentsMargins(4, 0, 0, 0)
        data_layout.setSpacing(2)
        data_layout.addWidget(self.data_heading)
        data_layout.addWidget(self.data_table, 1)
        data_layout.addWidget(hint)

        self.splitter = QSplitter()
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(paper)
        self.splitter.addWidget(data)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.splitter)

        self.rows: tuple[InvarianceRow, ...] = ()
        self._key: tuple[Any, ...] | None = None
        self.data_compute_count = 0  # how often the data table was computed: for tests
        self._fill_paper_table()
        self.data_table.cellClicked.connect(self._on_data_table_cell_clicked)

    def _fill_paper_table(self) -> None:
        rows = paper_rows()
        table = self.paper_table
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            table.setItem(r, 0, text_item(row.label, row.description))
            table.setItem(r, 1, text_item(row.description, row.description))
            for c, (method, label) in enumerate(PAPER_METHODS.items(), start=2):
                cell = row.cells[method]
                verdict = "invariant" if cell.invariant else "changes"
                text = "✓ invariant" if cell.invariant else "✗ changes"
                tip = f"{label}: the layer's output changes by {short(cell.change)}"
                table.setItem(r, c, verdict_item(text, verdict, tip))

    def show_frame(self, frame: Frame) -> None:
        state = frame.state
        n, d = state.inputs_a.shape
        label = METHOD_SPECS[state.method].label
        used = invariance_rows_used(state)
        part = f"the first {used} of {n} samples" if used < n else f"{n}×{d}"
        self.data_heading.setText(
            f"Your data A ({part}) under {label}: does the normalized output change?"
        )
        key = normalization_key(state, with_b=False)
        if same_key(self._key, key):
            return
        self._key = key
        self.data_compute_count += 1
        self.rows = state_invariance(state)
        table = self.data_table
        table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            table.setItem(r, 0, text_item(row.label, row.description))
            table.setItem(r, 1, text_item(row.description, row.description))
            tip = row.text
            if row.exact is not None:
                tip += f"\nwith ε = 0: {'invariant' if row.exact.invariant else 'changes'}"
            table.setItem(r, 2, verdict_item(row.text, row.verdict, tip))

    def _on_data_table_cell_clicked(self, row: int, _column: int) -> None:
        if not 0 <= row < len(self.rows):
            return
        inv = self.rows[row]
        state = self._store.state
        try:
            changes = transform_changes(state, inv.key)
        except ValueError as exc:
            self._store.error.emit(str(exc))
            return
        if self._store.update(f"B = A: {inv.label.lower()}", **changes):
            extra = ""
            if changes.get("stats_source") == "each" and state.stats_source != "each":
                extra = " A and B now take their statistics each on their own."
            self._store.notice.emit(f"B is A after “{inv.label.lower()}”.{extra}")
