"""File → New, Open, Open Recent, Save and Save As: sessions in the main window.

A session file is written by `normgui.session.save` (atomic: temporary file, fsync, rename) and
read by `normgui.session.load`, which refuses anything damaged or hostile with a SessionError;
the window then shows the message in the status bar and keeps its State. The list of recent files
lives in QSettings.

The questions this module asks — a file to open, a file to save to (and whether to keep the
Training page's recorded history in it), and what to do with unsaved changes — go through
`QFileDialog.getOpenFileName`, `ask_save_path` and `ask_save_changes`, which tests replace to
answer automatically.

A session keeps the training history only when asked to (Save As's checkbox): it is large, and
a picture of a run rather than a run (no weights). Save keeps what the file was saved with.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QCheckBox, QFileDialog, QGridLayout, QMenu, QMessageBox, QWidget

from normgui.core.state import State
from normgui.qt.app_data import settings
from normgui.qt.store import Store
from normgui.session import SUFFIX, SessionError, load_session, save

if TYPE_CHECKING:  # (the training engine is loaded when a history is, not at start-up)
    from normgui.core.training.history import History

MAX_RECENT: Final = 5
RECENT_KEY: Final = "sessions/recentFiles"
FOLDER_KEY: Final = "sessions/lastFolder"
FILE_FILTER: Final = f"normgui sessions (*{SUFFIX});;All files (*)"
UNTITLED: Final = "Untitled"

Answer = Literal["save", "discard", "cancel"]
KEEP_HISTORY: Final = "Keep the training history"


def ask_save_path(parent: QWidget, start: str, keep: bool, can_keep: bool) -> tuple[str, bool]:
    """Ask for a file to save the session to, and whether to keep the training history in it
    (`keep` ticked at first; `can_keep`: whether there is a history to keep). Returns the path
    ("" if cancelled) and the answer. A modal question; tests replace this function."""
    dialog = QFileDialog(parent, "Save session", start, FILE_FILTER)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    # The system's own dialog takes no control of ours: Qt's dialog, with the checkbox under it.
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    box = QCheckBox(KEEP_HISTORY, dialog)
    box.setChecked(keep and can_keep)
    box.setEnabled(can_keep)
    box.setToolTip(
        "Save the Training page's records with the session, so that the run shows at once "
        "when it is opened (without the network's weights: Run starts again from step 0)"
        if can_keep
        else "There is no training history to keep: train on the Training page first (a run "
        "whose settings were changed since it started cannot be kept either)"
    )
    layout = dialog.layout()
    if isinstance(layout, QGridLayout):
        layout.addWidget(box, layout.rowCount(), 0, 1, -1)
    accepted = dialog.exec() == QFileDialog.DialogCode.Accepted
    files = dialog.selectedFiles()
    keep_it = box.isChecked()
    dialog.deleteLater()
    return (files[0] if accepted and files else ""), keep_it


def ask_save_changes(parent: QWidget, name: str, doing: str, in_a_file: bool) -> Answer:
    """Ask whether to save unsaved changes first: "save", "discard" or "cancel".

    A modal question; tests replace this function to answer it.
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Unsaved changes")
    box.setText(f"Save the changes to “{name}” before {doing}?")
    # Discard on closing leaves the autosave as the session file was saved (Autosaver.finish):
    # the next start shows that file, or, with no file, starts afresh.
    if doing == "closing" and in_a_file:
        info = "Without saving, they are gone: normgui opens the file as it was saved next time."
    elif doing == "closing":
        info = "Without saving, they are gone: normgui starts afresh next time."
    elif in_a_file:
        info = "Without saving, the session file keeps what it had."
    else:
        info = "They are in no session file yet: without saving, they are gone."
    box.setInformativeText(info)
    buttons = QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    clicked = box.exec()
    box.deleteLater()
    if clicked == buttons.Save:
        return "save"
    if clicked == buttons.Discard:
        return "discard"
    return "cancel"


class SessionActions(QObject):
    """The session commands for the State in `store`, and the file it belongs to (`path`).

    `parent` is the window its questions and file dialogs belong to; the window names itself
    after `name` and follows `path_changed`.
    """

    path_changed = Signal(object)  # Path | None: the session file the State now belongs to
    history_opened = Signal(object)  # History: the training history an opened session kept

    def __init__(self, store: Store, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._store = store
        self.path: Path | None = None
        self.discarded = False  # the last question about unsaved changes was answered Discard
        # The history a save may keep (the Training page's, if it has one to keep), and whether
        # the session file keeps it: Save keeps what the file was saved or opened with.
        self.history_source: Callable[[], History | None] = lambda: None
        self.keep_history = False

        self.new_action = self._action("&New session", QKeySequence.StandardKey.New)
        self.new_action.setToolTip("Start again from the default values")
        self.new_action.triggered.connect(self._on_new_action_triggered)
        self.open_action = self._action("&Open session…", QKeySequence.StandardKey.Open)
        self.open_action.setToolTip("Open a saved .normgui session")
        self.open_action.triggered.connect(self._on_open_action_triggered)
        self.save_action = self._action("&Save session", QKeySequence.StandardKey.Save)
        self.save_action.setToolTip("Save everything shown to a .normgui session file")
        self.save_action.triggered.connect(self._on_save_action_triggered)
        # Ctrl+Shift+S everywhere: QKeySequence.SaveAs is empty on some platforms (Windows).
        self.save_as_action = self._action("Save session &as…", QKeySequence("Ctrl+Shift+S"))
        self.save_as_action.triggered.connect(self._on_save_as_action_triggered)

        self.recent_menu = QMenu("Open &recent", parent)
        self.recent_menu.setToolTipsVisible(True)
        self.recent_menu.aboutToShow.connect(self._rebuild_recent_menu)
        self.clear_recent_action = QAction("&Clear the list", self)
        self.clear_recent_action.triggered.connect(self._on_clear_recent_action_triggered)
        self._rebuild_recent_menu()

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        return action

    def fill_file_menu(self, menu: QMenu) -> None:
        """Add the session commands to `menu` (the File menu), then a separator."""
        menu.addActions([self.new_action, self.open_action])
        menu.addMenu(self.recent_menu)
        menu.addActions([self.save_action, self.save_as_action])
        menu.addSeparator()

    @property
    def name(self) -> str:
        """The session's name, for the window title: its file's name, or "Untitled"."""
        return UNTITLED if self.path is None else self.path.stem

    # --- what the window and the command line call --------------------------------------------

    def set_path(self, path: str | Path | None) -> None:
        """The State shown now is (or, None, is not) the content of session file `path`."""
        self.path = None if path is None else Path(path).absolute()
        if self.path is not None:
            self._remember(self.path)
        self.path_changed.emit(self.path)

    def open_file(self, path: str | Path) -> bool:
        """Open session file `path`, after asking about unsaved changes; returns whether it did.

        A file that cannot be read is reported in the status bar and changes nothing.
        """
        path = Path(path)
        try:
            session = load_session(path)
        except SessionError as exc:
            self._store.error.emit(str(exc))
            return False
        if not self.confirm_discard("opening another session"):
            return False
        self._store.reset(session.state)
        self.opened(path, session.history)
        self._store.notice.emit(f"Opened {path.name}")
        return True

    def opened(self, path: Path, history: History | None) -> None:
        """The State shown was just read from session file `path`, which kept `history`."""
        self.set_path(path)
        self.keep_history = history is not None
        if history is not None:
            self.history_opened.emit(history)

    def save_to(self, path: str | Path) -> bool:
        """Write the State to `path` (atomically); problems go to the status bar."""
        path = Path(path)
        history = self.history_source() if self.keep_history else None
        try:
            save(self._store.state, path, history)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._store.error.emit(f"Could not save {path.name}: {reason}")
            return False
        self._store.undo_stack.setClean()
        self.set_path(path)
        kept = " with the training history" if history is not None else ""
        self._store.notice.emit(f"Saved to {path}{kept}")
        return True

    def save(self) -> bool:
        """Save to the session's file, or ask for one; returns whether it was saved."""
        return self.save_as() if self.path is None else self.save_to(self.path)

    def save_as(self) -> bool:
        """Ask for a file name and save there; returns whether it was saved."""
        start = self.path or self._start_folder() / f"{self.name}{SUFFIX}"
        can_keep = self.history_source() is not None
        path, keep = ask_save_path(self._parent, str(start), self.keep_history, can_keep)
        if not path:
            return False
        self.keep_history = keep and can_keep
        chosen = Path(path)
        if not chosen.suffix:
            chosen = chosen.with_suffix(SUFFIX)
        return self.save_to(chosen)

    def new_session(self) -> bool:
        """Start again from the default State, after asking about unsaved changes."""
        if not self.confirm_discard("starting a new session"):
            return False
        self._store.reset(State())
        self.set_path(None)
        self.keep_history = False
        return True

    def confirm_discard(self, doing: str) -> bool:
        """Whether the State may be replaced: saved, unchanged, or the user said so."""
        self.discarded = False
        if self._store.undo_stack.isClean():
            return True
        answer = ask_save_changes(self._parent, self.name, doing, self.path is not None)
        self.discarded = answer == "discard"
        if answer == "save":
            return self.save()
        return answer == "discard"

    def recent_files(self) -> list[str]:
        """The recently used session files, newest first (at most MAX_RECENT)."""
        value = settings().value(RECENT_KEY, [])
        if isinstance(value, str):  # one entry may come back as a plain string
            value = [value]
        if not isinstance(value, list):
            return []
        return [p for p in value if isinstance(p, str) and p][:MAX_RECENT]

    def open_recent(self, path: str) -> bool:
        """Open a recent file; one that no longer exists leaves the list, with a message."""
        if not Path(path).is_file():
            self._set_recent([p for p in self.recent_files() if p != path])
            self._store.error.emit(
                f"{Path(path).name} is no longer there ({path}): removed from the recent files"
            )
            return False
        return self.open_file(path)

    # --- handlers -----------------------------------------------------------------------------

    def _on_new_action_triggered(self) -> None:
        self.new_session()

    def _on_open_action_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, "Open session", str(self._start_folder()), FILE_FILTER
        )
        if path:
            self.open_file(path)

    def _on_save_action_triggered(self) -> None:
        self.save()

    def _on_save_as_action_triggered(self) -> None:
        self.save_as()

    def _on_clear_recent_action_triggered(self) -> None:
        self._set_recent([])

    # --- helpers ------------------------------------------------------------------------------

    def _remember(self, path: Path) -> None:
        text = str(path)
        self._set_recent([text, *(p for p in self.recent_files() if p != text)])
        settings().setValue(FOLDER_KEY, str(path.parent))

    def _set_recent(self, paths: list[str]) -> None:
        settings().setValue(RECENT_KEY, paths[:MAX_RECENT])
        self._rebuild_recent_menu()

    def _rebuild_recent_menu(self) -> None:
        menu = self.recent_menu
        menu.clear()  # deletes the entries and the separator, which the menu owns
        paths = self.recent_files()
        for number, path in enumerate(paths, start=1):
            action = QAction(f"&{number} {Path(path).name}", menu)
            action.setToolTip(path)
            action.setData(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent(p))
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(paths))
        menu.setEnabled(bool(paths))

    def _start_folder(self) -> Path:
        folder = settings().value(FOLDER_KEY, "")
        if isinstance(folder, str) and folder and Path(folder).is_dir():
            return Path(folder)
        return Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
