"""What the lecture needs to know around a scene step: whose keys PageDown and PageUp are, which
scene an undo or redo comes back to, and whether opening a scene replaced the user's own data.

No window here: the controller asks these questions with what it has.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Final

import numpy as np
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from normgui.core.state import State

# Widgets that use PageDown and PageUp themselves (a table pages, a slider and a spin box take
# big steps, a combo box moves its choice) or in which the user is typing: with one of them
# focused, the keys are theirs, not the next scene's.
KEEP_PAGE_KEYS: Final = (
    QLineEdit,
    QAbstractSpinBox,
    QAbstractItemView,
    QAbstractSlider,
    QComboBox,
    QTextEdit,
    QPlainTextEdit,
)
# How many scene steps are remembered for undo and redo (the undo stack keeps 200 steps).
REMEMBERED_STEPS: Final = 200


def keeps_page_keys(widget: QWidget | None) -> bool:
    """Whether `widget` (the focus widget) uses PageDown and PageUp itself."""
    return isinstance(widget, KEEP_PAGE_KEYS) and widget.isVisible()


def same_inputs(a: State, b: State) -> bool:
    """Whether two States hold the same data in A and B (B only when compared)."""
    if not np.array_equal(a.inputs_a, b.inputs_a):
        return False
    if a.compare != b.compare:
        return False
    if not a.compare:
        return True
    if a.inputs_b is None or b.inputs_b is None:
        return a.inputs_b is b.inputs_b
    return np.array_equal(a.inputs_b, b.inputs_b)


@dataclass(frozen=True, eq=False)
class _Step:
    before: State  # the State the scene replaced
    shown_before: int | None  # the scene shown then, if any
    after: State  # the scene's State
    shown: int  # the scene opened


class SceneSteps:
    """Remembers each scene step by its States, so that an undo that lands on the State before a
    scene brings back the caption shown then (or none), and a redo the scene's caption."""

    def __init__(self) -> None:
        self._steps: deque[_Step] = deque(maxlen=REMEMBERED_STEPS)

    def record(self, before: State, shown_before: int | None, after: State, shown: int) -> None:
        if after is not before:
            self._steps.append(_Step(before, shown_before, after, shown))

    def scene_at(self, state: State) -> tuple[bool, int | None]:
        """(known, scene): whether `state` is one a scene step left or replaced, and then which
        scene (None: none) belongs with it. Matched by identity: the undo stack hands back the
        very States it was given."""
        for step in reversed(self._steps):
            if state is step.after:
                return True, step.shown
            if state is step.before:
                return True, step.shown_before
        return False, None
