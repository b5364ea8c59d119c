"""Autosave and recovery: debounced writes, the next window comes back to them, crash or not."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from normgui.core.state import State
from normgui.qt.app_data import (
    AUTOSAVE_NAME,
    DAMAGED_AUTOSAVE_NAME,
    LOCK_NAME,
    PREVIOUS_AUTOSAVE_NAME,
    data_folder,
)
from normgui.qt.sessions import autosave
from normgui.qt.sessions.autosave import AUTOSAVE_DELAY_MS, CRASH_MESSAGE, WELCOME_BACK_MESSAGE
from normgui.qt.shell.main_window import MainWindow
from normgui.session import dumps, load, save, save_text


def _window(qtbot: QtBot, state: State | None = None) -> MainWindow:
    w = MainWindow(state)
    qtbot.addWidget(w)
    return w


def _leave_a_stale_lock(folder: Path) -> None:
    """A lock file as a normgui killed mid-run leaves it: its process is gone."""
    code = (
        "import os, sys\n"
        "from PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1])\n"
        "assert lock.tryLock(0)\n"
        "os._exit(0)  # no destructor runs: the lock file stays, as after a crash\n"
    )
    subprocess.run([sys.executable, "-c", code, str(folder / LOCK_NAME)], check=True)
    assert (folder / LOCK_NAME).exists()


def test_the_data_folder_is_the_tests_own(_isolated_paths: Path) -> None:
    assert data_folder().is_relative_to(_isolated_paths)


def test_many_changes_are_written_once_within_a_second(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes: list[tuple[float, str]] = []

    def counting_save(text: str, path: Path) -> None:  # on the writer thread
        writes.append((time.monotonic(), text))  # when the write starts: the disk is not timed
        save_text(text, path)

    monkeypatch.setattr(autosave, "save_text", counting_save)
    w = _window(qtbot)
    assert w.autosaver is not None and w.autosaver.active
    autosave_file = data_folder() / AUTOSAVE_NAME
    for i in range(40):  # a slider drag: many changes, close together
        w.store.update("γ", merge=True, gamma=1.0 + i / 10)
        QApplication.processEvents()
    last_change = time.monotonic()
    qtbot.waitUntil(lambda: len(writes) == 1 and autosave_file.exists(), timeout=3000)
    written_at, text = writes[0]
    # The write is due AUTOSAVE_DELAY_MS after the last change; the rest of the bound is slack
    # for a loaded, shared machine (speed is the benchmark's business, not this test's).
    assert written_at - last_change < AUTOSAVE_DELAY_MS / 1000 + 1.5
    assert text == dumps(w.store.state)
    qtbot.wait(AUTOSAVE_DELAY_MS + 200)
    assert len(writes) == 1  # and nothing more while nothing changes
    assert load(autosave_file).gamma == pytest.approx(4.9)


def test_after_a_clean_quit_the_next_window_starts_where_it_left_off(qtbot: QtBot) -> None:
    first = _window(qtbot, State(gamma=3.0))  # nothing unsaved: closing asks nothing
    assert first.close()  # at once: the pending write is not waited for
    assert not (data_folder() / LOCK_NAME).exists()

    second = _window(qtbot)
    assert second.store.state.gamma == 3.0
    assert second.statusBar().currentMessage() == WELCOME_BACK_MESSAGE
    second.undo_action.trigger()  # Undo takes the restore back
    assert second.store.state.same_as(State())


def test_changes_discarded_on_quit_are_gone_at_the_next_start(
    qtbot: QtBot, _answer_unsaved_changes: list[str]
) -> None:
    first = _window(qtbot)
    first.store.update("γ", gamma=3.0)
    assert first.autosaver is not None and first.autosaver.save_now(wait=True)
    assert first.close()
    assert _answer_unsaved_changes == ["closing"]  # answered Discard
    assert not (data_folder() / AUTOSAVE_NAME).exists()
    second = _window(qtbot)
    assert second.store.state.same_as(State())
    assert not second.store.undo_stack.canUndo()
    assert "Welcome back" not in second.statusBar().currentMessage()


def test_after_a_crash_the_next_window_restores_and_says_so(qtbot: QtBot) -> None:
    folder = data_folder()
    save(State(inputs_a=[[9.0, 8.0, 7.0]]), folder / AUTOSAVE_NAME)
    _leave_a_stale_lock(folder)

    w = _window(qtbot)
    assert w.store.state.inputs_a.tolist() == [[9.0, 8.0, 7.0]]
    assert w.statusBar().currentMessage() == CRASH_MESSAGE
    assert "Undo" in CRASH_MESSAGE and "unexpectedly" in CRASH_MESSAGE
    assert w.isWindowModified()  # the restored work is in no file yet
    w.undo_action.trigger()
    assert w.store.state.same_as(State())
    w.redo_action.trigger()
    assert w.store.state.inputs_a.tolist() == [[9.0, 8.0, 7.0]]


def test_an_explicit_state_wins_and_the_old_autosave_is_kept(qtbot: QtBot) -> None:
    folder = data_folder()
    save(State(gamma=3.0), folder / AUTOSAVE_NAME)
    w = _window(qtbot, State(method="rmsnorm"))
    assert w.store.state.method == "rmsnorm" and w.store.state.gamma == 1.0
    assert not w.store.undo_stack.canUndo()
    assert load(folder / PREVIOUS_AUTOSAVE_NAME).gamma == 3.0
    assert w.autosaver is not None
    assert w.autosaver.save_now(wait=True)
    assert load(folder / AUTOSAVE_NAME).method == "rmsnorm"


def test_a_saved_session_comes_back_by_name_and_unmodified(qtbot: QtBot, tmp_path: Path) -> None:
    first = _window(qtbot)
    first.store.update("γ", gamma=2.0)
    first.sessions.save_to(tmp_path / "lesson.normgui")
    first.close()
    second = _window(qtbot)
    assert second.store.state.gamma == 2.0
    assert second.windowTitle().startswith("lesson")
    assert not second.isWindowModified()
    second.store.update("γ", gamma=4.0)
    second.close()  # unsaved changes: the conftest answers "discard"
    third = _window(qtbot)  # the session as it was saved, not the discarded change
    assert third.store.state.gamma == 2.0
    assert third.windowTitle().startswith("lesson") and not third.isWindowModified()


def test_a_damaged_autosave_is_kept_aside_and_reported(qtbot: QtBot) -> None:
    folder = data_folder()
    (folder / AUTOSAVE_NAME).write_bytes(b'{"format": "normgui-session", "vers')
    w = _window(qtbot)
    assert w.store.state.same_as(State())
    assert "could not be restored" in w.statusBar().currentMessage()
    assert (folder / DAMAGED_AUTOSAVE_NAME).exists()
    assert not (folder / AUTOSAVE_NAME).exists()


def test_a_second_window_does_not_overwrite_the_first_ones_autosave(qtbot: QtBot) -> None:
    first = _window(qtbot)
    second = _window(qtbot)
    assert first.autosaver is not None and first.autosaver.active
    assert second.autosaver is not None and not second.autosaver.active
    assert "not" in second.statusBar().currentMessage()
    second.store.update("γ", gamma=7.0)
    assert not second.autosaver.save_now(wait=True)


def test_a_failing_autosave_is_reported_once(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(text: str, path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(autosave, "save_text", full_disk)
    w = _window(qtbot)
    errors: list[str] = []
    w.store.error.connect(errors.append)
    assert w.autosaver is not None
    for gamma in (2.0, 3.0, 4.0):
        w.store.update("γ", gamma=gamma)
        assert not w.autosaver.save_now(wait=True)
    assert errors == ["Autosave failed: No space left on device"]
    monkeypatch.undo()
    assert w.autosaver.save_now(wait=True)


def test_headless_windows_neither_restore_nor_autosave(qtbot: QtBot) -> None:
    save(State(gamma=3.0), data_folder() / AUTOSAVE_NAME)
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    assert w.autosaver is None
    assert w.store.state.gamma == 1.0
    assert not (data_folder() / LOCK_NAME).exists()


def test_window_layout_and_theme_persist(qtbot: QtBot) -> None:
    first = _window(qtbot)
    first.show()
    first.resize(700, 500)  # within the offscreen screen (800 × 600)
    first.norm_dock.hide()
    first.dark_action.setChecked(True)
    first.close()
    second = _window(qtbot)
    second.show()
    assert second.dark_action.isChecked()
    assert second.theme.name == first.theme.name
    assert second.norm_dock.isHidden()
    assert (second.width(), second.height()) == (700, 500)
    second.close()


def test_failures_on_the_writer_thread_are_reported_too(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(text: str, path: Path) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(autosave, "save_text", full_disk)
    w = _window(qtbot)
    with qtbot.waitSignal(w.store.error, timeout=2000) as blocker:
        w.store.update("γ", gamma=2.0)
    assert blocker.args == ["Autosave failed: No space left on device"]


def test_a_large_input_does_not_stall_the_window(qtbot: QtBot) -> None:
    data = np.random.default_rng(0).normal(size=(500, 1000))
    w = _window(qtbot, State(inputs_a=data))
    assert w.autosaver is not None
    assert w.autosaver.save_now(wait=True)  # the first time, the table becomes text
    w.store.update("γ", gamma=2.0)
    started = time.perf_counter()
    assert w.autosaver.save_now()  # then: the small fields, and the file on another thread
    assert time.perf_counter() - started < 0.25
    w.autosaver.save_now(wait=True)
    restored = load(data_folder() / AUTOSAVE_NAME)
    assert restored.gamma == 2.0 and np.array_equal(restored.inputs_a, data)


def test_a_write_cut_off_by_a_crash_leaves_no_stray_file(qtbot: QtBot) -> None:
    stray = data_folder() / f".{AUTOSAVE_NAME}.x1y2z3.tmp"
    stray.write_text('{"format": "normgui-session", "ver')
    _window(qtbot)
    assert not stray.exists()
