"""The Explain tab: the current method's formulas with the numbers of the selected element
filled in, live, as rich text in a read-only browser."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from normgui.core.explain import Explanation, explain
from normgui.core.pipeline import Frame
from normgui.qt.analysis.fonts import math_font
from normgui.qt.analysis.tab import AnalysisTab
from normgui.qt.store import Store

FONT_SCALE = 1.15  # a little larger than the interface: the numbers are what is read here


def explanation_html(explanation: Explanation, muted: str = "#6A6A6A") -> str:
    """The explanation as an HTML table: the general formula (muted) beside the filled one."""
    rows = "".join(
        f"<tr><td style='color:{muted}; padding-right:18px'>{html.escape(line.formula)}</td>"
        f"<td>{html.escape(line.text)}</td></tr>"
        for line in explanation.lines
    )
    notes = "".join(f"<p><i>{html.escape(note)}</i></p>" for note in explanation.notes)
    return (
        f"<p><b>{html.escape(explanation.title)}</b></p>"
        f"<table cellspacing='0' cellpadding='2'>{rows}</table>{notes}"
    )


class ExplainTab(AnalysisTab):
    title = "Explain"

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(store, parent)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Explanation")
        self.browser.setReadOnly(True)
        self.browser.setOpenLinks(False)
        self.browser.setFont(math_font(self.browser.font(), FONT_SCALE))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.browser)
        self.explanation: Explanation | None = None

    def show_frame(self, frame: Frame) -> None:
        self.explanation = explain(frame.state)
        bar = self.browser.verticalScrollBar()
        position = bar.value()
        self.browser.setHtml(explanation_html(self.explanation))
        bar.setValue(position)  # a live update must not jump back to the top
