"""The caption bar above the plots: the scene's title and caption, its live readouts, and the
buttons to step through the scenes and to play its animation."""

from __future__ import annotations

import html
from typing import Final

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from normgui.core.readouts import Readout
from normgui.qt.plots._style import mix
from normgui.qt.theme import LIGHT, Theme
from normgui.scenes import Scene

# Point sizes of title, caption and readouts: at the desk, and on a projector.
DESK_SIZES: Final = (12.0, 10.0, 9.5)
PROJECTOR_SIZES: Final = (28.0, 24.0, 20.0)
# On a projector above the Training page's four plots, whose scene says more (a question and
# four lines of numbers from the run): smaller, so that the plots keep most of the screen.
COMPACT_PROJECTOR_SIZES: Final = (18.0, 14.0, 13.0)
PICTURE_SLACK_PX: Final = 40
CHECK_COLOURS: Final = {"✓": "#007A55", "✗": "#B34700"}  # darker than the plots' own colours:
# text on white must reach 4.5:1 contrast


class CaptionBar(QFrame):
    """What the current scene says. Hidden when no scene is shown."""

    previous_requested = Signal()
    next_requested = Signal()
    close_requested = Signal()

    def __init__(self, play_action: QAction | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if play_action is None:  # a caption for a picture: a button that is never pressed
            play_action = QAction("Play", self)
        self.setObjectName("captionBar")
        self.setAccessibleName("Scene caption")
        self.title = QLabel()
        self.title.setObjectName("captionTitle")
        self.title.setWordWrap(True)
        self.title.setAccessibleName("Scene title")
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAccessibleName("Scene caption text")
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        self.readout.setAccessibleName("Scene readout")
        for label in (self.title, self.caption, self.readout):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
            # A wrapped label asks for the height its text needs at its narrowest, which at
            # presentation sizes is taller than the screen (and full screen then overflows).
            # The layout still gives it the height the text needs at the width it has.
            label.setMinimumSize(1, 1)

        self.play_button = self._button(play_action.text(), "Play or pause the animation")
        self.play_button.setDefaultAction(play_action)
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.previous_button = self._button("◀", "Previous scene (Page Up)")
        self.next_button = self._button("▶", "Next scene (Page Down)")
        self.close_button = self._button("✕", "Close the caption")
        self.position = QLabel()
        self.position.setAccessibleName("Scene number")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        self.close_button.clicked.connect(self.close_requested)

        top = QHBoxLayout()
        top.setSpacing(2)
        top.addWidget(self.title, 1)
        for widget in (self.previous_button, self.position, self.next_button, self.close_button):
            top.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        bottom = QHBoxLayout()
        bottom.addWidget(self.readout, 1)
        bottom.addWidget(self.play_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addLayout(bottom)
        self._large = False
        self._compact = False
        self._theme = LIGHT
        self._readouts: tuple[Readout, ...] = ()
        self.hide()

    def _button(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        # The keyboard keeps its focus where it was: Space must play, not press this button.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def show_scene(self, scene: Scene, index: int, count: int) -> None:
        self.title.setText(scene.title)
        self.caption.setText(scene.caption)
        self.position.setText(f"{index + 1} / {count}")
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < count - 1)
        self.play_button.setVisible(scene.animation is not None)
        self.readout.setVisible(bool(scene.readouts) or scene.training is not None)
        self.show()

    def set_readouts(self, readouts: tuple[Readout, ...]) -> None:
        self._readouts = readouts
        highlight = mix("#E69F00", self._theme.background, 0.3)
        self.readout.setText("".join(readout_html(r, highlight) for r in readouts))

    def set_compact(self, compact: bool) -> None:
        """Smaller text on a projector (above the Training page's plots)."""
        if compact != self._compact:
            self._compact = compact
            self.set_look(self._theme, self._large)

    def set_look(self, theme: Theme, large: bool) -> None:
        """Colours from `theme`; `large` for a projector."""
        self._large = large
        self._theme = theme
        projector = COMPACT_PROJECTOR_SIZES if self._compact else PROJECTOR_SIZES
        sizes = projector if large else DESK_SIZES
        for label, size, bold in zip(
            (self.title, self.caption, self.readout), sizes, (True, False, False), strict=True
        ):
            font = QFont(label.font())
            font.setPointSizeF(size)
            font.setBold(bold)
            label.setFont(font)
        button_font = QFont(self.font())
        button_font.setPointSizeF(sizes[2])
        side = round(button_font.pointSizeF() * self.logicalDpiY() / 72.0)
        self.play_button.setIconSize(QSize(side, side))
        for button in (self.play_button, self.previous_button, self.next_button, self.close_button):
            button.setFont(button_font)
        self.position.setFont(button_font)
        background = theme.background if large else mix("#0072B2", theme.background, 0.07)
        border = "none" if large else f"1px solid {mix(theme.foreground, theme.background, 0.2)}"
        self.setStyleSheet(
            f"QFrame#captionBar {{ background: {background}; border: {border}; "
            f"border-radius: 4px; }} "
            f"QFrame#captionBar QLabel, QFrame#captionBar QToolButton "
            f"{{ color: {theme.foreground}; background: transparent; border: none; }}"
        )
        self.set_readouts(self._readouts)


def caption_picture(
    scene: Scene, index: int, count: int, readouts: tuple[Readout, ...], theme: Theme
) -> CaptionBar:
    """A caption bar to draw above the plots in a picture of scene `index` (an export): its
    title, caption and live readouts in `theme`'s colours, without buttons. It never shows on
    screen; close it after use."""
    bar = CaptionBar()
    bar.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    bar.set_look(theme, large=False)
    bar.show_scene(scene, index, count)
    bar.set_readouts(readouts)
    for widget in (
        bar.play_button,
        bar.previous_button,
        bar.next_button,
        bar.close_button,
        bar.position,
    ):
        widget.hide()
    # Room on the right: an SVG reader may set the text in a slightly wider font than Qt did.
    layout = bar.layout()
    if layout is not None:
        margins = layout.contentsMargins()
        margins.setRight(margins.right() + PICTURE_SLACK_PX)
        layout.setContentsMargins(margins)
    return bar


def readout_html(readout: Readout, highlight: str = "#FFF1B8") -> str:
    """A readout as rich text: its lines, then its table with the highlighted row in bold on a
    `highlight` background."""
    parts = [html.escape(line) for line in readout.lines]
    text = "<br/>".join(parts)
    if readout.table:
        rows = []
        for i, row in enumerate(readout.table):
            cells = []
            for j, cell in enumerate(row):
                value = html.escape(cell)
                if cell in CHECK_COLOURS:
                    value = f'<span style="color:{CHECK_COLOURS[cell]}">{value}</span>'
                align = "left" if j == 0 else "center"
                if i == 0:  # the header: smaller, so that a column is no wider than its name
                    value = f'<span style="font-size:small">{value}</span>'
                cells.append(f'<td align="{align}" style="padding: 0 8px">{value}</td>')
            emphasis = readout.highlight is not None and i - 1 == readout.highlight
            style = f' style="font-weight:bold; background-color:{highlight}"' if emphasis else ""
            rows.append(f"<tr{style}>{''.join(cells)}</tr>")
        text += f'<table cellspacing="0" cellpadding="3">{"".join(rows)}</table>'
    return f"<div>{text}</div>"
