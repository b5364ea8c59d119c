"""The Training page's engine side: runs trained in slices and in lockstep give the records a
plain run gives; the worker loop answers its commands; the effective input transform."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np
import pytest

from normgui.core.datasets import load_dataset
from normgui.core.training import NetworkSpec, Trainer, init_params
from normgui.core.training.history import SNAPSHOT_ROWS, History
from normgui.core.training.params import fit_input, input_transform
from normgui.core.training.preset import RunConfig
from normgui.core.training.runner import RunSet, serve, train_all
from normgui.core.training.setup import TrainingSetup

SMALL = RunConfig(hidden=(12, 8), lr=0.5, batch_size=30)


def _setup(**changes: object) -> TrainingSetup:
    base = TrainingSetup(
        dataset="iris", a=SMALL, b=replace(SMALL, norm="batchnorm"), steps=23, record_every=5
    )
    return base.replace(**changes)


@contextmanager
def _worker() -> Iterator[Connection]:
    """The window's end of a pipe to serve() running in a thread; on leaving, "quit" is sent
    and the worker must have ended."""
    window, worker = Pipe()
    thread = threading.Thread(target=serve, args=(worker,), daemon=True)
    thread.start()
    yield window
    window.send(("quit",))
    thread.join(2)
    assert not thread.is_alive()


def _fields(record: object) -> str:
    return repr(record)


def test_slices_and_lockstep_give_the_records_of_a_plain_run() -> None:
    setup = _setup()
    data = setup.load_data()
    sliced = RunSet(setup, data)
    history = History(setup, sliced.info)
    history.extend(sliced.start())
    while not sliced.finished:
        history.extend(sliced.work(0.0))  # one update at a time: the shortest slices
    for name, config in setup.runs.items():
        plain = list(config.trainer(data, setup.seed, setup.record_every).records(setup.steps))
        assert [_fields(r) for r in history.records[name]] == [_fields(r) for r in plain]
        assert [r.step for r in plain] == [0, 5, 10, 15, 20, 23]
        assert [s.step for s in history.snapshots[name]] == [0, 5, 10, 15, 20, 23]


def test_train_all_is_deterministic_and_keeps_a_snapshot_per_record() -> None:
    first, second = train_all(_setup()), train_all(_setup())
    assert [_fields(r) for r in first.records["B"]] == [_fields(r) for r in second.records["B"]]
    snap = first.snapshot("A")
    assert snap is not None and [y.shape for y in snap.ys] == [
        (SNAPSHOT_ROWS, 12),
        (SNAPSHOT_ROWS, 8),
    ]
    assert first.info is not None and first.info.class_names and 0 < first.info.chance < 1


def test_a_diverging_run_closes_with_its_message_and_the_other_trains_on(tmp_path: Path) -> None:
    # Values near 1e150 and a large rate: the first update makes the next pass's logits
    # overflow to inf (a loss that is only large, as a confidently wrong answer's, goes on).
    rng = np.random.default_rng(0)
    rows = [f"{a:.6e},{b:.6e},{int(a > b)}" for a, b in rng.normal(size=(120, 2)) * 1e150]
    path = tmp_path / "huge.csv"
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    setup = _setup(
        dataset="csv",
        csv_path=str(path),
        label_column="label",
        a=replace(SMALL, lr=100.0, hidden=(12,), activation="relu", init="xavier"),
        b=replace(SMALL, hidden=(12,), input_norm="standardize"),
        steps=60,
    )
    history = train_all(setup)
    assert "A" in history.diverged() and "learning rate" in history.diverged()["A"]
    assert history.records["B"][-1].step == 60


def test_the_worker_answers_setup_step_run_layer_and_quit() -> None:
    with _worker() as window:
        window.send(("setup", 1, _setup()))
        kind, token, info, batch = window.recv()
        assert (kind, token, info.name) == ("started", 1, "iris") and set(batch) == {"A", "B"}
        window.send(("step",))
        progress = window.recv()
        assert progress[0] == "progress" and progress[3] == 5 and not progress[4]
        window.send(("layer", 1, "B", 0))
        kind, _token, layer = window.recv()
        assert kind == "layer" and layer.u.shape[1] == 12 and layer.method == "batchnorm"
        assert layer.running is not None and layer.running.count == 5
        window.send(("run",))
        finished = False
        while not finished:
            message = window.recv()
            finished = message[0] == "progress" and message[5]
        missing = _setup(dataset="csv", csv_path="/no/such/file.csv", label_column="y")
        window.send(("setup", 2, missing))
        kind, token, text = window.recv()
        assert (kind, token) == ("error", 2) and "file.csv" in text


@pytest.mark.parametrize("prep", ["standardize", "scale"])
def test_a_fitted_input_transform_is_one_over_its_scale(prep: str) -> None:
    data = load_dataset("wine")
    spec = NetworkSpec((13, 4, 3), input_norm=prep)
    params = fit_input(spec, init_params(spec), data.x_train)
    transform = input_transform(spec, params)
    assert transform is not None
    scale, shift = transform
    x = data.x_train
    if prep == "standardize":
        expected = (x - x.mean(axis=0)) / x.std(axis=0)
    else:
        expected = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    np.testing.assert_allclose(x * scale + shift, expected, atol=1e-12)


def test_a_trained_input_batchnorm_in_eval_mode_is_its_effective_transform() -> None:
    data = load_dataset("wine")
    spec = NetworkSpec((13, 8, 3), input_norm="batchnorm", init="xavier")
    trainer = Trainer(spec, data, lr=0.1, batch_size=30)
    trainer.advance(40)
    transform = input_transform(spec, trainer.params)
    assert transform is not None
    scale, shift = transform
    from normgui.core.training import forward

    h0 = forward(spec, trainer.params, data.x_test, training=False).h0
    np.testing.assert_allclose(h0, data.x_test * scale + shift, rtol=1e-10, atol=1e-12)
    assert input_transform(NetworkSpec((13, 8, 3)), trainer.params) is None


def test_an_engine_failure_on_step_is_reported_and_the_worker_lives_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(self: RunSet) -> object:
        raise ValueError("the running statistics must be finite numbers")

    monkeypatch.setattr(RunSet, "to_next_record", fail)
    with _worker() as window:
        window.send(("setup", 1, _setup()))
        assert window.recv()[0] == "started"
        window.send(("step",))
        kind, token, text = window.recv()
        assert (kind, token) == ("error", 1) and "finite numbers" in text
        window.send(("layer", 1, "A", 0))
        assert window.recv()[0] == "layer"  # still answering


def test_a_failure_opening_a_layer_is_reported_and_the_worker_lives_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(self: RunSet, run: str, layer: int) -> object:
        raise ValueError("no such layer")

    monkeypatch.setattr(RunSet, "layer_batch", fail)
    with _worker() as window:
        window.send(("setup", 1, _setup()))
        assert window.recv()[0] == "started"
        window.send(("layer", 1, "A", 0))
        kind, token, text = window.recv()
        assert (kind, token) == ("error", 1) and "no such layer" in text
        window.send(("step",))
        assert window.recv()[0] == "progress"  # still answering
