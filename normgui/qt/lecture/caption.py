"""The caption bar above the plots: the scene's title and caption, its live readouts, and the
buttons to step through the scenes and to play its animation."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
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
# The most of the height of the window's centre a caption takes on screen (less, if the page
# under it would be squeezed below its least height); in a smaller window its text scrolls
# rather than squeeze the plots. At the desk the tallest training caption (a question and a
# table of the run's numbers) fits whole at 1366×768; on a projector, where the caption is what
# the lecture reads out and fewer plots show, the invariance table too.
DESK_HEIGHT_SHARE: Final = 0.35
PROJECTOR_HEIGHT_SHARE: Final = 0.45
# However small the window, this many lines of the caption show (when it has them).
LEAST_LINES: Final = 2
CHECK_COLOURS: Final = {"✓": "#007A55", "✗": "#B34700"}  # darker than the plots' own colours:
# text on white must reach 4.5:1 contrast


class CaptionBar(QFrame):
    """What the current scene says. Hidden when no scene is shown."""

    previous_requested = Signal()
    next_requested = Signal()
    close_requested = Signal()

    def __init__(
        self,
        play_action: QAction | None = None,
        parent: QWidget | None = None,
        *,
        scrolls: bool = True,
    ) -> None:
        """`scrolls`: beyond a share of the height of the widget holding it (DESK_HEIGHT_SHARE,
        PROJECTOR_HEIGHT_SHARE) the caption and readouts scroll, on screen; without, the bar is
        as tall as its text (a picture)."""
        super().__init__(parent)
        if play_action is None:  # a caption for a picture: a button that is never pressed
            play_action = QAction("Play", self)
        self.setObjectName("captionBar")
        self.setAccessibleName("Scene caption")
        self.title = _label("Scene title")
        self.title.setObjectName("captionTitle")
        self.caption = _label("Scene caption text")
        self.readout = _label("Scene readout")
        self.readout.setTextFormat(Qt.TextFormat.RichText)

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

        self._top = QHBoxLayout()
        self._top.setSpacing(2)
        self._top.addWidget(self.title, 1)
        for widget in (self.previous_button, self.position, self.next_button, self.close_button):
            self._top.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        self.body = _body(self.caption, self.readout)
        self.text_scroll: QScrollArea | None = None
        self._rest_seen: int | None = None  # see _on_room_layout_request
        if scrolls:
            self.text_scroll = _scroll_area(self.body)
            self.body.installEventFilter(self)
        self._bottom = QHBoxLayout()
        self._bottom.addWidget(self.body if self.text_scroll is None else self.text_scroll, 1)
        self._bottom.addWidget(self.play_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = _BarLayout(self, self._allowed_height)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(2)
        layout.addLayout(self._top)
        layout.addLayout(self._bottom)
        self._large = False
        self._compact = False
        self._theme = LIGHT
        self._readouts: tuple[Readout, ...] = ()
        self.hide()

    # --- height: at most a share of the room, the rest scrolls -------------------------------

    def _allowed_height(self, width: int) -> int:
        """The bar's height with its layout `width` wide: what its text needs, but on screen no
        more than `_most_height` (though LEAST_LINES of the caption always show)."""
        fixed, body, least = self._heights(width)
        room = self.parentWidget()
        if self.text_scroll is None or room is None:
            return fixed + body
        frame = self.contentsMargins()  # (the bar's border, around its layout)
        most = self._most_height(room, room.height()) - frame.top() - frame.bottom()
        return fixed + min(body, max(least, most - fixed))

    def _most_height(self, room: QWidget, height: int) -> int:
        """The most height the bar may take in `room` when it is `height` high: a share of it,
        and what the rest of its layout (the page) leaves at its least height."""
        share = PROJECTOR_HEIGHT_SHARE if self._large else DESK_HEIGHT_SHARE
        return min(round(share * height), height - self._rest_height(room))

    def _rest_height(self, room: QWidget) -> int:
        """The least height of what else `room`'s layout holds (the page), with its margins
        and spacing."""
        layout = room.layout()
        if layout is None:
            return 0
        margins = layout.contentsMargins()
        rest = margins.top() + margins.bottom()
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item is not None and item.widget() is not self and not item.isEmpty():
                rest += item.minimumSize().height() + max(layout.spacing(), 0)
        return rest

    def _heights(self, width: int) -> tuple[int, int, int]:
        """At `width`: the height of the title row and margins, of the caption and readouts
        (or the Play button beside them, if taller), and the least of those to show."""
        layout = self.layout()
        assert layout is not None
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        fixed = margins.top() + self._top.totalHeightForWidth(inner) + layout.spacing()
        fixed += margins.bottom()
        play = 0
        if not self.play_button.isHidden():
            hint = self.play_button.sizeHint()
            inner -= hint.width() + self._bottom.spacing()
            play = hint.height()
        body = max(self.body.heightForWidth(max(inner, 1)), play)
        lines = LEAST_LINES * self.caption.fontMetrics().lineSpacing()
        return fixed, body, max(min(body, lines), play)

    def event(self, event: QEvent) -> bool:
        # The height allowed follows the height of the widget holding the bar: watch it.
        kind = event.type()
        room = self.parentWidget()
        if kind == QEvent.Type.ParentAboutToChange and room is not None:
            room.removeEventFilter(self)
        elif kind == QEvent.Type.ParentChange and room is not None:
            room.installEventFilter(self)
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.body and event.type() == QEvent.Type.LayoutRequest:
            # The text or its font changed: the bar's height too. (In the scroll area the body
            # is in no layout of the bar's, so nothing else tells the window's layout.)
            self.updateGeometry()
        elif (
            self.text_scroll is not None and watched is self.parentWidget() and not self.isHidden()
        ):
            if event.type() == QEvent.Type.Resize:
                assert isinstance(event, QResizeEvent)
                self._on_room_resized(event.oldSize().height(), event.size().height(), watched)
            elif event.type() == QEvent.Type.LayoutRequest:
                self._on_room_layout_request(watched)
        return False

    def _on_room_layout_request(self, room: QWidget) -> None:
        """What is under the bar may have changed its least height (the page in front: each
        asks for its own), and so the height allowed: seen before the room's layout places
        them again, which then asks the bar anew. Only on a change, or the bar and the room
        would ask each other again for ever."""
        rest = self._rest_height(room)
        if rest != self._rest_seen:
            self._rest_seen = rest
            self.updateGeometry()

    def _on_room_resized(self, old: int, new: int, room: QWidget) -> None:
        if old == new:
            return
        fixed, body, _least = self._heights(self.contentsRect().width())
        frame = self.contentsMargins()
        if fixed + body + frame.top() + frame.bottom() <= self._most_height(room, min(old, new)):
            return  # whole before and after: the most height allowed did not matter
        # The room's layout has already placed the bar for this size with the height allowed
        # at the old one (its item keeps the bar's heightForWidth): place it again now, not a
        # frame later.
        self.updateGeometry()
        layout = room.layout()
        if layout is not None:
            layout.activate()

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
        if self.text_scroll is not None:
            # Its own least height is a scroll bar's (some 70 px), which the window's least
            # height would add up with the page's: LEAST_LINES of the caption are enough.
            lines = LEAST_LINES * self.caption.fontMetrics().lineSpacing()
            self.text_scroll.setMinimumHeight(lines)
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
            f"{{ color: {theme.foreground}; background: transparent; border: none; }} "
            f"QFrame#captionBar QScrollArea, QWidget#captionBody {{ background: transparent; }}"
        )
        self.set_readouts(self._readouts)


def caption_picture(
    scene: Scene, index: int, count: int, readouts: tuple[Readout, ...], theme: Theme
) -> CaptionBar:
    """A caption bar to draw above the plots in a picture of scene `index` (an export): its
    title, caption and live readouts in `theme`'s colours, without buttons. It never shows on
    screen; close it after use."""
    bar = CaptionBar(scrolls=False)
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


class _BarLayout(QVBoxLayout):
    """The bar's layout, whose height for a width is `height_for_width`'s: the window's layout
    asks a widget's layout, not the widget, how tall it is at a width."""

    def __init__(self, bar: QWidget, height_for_width: Callable[[int], int]) -> None:
        super().__init__(bar)
        self._height_for_width = height_for_width

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height_for_width(width)


def _label(name: str) -> QLabel:
    """A wrapped, selectable label of the bar, named `name` for screen readers."""
    label = QLabel()
    label.setWordWrap(True)
    label.setAccessibleName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    # A wrapped label asks for the height its text needs at its narrowest, which at
    # presentation sizes is taller than the screen (and full screen then overflows). The
    # layout still gives it the height the text needs at the width it has.
    label.setMinimumSize(1, 1)
    return label


def _body(caption: QLabel, readout: QLabel) -> QWidget:
    """The caption's text and its readouts, one under the other."""
    body = QWidget()
    body.setObjectName("captionBody")
    layout = QVBoxLayout(body)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(caption)
    layout.addWidget(readout)
    return body


def _scroll_area(body: QWidget) -> QScrollArea:
    """`body` in a vertical scroll area that shows the bar's background through it."""
    scroll = QScrollArea()
    scroll.setObjectName("captionScroll")
    scroll.setAccessibleName("Scene caption and readouts")
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    # Not Expanding (a scroll area's own policy): the page under the bar takes the room left.
    scroll.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    scroll.setWidgetResizable(True)  # as wide as the bar; as tall as its text needs there
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # The keyboard stays where it was: PageDown steps to the next scene, it scrolls nothing.
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    scroll.setWidget(body)
    body.setAutoFillBackground(False)  # (setWidget turned it on)
    scroll.viewport().setAutoFillBackground(False)
    return scroll


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
