"""The data panel: inputs A and B as a one-line entry and an editable table, the generators,
import of CSV and NumPy files, and each row's and column's mean and std.

Run on its own for a look: ``python -m normgui.qt.data_panel``.
"""

from __future__ import annotations

from normgui.qt.data_panel.panel import InputPanel

__all__ = ["InputPanel"]
