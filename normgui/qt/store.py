"""The one place the current State lives, with undo, and coalesced recomputation.

Widgets write new States here; views draw the Frame it publishes. However many States arrive in
one turn of the event loop (a slider drag), the Frame is computed once, for the newest.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from normgui.core.pipeline import Frame, compute
from normgui.core.state import State

# Edits of the same control that follow each other closely (a slider drag, typing in a spin box)
# merge into one undo step; each control's label maps to a stable command id. A pause longer than
# MERGE_PAUSE_S starts a new step, so two separate drags of one slider are two undo steps.
_MERGE_IDS: dict[str, int] = {}
MERGE_PAUSE_S = 1.0
UNDO_LIMIT = 200


def _merge_id(label: str) -> int:
    return _MERGE_IDS.setdefault(label, len(_MERGE_IDS) + 1)


class _StateCommand(QUndoCommand):
    def __init__(self, store: Store, old: State, new: State, label: str, merge: bool) -> None:
        super().__init__(label)
        self._store = store
        self._old = old
        self._new = new
        self._id = _merge_id(label) if merge else -1
        self._last_edit = time.monotonic()

    def id(self) -> int:
        return self._id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _StateCommand) or other.id() != self._id:
            return False
        if other._last_edit - self._last_edit > MERGE_PAUSE_S:
            return False
        self._new = other._new
        self._last_edit = other._last_edit
        return True

    def redo(self) -> None:
        self._store._apply(self._new)

    def undo(self) -> None:
        self._store._apply(self._old)


class Store(QObject):
    """Holds the current State and its Frame; the single writer of both."""

    state_changed = Signal(object)  # State: at once, so controls stay in step
    frame_changed = Signal(object)  # Frame: once per event-loop turn at most
    error = Signal(str)  # a message for the user: what was wrong, nothing changed
    notice = Signal(str)  # a message for the status bar

    def __init__(self, state: State | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state if state is not None else State()
        self._frame: Frame | None = None
        self.compute_count = 0  # how many Frames were computed: for tests and the benchmark
        self.undo_stack = QUndoStack(self)
        # Each step keeps its States; with a million-value input a step that changes the data
        # holds 8 MB, so the history is bounded.
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._publish)
        self._timer.start()

    @property
    def state(self) -> State:
        return self._state

    @property
    def frame(self) -> Frame:
        """The Frame of the current State (computed now if an update is still pending)."""
        if self._frame is None or self._frame.state is not self._state:
            self._recompute()
        assert self._frame is not None
        return self._frame

    def set_state(self, state: State, label: str = "Change", merge: bool = False) -> None:
        """Make `state` current as one undoable step named `label`.

        With merge=True, consecutive steps with the same label become one (a slider drag).
        """
        if state is self._state or state.same_as(self._state):
            return
        self.undo_stack.push(_StateCommand(self, self._state, state, label, merge))

    def update(self, label: str, merge: bool = False, **changes: object) -> bool:
        """Apply `changes` to the current State; a change the State refuses is reported as an
        error and leaves everything as it was. Returns whether the change was taken."""
        try:
            new = self._state.replace(**changes)
        except (ValueError, TypeError) as exc:
            self.error.emit(str(exc))
            return False
        self.set_state(new, label, merge)
        return True

    def reset(self, state: State) -> None:
        """Start over from `state` with an empty undo history (a session opened)."""
        self.undo_stack.clear()
        self._apply(state)

    def _apply(self, state: State) -> None:
        self._state = state
        self.state_changed.emit(state)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Compute and publish now rather than at the next turn of the event loop."""
        self._timer.stop()
        self._publish()

    def _recompute(self) -> None:
        self._frame = compute(self._state)
        self.compute_count += 1

    def _publish(self) -> None:
        if self._frame is None or self._frame.state is not self._state:
            self._recompute()
        self.frame_changed.emit(self._frame)
