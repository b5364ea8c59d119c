"""A font for formulas.

Serif faces draw x̂ (x and a combining circumflex) correctly; DejaVu Sans, the usual Linux
interface font, puts the hat of a regular-weight x̂₃ beside it or drops it. So formulas are set in
the first serif face available, which is also how formulas are usually printed.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QFont

MATH_FAMILIES: Final = (
    "DejaVu Serif",
    "Cambria Math",
    "Cambria",
    "STIX Two Text",
    "Times New Roman",
    "Times",
    "Noto Serif",
    "serif",
)


def math_font(base: QFont, scale: float = 1.0) -> QFont:
    """`base` in a serif face, `scale` times its size."""
    font = QFont(base)
    font.setFamilies(list(MATH_FAMILIES))
    font.setStyleHint(QFont.StyleHint.Serif)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * scale)
    return font
