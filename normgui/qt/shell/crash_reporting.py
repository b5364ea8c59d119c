"""Errors never kill the app: an uncaught exception is logged and shown, and work goes on.

`install()` (called by `normgui.__main__.main`, not by the tests unless they ask) sets
`sys.excepthook` and `threading.excepthook`: the traceback goes to `<data folder>/normgui.log`
and to a non-modal dialog with the details and a Copy button. A burst of errors fills one
dialog rather than stacking a hundred. `faulthandler` writes to the same log, so even a hard
crash of the interpreter leaves its traceback there. The log is moved to `normgui.log.1` when it
passes MAX_LOG_BYTES at a start, and one run logs at most MAX_LOGGED tracebacks.
"""

from __future__ import annotations

import contextlib
import datetime
import faulthandler
import os
import platform
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import IO, Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from normgui.qt.app_data import LOG_NAME, data_folder

MAX_LOG_BYTES: Final = 1_000_000
MAX_LOGGED: Final = 50  # tracebacks logged per run: a loop of errors must not fill the disk
MAX_SHOWN: Final = 20  # tracebacks kept in the dialog's details

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class ErrorDialog(QDialog):
    """'Something went wrong', what to do about it, the details, Copy and Close."""

    def __init__(self, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorDialog")
        self.setWindowTitle("Unexpected error")  # Qt appends " — normgui"
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._reports: list[str] = []
        self._count = 0
        where = f" They are also in the log file {log_path}." if log_path else ""
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Error summary")
        self._where = where
        icon = QLabel()
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(size)
        )
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setAccessibleName("Error details")
        self.details.setMinimumSize(560, 220)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy details")
        self.copy_button.setAccessibleName("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.rejected.connect(self.close)

        header = QHBoxLayout()
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def add_report(self, text: str) -> None:
        """Add one traceback; the dialog keeps the newest MAX_SHOWN."""
        self._count += 1
        self._reports = [*self._reports, text][-MAX_SHOWN:]
        errors = "An error" if self._count == 1 else f"{self._count} errors"
        self.summary.setText(
            f"<b>{errors} happened inside normgui.</b><br>Your work is safe: it is autosaved "
            "and you can go on. If it happens again, please send the details below with a "
            f"word on what you were doing.{self._where}"
        )
        self.details.setPlainText("\n".join([_versions(), *self._reports]))
        self.details.verticalScrollBar().setValue(self.details.verticalScrollBar().maximum())

    def text(self) -> str:
        return self.details.toPlainText()

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy_button.setText("Copied")


class CrashReporter(QObject):
    """The hooks, the log file and the dialog. Use `install()` / `uninstall()`."""

    _reported = Signal(str)  # a traceback, delivered to the GUI thread

    def __init__(self, log_path: Path | None) -> None:
        super().__init__()
        self.log_path = log_path
        self.dialog: ErrorDialog | None = None
        self.logged = 0
        self._log: IO[str] | None = None
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._faulthandler_was_on = faulthandler.is_enabled()
        self._faulthandler_ours = False
        self._reporting = threading.local()  # an error while reporting one is not reported
        self._write_lock = threading.Lock()
        self._installed = False
        self._reported.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self, with_faulthandler: bool = True) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._faulthandler_was_on = faulthandler.is_enabled()
        if self.log_path is not None:
            try:
                _rotate(self.log_path)
                self._log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115
            except OSError as exc:
                print(f"normgui: cannot write the log {self.log_path}: {exc}", file=sys.stderr)
                self._log = None
        self._write(f"--- normgui started {_now()} (pid {os.getpid()}, {_versions()}) ---\n")
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._installed = True
        if with_faulthandler and self._log is not None:
            faulthandler.enable(file=self._log, all_threads=True)
            self._faulthandler_ours = True

    def uninstall(self) -> None:
        self._installed = False
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self.thread_excepthook:
            threading.excepthook = self._previous_thread_hook
        if self._faulthandler_ours:
            faulthandler.disable()
            if self._faulthandler_was_on and sys.__stderr__ is not None:
                faulthandler.enable(file=sys.__stderr__)
            self._faulthandler_ours = False
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.dialog is not None:
            self.dialog.close()

    # --- the hooks ----------------------------------------------------------------------------

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self._previous_hook(exc_type, exc, tb)
            return
        self.report((exc_type, exc, tb), threading.current_thread().name)

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        where = args.thread.name if args.thread is not None else "a thread"
        self.report((args.exc_type, args.exc_value, args.exc_traceback), where)

    def report(self, info: ExcInfo, thread: str) -> None:
        """Log one uncaught exception, print it to stderr and show it (from any thread)."""
        if getattr(self._reporting, "busy", False):
            return
        self._reporting.busy = True
        try:
            text = "".join(traceback.format_exception(*info))
            header = f"{_now()} uncaught exception in {thread}:\n"
            self.logged += 1
            if self.logged <= MAX_LOGGED:
                self._write(header + text)
            elif self.logged == MAX_LOGGED + 1:
                self._write(f"{_now()} more errors follow; they are not logged\n")
            with contextlib.suppress(Exception):
                print(header + text, file=sys.__stderr__ or sys.stderr, end="")
            self._reported.emit(header + text)
        finally:
            self._reporting.busy = False

    def _show(self, text: str) -> None:
        if not self._installed or QApplication.instance() is None:
            return
        if self.dialog is None:
            self.dialog = ErrorDialog(self.log_path, _main_window())
            self.dialog.destroyed.connect(self._on_dialog_destroyed)
            self.dialog.add_report(text)
            self.dialog.show()
        else:
            self.dialog.add_report(text)  # a burst: one dialog, more details

    def _on_dialog_destroyed(self) -> None:
        self.dialog = None

    def _write(self, text: str) -> None:
        with self._write_lock, contextlib.suppress(OSError, ValueError):
            if self._log is not None:
                self._log.write(text)
                self._log.flush()


_installed: CrashReporter | None = None


def install(log_path: Path | None = None, with_faulthandler: bool = True) -> CrashReporter:
    """Catch every uncaught exception from now on (logged to the data folder by default)."""
    global _installed
    if _installed is not None:
        return _installed
    if log_path is None:
        try:
            log_path = data_folder() / LOG_NAME
        except OSError:
            log_path = None
    _installed = CrashReporter(log_path)
    _installed.install(with_faulthandler)
    return _installed


def uninstall() -> None:
    """Put the hooks back as they were (for tests)."""
    global _installed
    if _installed is not None:
        _installed.uninstall()
        _installed.deleteLater()
        _installed = None


def _rotate(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        if path.stat().st_size > MAX_LOG_BYTES:
            os.replace(path, path.with_name(path.name + ".1"))


def _main_window() -> QWidget | None:
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)]
    visible = [w for w in windows if w.isVisible()]
    return (visible or windows)[0] if windows else None


def _now() -> str:
    return datetime.datetime.now().isoformat(timespec="seconds")


def _versions() -> str:
    from PySide6 import __version__ as pyside

    from normgui import __version__

    return (
        f"normgui {__version__}, Python {platform.python_version()}, PySide6 {pyside}, "
        f"{platform.platform()}"
    )
