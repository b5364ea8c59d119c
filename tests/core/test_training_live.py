"""The Training page's frames from the engine's side: A and B train step by step together, the
Now plot's points between records (each run at the step it reached, within its share of the
time), and the worker answering each look of the window once."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from multiprocessing import Pipe

import numpy as np
import pytest

from normgui.core.training import runner
from normgui.core.training.history import Snapshot
from normgui.core.training.loop import Trainer
from normgui.core.training.preset import RunConfig
from normgui.core.training.runner import LIVE_SHARE, RunSet, serve
from normgui.core.training.setup import TrainingSetup

SMALL = RunConfig(hidden=(12, 8), lr=0.5, batch_size=30)


def _setup(**changes: object) -> TrainingSetup:
    base = TrainingSetup(
        dataset="iris", a=SMALL, b=replace(SMALL, norm="batchnorm"), steps=1000, record_every=50
    )
    return base.replace(**changes)


def test_a_and_b_train_step_by_step_together() -> None:
    runs = RunSet(_setup())
    runs.start()
    for _ in range(20):
        runs.work(0.002)
        steps = [t.step_count for t in runs.trainers.values()]
        assert len(set(steps)) == 1, steps


def test_the_now_points_are_each_run_at_the_step_it_reached() -> None:
    runs = RunSet(_setup())
    runs.start()
    while runs.step in (0, 50):
        runs.work(0.002)
    now = runs.now(within_share=False)
    assert set(now) == {"A", "B"}
    for name, trainer in runs.trainers.items():
        full = Snapshot.of(trainer)  # the whole probe batch through the network, as a record's
        assert now[name].step == trainer.step_count == full.step
        for live, kept in zip(now[name].ys, full.ys, strict=True):
            # Without batch statistics (A) only the rows kept go through: the same values.
            np.testing.assert_allclose(live, kept, rtol=1e-5, atol=1e-6)
    assert runs.now(within_share=False) == {}  # nothing new at the same step


def test_a_run_whose_points_cost_much_takes_them_within_its_share(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Asked at every frame (60 a second) for a simulated second: points costing 3 ms (B's, a
    BatchNorm network's whole probe batch) take about LIVE_SHARE of the time; points costing
    0.1 ms (A's, the rows kept only) come at every frame."""
    runs = RunSet(_setup(steps=100_000))
    runs.start()
    cost = dict(zip(runs.trainers.values(), (1e-4, 3e-3), strict=True))
    clock = [0.0]

    def measured(trainer: Trainer, kept_rows_only: bool = False) -> Snapshot:
        clock[0] += cost[trainer]
        return Snapshot(trainer.step_count, ())

    monkeypatch.setattr(runner.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(runner.Snapshot, "of", measured)
    taken = {"A": 0, "B": 0}
    moved = 0  # frames at which A is at a new step, not a record's (whose snapshot it has)
    a = runs.trainers["A"]
    for _ in range(60):
        before = a.step_count
        runs.work(0.0)  # a step each, or the records due
        moved += a.step_count != before and a.step_count % 50 != 0
        for name in runs.now():
            taken[name] += 1
        clock[0] += 1 / 60
    assert taken["A"] == moved >= 55
    spent = taken["B"] * cost[runs.trainers["B"]]
    assert 0.5 * LIVE_SHARE <= spent / clock[0] <= 1.2 * LIVE_SHARE, taken


def test_a_record_left_due_is_taken_before_either_run_trains_on() -> None:
    """Out of time after A's record (some 5-10 ms each), B's waits for the next call, and so
    does B: a window's look is answered between the two."""
    runs = RunSet(_setup(record_every=5))
    runs.start()
    batch = runs.work(0.0)
    while not batch:
        batch = runs.work(0.0)  # a step each, to step 5: A's record alone
    assert set(batch) == {"A"} and runs.pending
    assert set(runs.to_next_record()) == {"B"}  # (a Step after a Pause there)
    assert [t.step_count for t in runs.trainers.values()] == [5, 5] and not runs.pending


def test_a_record_s_snapshot_is_made_of_the_record_s_own_pass() -> None:
    runs = RunSet(_setup())
    runs.start()
    for name, trainer in runs.trainers.items():
        trainer.train_until(7)
        _record, probe = trainer.measure()
        kept, again = Snapshot.of_pass(trainer, probe), Snapshot.of(trainer)
        for mine, theirs in zip(kept.ys, again.ys, strict=True):
            # (A's pass is the test set's first rows: the same values, to float32.)
            np.testing.assert_allclose(mine, theirs, rtol=1e-6, atol=1e-7, err_msg=name)


LOOKS = 200  # at most, while the Now points come at three of them


def test_the_worker_answers_each_look_once_and_the_end_unasked() -> None:
    window, worker = Pipe()
    thread = threading.Thread(target=serve, args=(worker,), daemon=True)
    thread.start()
    window.send(("setup", 1, _setup(steps=100_000)))
    assert window.recv()[0] == "started"
    window.send(("run",))
    time.sleep(0.05)
    assert not window.poll(), "progress sent while the window did not ask"
    points = []
    for _ in range(LOOKS):
        window.send(("look",))
        kind, token, _batch, step, running, finished, now = window.recv()
        assert (kind, token, running, finished) == ("progress", 1, True, False) and step > 0
        assert all(snapshot.step >= step for snapshot in now.values())
        points.append("A" in now)
        if sum(points) >= 3:
            break
    # The Now points come with the looks, as often as their share of the worker's time lets
    # them (on a busy machine, not at every look).
    assert sum(points) >= 3, points
    time.sleep(0.05)
    assert not window.poll()
    window.send(("pause",))
    kind, *_rest, running, _finished, _now = window.recv()
    assert kind == "progress" and not running
    window.send(("setup", 2, _setup(steps=60, record_every=10)))
    assert window.recv()[0] == "started"
    window.send(("run",))
    message = window.recv()  # the end is sent without a look
    assert message[0] == "progress" and message[5] and len(message[2]["A"]) == 6
    window.send(("quit",))
    thread.join(2)
    assert not thread.is_alive()
