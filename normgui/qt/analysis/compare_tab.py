"""The A vs B tab: how far apart A and B are after each stage, and where they become
indistinguishable (a relative difference below 1e-9)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from normgui.core.analysis import (
    STAGES,
    StageDifference,
    compare_summary,
    not_comparable,
    stage_differences,
)
from normgui.core.formatting import short
from normgui.core.pipeline import Frame
from normgui.qt.analysis.tab import AnalysisTab
from normgui.qt.analysis.verdicts import read_only_table, text_item, verdict_item
from normgui.qt.store import Store


class CompareTab(AnalysisTab):
    title = "A vs B"

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("A vs B summary")
        self.table = read_only_table(
            "A vs B by stage", ["Stage", "Largest |A − B|", "Relative", "A and B are…"], stretch=3
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.differences: dict[str, StageDifference] = {}

    def show_frame(self, frame: Frame) -> None:
        reason = not_comparable(frame)
        self.differences = stage_differences(frame)
        self.table.setVisible(reason is None)
        if reason is not None:
            self.summary.setText(reason)
            self.table.setRowCount(0)
            return
        self.summary.setText(compare_summary(self.differences, frame.state.method))
        self.table.setRowCount(len(self.differences))
        for r, (stage, diff) in enumerate(self.differences.items()):
            self.table.setItem(r, 0, text_item(STAGES[stage]))
            self.table.setItem(r, 1, text_item(short(diff.max_abs)))
            self.table.setItem(r, 2, text_item(short(diff.relative)))
            if diff.indistinguishable:
                item = verdict_item("= indistinguishable (below 1e-9 relative)", "invariant")
            else:
                item = verdict_item("≠ different", "changes")
            self.table.setItem(r, 3, item)
