"""The normalization panel: the method and its formula, its parameters (generated from the
method's specs), the activation with the regime criterion, and the input transform.

Run on its own for a look: ``python -m normgui.qt.norm_panel [METHOD] [--per-feature]
[--width=320]``.
"""

from __future__ import annotations

from normgui.qt.norm_panel.panel import NormalizationPanel

__all__ = ["NormalizationPanel"]
