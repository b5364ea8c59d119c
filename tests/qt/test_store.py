"""The store: one State, one Frame per event-loop turn, undo over States."""

from __future__ import annotations

import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from normgui.core.state import State
from normgui.qt.store import Store


def test_a_hundred_quick_changes_compute_one_frame(store: Store, qtbot: QtBot) -> None:
    store.flush()
    before = store.compute_count
    frames = []
    store.frame_changed.connect(frames.append)
    for i in range(100):
        store.update("Change γ", merge=True, gamma=1.0 + i / 100)
    qtbot.waitUntil(lambda: len(frames) == 1)
    qtbot.wait(20)
    assert store.compute_count - before == 1
    assert len(frames) == 1
    assert frames[0].state.gamma == 1.99


def test_a_drag_is_one_undo_step(store: Store) -> None:
    for i in range(10):
        store.update("Change γ", merge=True, gamma=1.0 + i)
    store.update("Change β", merge=True, beta=2.0)
    assert store.undo_stack.count() == 2
    store.undo_stack.undo()
    assert store.state.gamma == 10.0 and store.state.beta == 0.0
    store.undo_stack.undo()
    assert store.state.gamma == 1.0
    store.undo_stack.redo()
    assert store.state.gamma == 10.0


def test_two_drags_with_a_pause_between_are_two_steps(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [100.0]
    monkeypatch.setattr("normgui.qt.store.time.monotonic", lambda: clock[0])
    store.update("Change γ", merge=True, gamma=2.0)
    clock[0] += 0.1
    store.update("Change γ", merge=True, gamma=3.0)
    clock[0] += 5.0
    store.update("Change γ", merge=True, gamma=4.0)
    assert store.undo_stack.count() == 2
    store.undo_stack.undo()
    assert store.state.gamma == 3.0


def test_unmerged_changes_are_separate_steps(store: Store) -> None:
    store.update("Change γ", gamma=2.0)
    store.update("Change γ", gamma=3.0)
    assert store.undo_stack.count() == 2


def test_a_refused_change_reports_and_keeps_the_state(store: Store, qtbot: QtBot) -> None:
    before = store.state
    with qtbot.waitSignal(store.error) as blocker:
        assert not store.update("Change ε", eps=-1.0)
    assert "negative" in blocker.args[0]
    assert store.state is before
    assert store.undo_stack.count() == 0


def test_setting_an_equal_state_is_not_a_step(store: Store) -> None:
    store.set_state(State())
    assert store.undo_stack.count() == 0


def test_frame_is_current_even_before_the_event_loop_turns(store: Store) -> None:
    store.set_state(State(inputs_a=np.array([[1.0, 3.0]])))
    assert store.frame.state is store.state
    np.testing.assert_allclose(store.frame.a.raw, [[1.0, 3.0]])


def test_state_changed_is_emitted_at_once(store: Store) -> None:
    seen = []
    store.state_changed.connect(seen.append)
    store.update("Change β", beta=1.5)
    assert seen and seen[-1].beta == 1.5


def test_reset_clears_the_history(store: Store) -> None:
    store.update("Change γ", gamma=2.0)
    store.reset(State(method="rmsnorm"))
    assert store.undo_stack.count() == 0 and store.state.method == "rmsnorm"
