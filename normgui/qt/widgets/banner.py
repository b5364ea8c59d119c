"""The banner above the plots: what the window has to say there (a warning about the input on
the Layer page, a run that diverged or settings waiting for Reset on the Training page), on an
amber ground that follows the theme — a pale one in the light looks, a dark one in the dark
theme, whose light text would not read on the pale ground (nor the dark text on the dark)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QWidget

from normgui.qt.theme import LIGHT, Theme


@dataclass(frozen=True)
class BannerColours:
    background: str
    text: str
    border: str


# Both reach well over 4.5:1 between text and ground (WCAG AA for body text).
PALE: Final = BannerColours(background="#FFF4CE", text="#5C4400", border="#E0C060")
DARK_AMBER: Final = BannerColours(background="#3A3015", text="#F2DC9B", border="#7A6428")


def banner_colours(theme: Theme) -> BannerColours:
    """The banner's colours in `theme`: chosen by how light its background is."""
    return DARK_AMBER if QColor(theme.background).lightness() < 128 else PALE


class Banner(QLabel):
    """A wrapped line or two on a rounded amber ground, hidden until it has something to say;
    `name` is what assistive technologies call it."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName(name)
        self.setWordWrap(True)
        self.hide()
        self.set_theme(LIGHT)

    def set_theme(self, theme: Theme) -> None:
        c = banner_colours(theme)
        self.setStyleSheet(
            f"QLabel#banner {{ background: {c.background}; color: {c.text}; "
            f"border: 1px solid {c.border}; border-radius: 4px; padding: 4px 8px; }}"
        )
