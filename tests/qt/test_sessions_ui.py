"""File → New, Open, Open recent, Save, Save as: through the menu actions, with the file dialogs
and the unsaved-changes question answered by the test."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from normgui.core.state import State
from normgui.qt.sessions import session_actions
from normgui.qt.sessions.session_actions import MAX_RECENT
from normgui.qt.shell.main_window import MainWindow
from normgui.session import FORMAT, load, save


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    w = MainWindow(State())
    qtbot.addWidget(w)
    return w


def _answer_dialog(monkeypatch: pytest.MonkeyPatch, which: str, path: Path | str) -> list[str]:
    """Make the file dialog `which` (QFileDialog.getOpenFileName, or "getSaveFileName" for
    Save As's own) return `path` (and record the folder it was asked to start in)."""
    starts: list[str] = []

    def answer(parent: object, caption: str, start: str, filters: str) -> tuple[str, str]:
        starts.append(start)
        return str(path), filters.split(";;")[0]

    def answer_save(parent: object, start: str, keep: bool, can_keep: bool) -> tuple[str, bool]:
        starts.append(start)
        return str(path), keep

    if which == "getSaveFileName":
        monkeypatch.setattr(session_actions, "ask_save_path", answer_save)
    else:
        monkeypatch.setattr(QFileDialog, which, answer)
    return starts


def _answer_unsaved(monkeypatch: pytest.MonkeyPatch, answer: str) -> list[str]:
    asked: list[str] = []

    def ask(parent: object, name: str, doing: str, in_a_file: bool) -> str:
        asked.append(doing)
        return answer

    monkeypatch.setattr(session_actions, "ask_save_changes", ask)
    return asked


def _never(*args: object) -> tuple[str, str]:
    raise AssertionError("no file dialog expected")


def test_shortcuts(window: MainWindow) -> None:
    sessions = window.sessions
    assert sessions.open_action.shortcut() == QKeySequence("Ctrl+O")
    assert sessions.save_action.shortcut() == QKeySequence("Ctrl+S")
    assert sessions.save_as_action.shortcut() == QKeySequence("Ctrl+Shift+S")
    file_menu = window.menuBar().actions()[0].menu()
    assert sessions.open_action in file_menu.actions()
    assert sessions.recent_menu.menuAction() in file_menu.actions()


def test_save_as_then_save(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.store.update("γ", gamma=2.0)
    assert window.isWindowModified()
    _answer_dialog(monkeypatch, "getSaveFileName", tmp_path / "lesson")  # no suffix typed
    window.sessions.save_as_action.trigger()
    path = tmp_path / "lesson.normgui"
    assert load(path).same_as(window.store.state)
    assert window.windowTitle().startswith("lesson")
    assert not window.isWindowModified()
    assert "Saved" in window.statusBar().currentMessage()

    window.store.update("β", beta=0.5)
    assert window.isWindowModified()
    monkeypatch.setattr(session_actions, "ask_save_path", _never)  # Save knows the file now
    window.sessions.save_action.trigger()
    assert load(path).beta == 0.5
    assert not window.isWindowModified()
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == ["lesson.normgui"]


def test_save_without_a_file_asks_for_one(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer_dialog(monkeypatch, "getSaveFileName", tmp_path / "first.normgui")
    window.sessions.save_action.trigger()
    assert (tmp_path / "first.normgui").is_file()


def test_cancelled_dialogs_change_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.store.update("γ", gamma=2.0)
    before = window.store.state
    _answer_dialog(monkeypatch, "getSaveFileName", "")
    _answer_dialog(monkeypatch, "getOpenFileName", "")
    window.sessions.save_as_action.trigger()
    window.sessions.open_action.trigger()
    assert window.store.state is before
    assert window.isWindowModified()


def test_open_replaces_the_state(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.normgui"
    save(State(method="rmsnorm", gamma=0.5), path)
    _answer_dialog(monkeypatch, "getOpenFileName", path)
    window.sessions.open_action.trigger()
    assert window.store.state.method == "rmsnorm"
    assert window.windowTitle().startswith("demo")
    assert not window.isWindowModified()
    assert window.sessions.path == path
    assert window.sessions.recent_files()[0] == str(path)


def _bad_files() -> dict[str, bytes]:
    good = Path(__file__).parent.parent / "data" / "session-v1.normgui"
    text = good.read_bytes()
    return {
        "not JSON": b"hello, world",
        "truncated": text[: len(text) // 2],
        "binary junk": bytes(range(256)) * 8,
        "empty": b"",
        "a future version": text.replace(b'"version": 1', b'"version": 99'),
        "NaN": text.replace(b"1.5", b"NaN", 1),
        "wrong type": text.replace(b'"compare": true', b'"compare": "yes"'),
        "deep nesting": b'{"format": "' + FORMAT.encode() + b'", "x": ' + b"[" * 100_000,
    }


def test_a_bad_file_keeps_the_state_and_says_why(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bad.normgui"
    window.store.update("γ", gamma=2.0)
    before = window.store.state
    _answer_dialog(monkeypatch, "getOpenFileName", path)
    asked = _answer_unsaved(monkeypatch, "discard")
    for kind, content in _bad_files().items():
        path.write_bytes(content)
        window.statusBar().clearMessage()
        window.sessions.open_action.trigger()
        assert window.store.state is before, kind
        message = window.statusBar().currentMessage()
        assert "bad.normgui" in message and len(message) > len("⚠ bad.normgui: ") + 8, kind
    assert window.store.undo_stack.canUndo()
    assert asked == []  # nothing to decide: the file was refused first
    assert window.windowTitle().startswith("Untitled")


def test_a_missing_file(window: MainWindow, tmp_path: Path) -> None:
    assert not window.sessions.open_file(tmp_path / "gone.normgui")
    assert "cannot be read" in window.statusBar().currentMessage()


@pytest.mark.parametrize(
    ("answer", "opened", "saved"),
    [("cancel", False, False), ("discard", True, False), ("save", True, True)],
)
def test_opening_over_unsaved_changes_asks_first(
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    opened: bool,
    saved: bool,
) -> None:
    other = tmp_path / "other.normgui"
    save(State(method="l2"), other)
    window.store.update("γ", gamma=3.0)
    asked = _answer_unsaved(monkeypatch, answer)
    _answer_dialog(monkeypatch, "getSaveFileName", tmp_path / "mine.normgui")
    assert window.sessions.open_file(other) is opened
    assert asked == ["opening another session"]
    assert (window.store.state.method == "l2") is opened
    assert (tmp_path / "mine.normgui").exists() is saved
    if saved:
        assert load(tmp_path / "mine.normgui").gamma == 3.0


def test_save_answered_then_cancelled_keeps_everything(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.normgui"
    save(State(method="l2"), other)
    window.store.update("γ", gamma=3.0)
    _answer_unsaved(monkeypatch, "save")
    _answer_dialog(monkeypatch, "getSaveFileName", "")  # then the file dialog is cancelled
    assert not window.sessions.open_file(other)
    assert window.store.state.gamma == 3.0


@pytest.mark.parametrize(("answer", "closes"), [("cancel", False), ("discard", True)])
def test_closing_with_unsaved_changes_asks(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, answer: str, closes: bool
) -> None:
    w = MainWindow(State())
    qtbot.addWidget(w)
    w.show()
    w.store.update("γ", gamma=3.0)
    asked = _answer_unsaved(monkeypatch, answer)
    assert w.close() is closes
    assert asked == ["closing"]
    assert w.isVisible() is not closes
    if not closes:
        _answer_unsaved(monkeypatch, "discard")
        w.close()


def test_closing_unchanged_asks_nothing(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    w = MainWindow(State())
    qtbot.addWidget(w)
    asked = _answer_unsaved(monkeypatch, "cancel")
    assert w.close()
    assert asked == []


def test_new_session(window: MainWindow, tmp_path: Path) -> None:
    window.sessions.save_to(tmp_path / "a.normgui")
    window.store.update("γ", gamma=3.0)
    window.sessions.new_action.trigger()  # the conftest answers "discard"
    assert window.store.state.same_as(State())
    assert window.sessions.path is None
    assert window.windowTitle().startswith("Untitled")


def test_recent_files_keep_the_newest_five(window: MainWindow, tmp_path: Path) -> None:
    paths = [tmp_path / f"s{i}.normgui" for i in range(MAX_RECENT + 2)]
    for i, path in enumerate(paths):
        window.store.update("γ", gamma=float(i + 1))
        assert window.sessions.save_to(path)
    window.sessions.save_to(paths[2])  # used again: first in the list
    expected = [str(p) for p in [paths[2], *reversed(paths[3:]), paths[1]]][:MAX_RECENT]
    assert window.sessions.recent_files() == expected
    entries = [a for a in window.sessions.recent_menu.actions() if a.data()]
    assert [a.data() for a in entries] == expected
    assert entries[0].text() == "&1 s2.normgui"

    entries[3].trigger()  # s4
    assert window.store.state.gamma == 5.0
    assert window.windowTitle().startswith("s4")


def test_recent_files_survive_a_new_window(qtbot: QtBot, tmp_path: Path) -> None:
    first = MainWindow(State())
    qtbot.addWidget(first)
    first.sessions.save_to(tmp_path / "kept.normgui")
    second = MainWindow(State())
    qtbot.addWidget(second)
    assert second.sessions.recent_files() == [str(tmp_path / "kept.normgui")]


def test_a_missing_recent_file_leaves_the_list(window: MainWindow, tmp_path: Path) -> None:
    gone, kept = tmp_path / "gone.normgui", tmp_path / "kept.normgui"
    window.sessions.save_to(gone)
    window.sessions.save_to(kept)
    gone.unlink()
    before = window.store.state
    (entry,) = (a for a in window.sessions.recent_menu.actions() if a.data() == str(gone))
    entry.trigger()
    assert window.store.state is before
    assert window.sessions.recent_files() == [str(kept)]
    assert "gone.normgui is no longer there" in window.statusBar().currentMessage()


def test_clear_the_recent_list(window: MainWindow, tmp_path: Path) -> None:
    window.sessions.save_to(tmp_path / "a.normgui")
    assert window.sessions.recent_menu.isEnabled()
    window.sessions.clear_recent_action.trigger()
    assert window.sessions.recent_files() == []
    assert not window.sessions.recent_menu.isEnabled()


@pytest.mark.parametrize(
    "where",
    [
        lambda tmp: tmp / "no-such-folder" / "s.normgui",
        lambda tmp: tmp,  # a folder, not a file
    ],
)
def test_saving_where_it_cannot_says_so(
    window: MainWindow, tmp_path: Path, where: Callable[[Path], Path]
) -> None:
    window.store.update("γ", gamma=3.0)
    before = sorted(tmp_path.rglob("*"))
    assert not window.sessions.save_to(where(tmp_path))
    assert "Could not save" in window.statusBar().currentMessage()
    assert window.isWindowModified()
    assert window.sessions.path is None
    assert sorted(tmp_path.rglob("*")) == before  # no stray temporary file


def test_the_file_dialogs_start_in_the_last_folder(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    window.sessions.save_to(folder / "a.normgui")
    starts = _answer_dialog(monkeypatch, "getOpenFileName", "")
    window.sessions.open_action.trigger()
    assert starts == [str(folder)]


def _small_training() -> State:
    from dataclasses import replace

    from normgui.core.training.preset import RunConfig
    from normgui.core.training.setup import TrainingSetup

    small = RunConfig(hidden=(6,), lr=0.5, batch_size=30)
    setup = TrainingSetup(
        dataset="iris", a=small, b=replace(small, norm="batchnorm"), steps=20, record_every=10
    )
    return State(training_setup=setup)


def test_save_as_keeps_the_training_history_when_ticked_and_save_keeps_doing_so(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from normgui.session import load_session

    window = MainWindow(_small_training(), persist=False)
    qtbot.addWidget(window)
    window.training.controller.train_here()
    asked: list[tuple[bool, bool]] = []

    def answer(parent: object, start: str, keep: bool, can_keep: bool) -> tuple[str, bool]:
        asked.append((keep, can_keep))
        return str(tmp_path / "run.normgui"), True

    monkeypatch.setattr(session_actions, "ask_save_path", answer)
    assert window.sessions.save_as()
    assert asked == [(False, True)]  # not ticked at first; there is a history to keep
    kept = load_session(tmp_path / "run.normgui").history
    assert kept is not None and [r.step for r in kept.records["A"]] == [0, 10, 20]
    window.sessions.save()  # Save keeps it too
    assert load_session(tmp_path / "run.normgui").history is not None

    other = MainWindow(State(), persist=False)
    qtbot.addWidget(other)
    assert other.sessions.open_file(tmp_path / "run.normgui")
    controller = other.training.controller
    assert controller.from_file and controller.step == 20 and controller.finished
    assert repr(controller.history.records) == repr(kept.records)
    assert other.sessions.keep_history


def test_a_session_with_a_damaged_history_is_refused_and_changes_nothing(
    window: MainWindow, tmp_path: Path
) -> None:
    import json

    from normgui.core.training.runner import train_all
    from normgui.session import dumps

    state = _small_training()
    document = json.loads(dumps(state, train_all(state.training_setup)))
    document["training_history"]["runs"]["A"]["records"][1]["step"] = 999
    path = tmp_path / "damaged.normgui"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = window.store.state
    messages: list[str] = []
    window.store.error.connect(messages.append)
    assert not window.sessions.open_file(path)
    assert window.store.state is before
    assert messages and "training_history" in messages[0] and "step 999" in messages[0]
