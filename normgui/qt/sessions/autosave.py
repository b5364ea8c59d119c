"""Autosave and recovery: the State is written to the data folder within a second of the last
change, and the next start comes back to it by itself, without a question.

How the next start knows whether the last one crashed: a running normgui holds a lock file
(QLockFile, with its process id) next to the autosave and removes it on a clean quit. A lock file
whose process is gone means the last run ended unexpectedly. The same lock keeps a second normgui
started meanwhile from overwriting the first one's autosave: only the holder autosaves.

Restoring is an undoable step over the default State, so Undo takes it back.
"""

from __future__ import annotations

import contextlib
import os
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QLockFile, QObject, QTimer, Signal

from normgui.core.state import State
from normgui.qt.app_data import (
    AUTOSAVE_NAME,
    DAMAGED_AUTOSAVE_NAME,
    LOCK_NAME,
    PREVIOUS_AUTOSAVE_NAME,
    data_folder,
    settings,
)
from normgui.qt.sessions.session_actions import SessionActions
from normgui.qt.store import Store
from normgui.session import SessionError, dumps, load, save_text

# The write comes this long after the last change: a slider drag is written once, at its end,
# and still well within a second.
AUTOSAVE_DELAY_MS: Final = 500
SESSION_PATH_KEY: Final = "autosave/sessionPath"
RESTORE_LABEL: Final = "Restore the last session"
CRASH_MESSAGE: Final = (
    "Restored your work from the last session (it ended unexpectedly) — Undo takes this back"
)
WELCOME_BACK_MESSAGE: Final = "Welcome back: this is where you left off — Undo takes this back"


class Autosaver(QObject):
    """Writes `store.state` to `<data folder>/autosave.normgui`, debounced.

    The text is made on the GUI thread (quickly: `dumps` keeps the text of a large input it has
    seen) and the file is written on a worker thread, so even a 20 MB autosave never stalls the
    window. `active` says whether this one autosaves (it holds the lock); `crashed` whether the
    run before ended without a clean quit; `problem` says why autosave is off, if it is.
    """

    _write_failed = Signal(str)  # from the writer thread: why
    _write_succeeded = Signal()

    def __init__(
        self,
        store: Store,
        folder: Path | None = None,
        delay_ms: int = AUTOSAVE_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else store)
        self._store = store
        self.active = False
        self.crashed = False
        self.problem: str | None = None
        self.path: Path | None = None
        self._written: State | None = None
        self._failing = False
        self._writer: ThreadPoolExecutor | None = None
        self._pending: Future[bool] | None = None
        self._write_failed.connect(self._on_write_failed)
        self._write_succeeded.connect(self._on_write_succeeded)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.save_now)
        try:
            self.folder = folder if folder is not None else data_folder()
        except OSError as exc:
            self.problem = f"Autosave is off: no data folder ({exc})"
            return
        self._lock = QLockFile(str(self.folder / LOCK_NAME))
        # Stale only when its process is gone, however long the first normgui has been running.
        self._lock.setStaleLockTime(0)
        left_behind = (self.folder / LOCK_NAME).exists()
        if not self._lock.tryLock(0):
            if self._lock.error() == QLockFile.LockError.LockFailedError:
                self.problem = "Another normgui is running and autosaving: this window is not"
            else:
                self.problem = f"Autosave is off: {self.folder} is not writable"
            return
        self.active = True
        self.crashed = left_behind
        self.path = self.folder / AUTOSAVE_NAME
        for stray in self.folder.glob(f".{AUTOSAVE_NAME}.*.tmp"):  # a write cut off by a crash
            with contextlib.suppress(OSError):
                stray.unlink()
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="normgui-autosave")
        store.state_changed.connect(self._on_store_state_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.finish)

    # --- the autosave file --------------------------------------------------------------------

    def saved_state(self) -> State | None:
        """The State the last run left, or None. A damaged file is moved aside (see `problem`)."""
        if not self.active or self.path is None or not self.path.exists():
            return None
        try:
            return load(self.path)
        except SessionError as exc:
            aside = self.folder / DAMAGED_AUTOSAVE_NAME
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            self.problem = f"Your last work could not be restored ({exc}); it is kept in {aside}"
            return None

    def keep_previous(self) -> None:
        """Keep the last run's autosave aside (a start that shows something else instead)."""
        if self.active and self.path is not None and self.path.exists():
            with contextlib.suppress(OSError):
                os.replace(self.path, self.folder / PREVIOUS_AUTOSAVE_NAME)

    def schedule(self) -> None:
        """Write within AUTOSAVE_DELAY_MS, unless another change comes first."""
        if self.active:
            self._timer.start()

    def save_now(self, wait: bool = False) -> bool:
        """Write the current State now, if it changed since the last write: on the writer
        thread, or with `wait` here, returning whether it was written."""
        self._timer.stop()
        if not self.active or self.path is None or self._writer is None:
            return False
        state = self._store.state
        if state is not self._written:
            self._written = state
            try:
                text = dumps(state)
            except ValueError as exc:  # a State is always finite, so this is only in case
                self._on_write_failed(str(exc))
                return False
            if not wait:
                self._pending = self._writer.submit(self._write, text, self.path)
                return True
            self._wait()
            return self._write(text, self.path)
        self._wait()
        return not self._failing

    def finish(self, discard: bool = False) -> None:
        """A clean quit: write what is pending and give the lock back. With `discard` (the user
        chose to discard the changes) they are not kept: the next start shows the session file
        as it was saved, or starts afresh. Only a crash, not a choice, brings changes back."""
        if not self.active:
            return
        if discard:
            self._discard()
        else:
            self.save_now(wait=True)
        if self._writer is not None:
            self._writer.shutdown(wait=True)
        self._lock.unlock()
        self.active = False

    def _discard(self) -> None:
        self._timer.stop()
        self._wait()
        if self.path is None:
            return
        session = self.session_path()
        text = None
        if session is not None:
            with contextlib.suppress(ValueError):  # (a SessionError too): as if there were none
                text = dumps(load(session))  # the autosave becomes the file as it was saved
        if text is None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()
            self.set_session_path(None)
            return
        self._written = None
        if not self._write(text, self.path):  # (said why) no autosave rather than the changes
            with contextlib.suppress(OSError):
                self.path.unlink()

    def _wait(self) -> None:
        if self._pending is not None:
            self._pending.result()
            self._pending = None
            QCoreApplication.sendPostedEvents(self)  # its outcome, before the next one

    def _write(self, text: str, path: Path) -> bool:
        """(On the writer thread, or any.) Write and report how it went."""
        try:
            save_text(text, path)
        except OSError as exc:
            self._write_failed.emit(exc.strerror or str(exc))
            return False
        self._write_succeeded.emit()
        return True

    def _on_write_failed(self, reason: str) -> None:
        self._written = None  # so that the next try writes again
        if not self._failing:  # one message per streak of failures, not one per change
            self._store.error.emit(f"Autosave failed: {reason}")
        self._failing = True

    def _on_write_succeeded(self) -> None:
        self._failing = False

    # --- the session file the autosaved State belongs to --------------------------------------

    def session_path(self) -> Path | None:
        value = settings().value(SESSION_PATH_KEY, "")
        return Path(value) if isinstance(value, str) and value else None

    def set_session_path(self, path: Path | None) -> None:
        if self.active:
            store = settings()
            store.setValue(SESSION_PATH_KEY, "" if path is None else str(path))
            store.sync()  # a crash soon after must still find it

    def _on_store_state_changed(self, _state: State) -> None:
        self.schedule()


def start_autosave(
    store: Store, sessions: SessionActions, restore: bool, parent: QObject | None = None
) -> Autosaver:
    """Autosave the State in `store`; with `restore`, first come back to what the last run left.

    `sessions` learns which session file a restored State belongs to, and tells the autosave
    which one the State shown belongs to. What happened is said through the store's messages.
    """
    autosaver = Autosaver(store, parent=parent)
    if restore:
        restore_last_session(store, sessions, autosaver)
    else:
        autosaver.keep_previous()
        autosaver.set_session_path(None)
        autosaver.schedule()
    sessions.path_changed.connect(autosaver.set_session_path)
    if autosaver.problem:
        store.error.emit(autosaver.problem)
    return autosaver


def restore_last_session(store: Store, sessions: SessionActions, autosaver: Autosaver) -> bool:
    """Show the autosaved State as an undoable step, and say so; returns whether it did."""
    state = autosaver.saved_state()
    if state is None:
        return False
    before = store.state
    store.set_state(state, RESTORE_LABEL)
    if store.state is before:  # the last run ended where a new one starts: nothing to say
        return False
    path = autosaver.session_path()
    if path is not None and path.is_file():
        sessions.set_path(path)
        with contextlib.suppress(SessionError):
            if load(path).same_as(state):
                store.undo_stack.setClean()
    store.notice.emit(CRASH_MESSAGE if autosaver.crashed else WELCOME_BACK_MESSAGE)
    return True
