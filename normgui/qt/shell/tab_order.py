"""The Tab order of widgets made after the window: Qt puts a new widget's controls at the end of
its window's Tab order; a part made on first use (a page, a dock's panel) takes the place it would
have had if made with the window, so that Tab walks the window the same way either way."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def _is_tab_stop(widget: QWidget) -> bool:
    """Whether Tab can stop at `widget` itself (a widget with a focus proxy passes it on)."""
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.focusProxy() is None


def _focus_chain(start: QWidget) -> Iterator[QWidget]:
    """The widgets of `start`'s window in Tab order, from the one after `start` round to the one
    before it."""
    widget = start.nextInFocusChain()
    while widget is not None and widget is not start:
        yield widget
        widget = widget.nextInFocusChain()


def take_place_in_tab_order(made: QWidget, place: QWidget) -> None:
    """Move the controls of `made`, just put into the window, to where `place` is in its Tab
    order: where they would be had `made` been put into the window when `place` was."""
    chain = list(_focus_chain(place))
    stops = [w for w in chain if made.isAncestorOf(w) and _is_tab_stop(w)]  # (made included)
    # The last stop before `place` that is not one of them: theirs follow it.
    before = next(
        (w for w in reversed(chain) if _is_tab_stop(w) and not made.isAncestorOf(w)), None
    )
    if before is None:  # no other stop in the window: no order to keep
        return
    for stop in stops:
        QWidget.setTabOrder(before, stop)
        before = stop
