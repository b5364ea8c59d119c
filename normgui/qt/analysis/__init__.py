"""The analysis dock: invariances, A vs B, sensitivity, running statistics, explain.

Each tab is a thin view over pure functions of normgui.core.analysis, normgui.core.sensitivity
and normgui.core.explain, and computes only while it is on screen.
Run on its own for a look: ``python -m normgui.qt.analysis [TAB]``.
"""

from __future__ import annotations

from normgui.qt.analysis.dock import AnalysisDock

__all__ = ["AnalysisDock"]
