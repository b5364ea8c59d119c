"""Session files: round trips, atomic saves, and a clear SessionError for anything wrong."""

from __future__ import annotations

import contextlib
import json
import math
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normgui.core.activations import RegimeSettings
from normgui.core.normalize import RunningStats
from normgui.core.state import State
from normgui.core.training.history import History
from normgui.core.training.preset import RunConfig
from normgui.core.training.runner import train_all
from normgui.core.training.setup import TrainingSetup
from normgui.session import (
    FORMAT,
    VERSION,
    SessionError,
    dumps,
    load,
    load_session,
    loads,
    loads_session,
    save,
)


def _full_state() -> State:
    return State(
        inputs_a=np.array([[1.5, -2.0, 3e-7], [4.0, 5.0, 6.0]]),
        inputs_b=np.array([[0.1, 0.2, 0.3]]),
        compare=True,
        stats_source="each",
        method="groupnorm",
        gamma=2.5,
        beta=-1.0,
        per_feature=True,
        gamma_features=(1.0, 2.0, 3.0),
        beta_features=(0.0, 0.5, 1.0),
        eps=1e-3,
        groups=3,
        feature_range=(-1.0, 1.0),
        training=False,
        momentum=0.2,
        running_history=(RunningStats(np.ones(3), np.full(3, 2.0), 1),),
        input_scale=3.0,
        input_shift=-1.0,
        activation="tanh",
        regime=RegimeSettings(criterion="gradient", linear_tol=0.02, saturation_ratio=0.05),
        show_raw=True,
        selected_sample=1,
        selected_feature=2,
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    state = _full_state()
    path = tmp_path / "s.normgui"
    save(state, path)
    assert load(path).same_as(state)


def test_save_leaves_no_stray_files_and_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "s.normgui"
    save(State(), path)
    save(State(gamma=3.0), path)
    assert [p.name for p in tmp_path.iterdir()] == ["s.normgui"]
    assert load(path).gamma == 3.0


def test_a_failed_save_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.normgui"
    save(State(), path)

    def broken_fsync(fd: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        save(State(gamma=9.0), path)
    monkeypatch.undo()
    assert load(path).gamma == 1.0
    assert [p.name for p in tmp_path.iterdir()] == ["s.normgui"]


def _document(**state: object) -> str:
    body = {"inputs_a": [[1, 2, 3, 4]], **state}
    return json.dumps({"format": FORMAT, "version": 1, "state": body})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        (" \n\t", "the file is empty"),
        ('{"format": "normgui-session", "version": 1, "state": {"inputs_a": [[1, 2]', "invalid"),
        ("[1, 2]", "not a normgui session"),
        ('{"format": "other"}', "not a normgui session"),
        ('{"format": "normgui-session", "version": 7, "state": {}}', "newer normgui"),
        ('{"format": "normgui-session", "version": "1", "state": {}}', "version"),
        ('{"format": "normgui-session", "version": 1, "state": []}', "'state'"),
        ('{"format": "normgui-session", "version": 1, "state": {}}', "'inputs_a' is missing"),
        (_document(inputs_a=[[1, "x"]]), "only numbers"),
        (_document(inputs_a=[[1, True]]), "only numbers"),
        (_document(inputs_a=[[1, 2], [3]]), "different lengths"),
        (_document(inputs_a=[]), "non-empty"),
        (_document(gamma="big"), "'gamma' must be a number"),
        (_document(method="magic"), "unknown normalization"),
        (_document(eps=-1), "negative"),
        (_document(regime={"linear_tol": 5}), "regime"),
        (_document(running_history=[{"mean": [1], "var": [-1], "count": 1}]), "negative"),
        (_document(feature_range=[1]), "pair"),
        (_document(compare="yes"), "true or false"),
        (_document().replace("[[1, 2, 3, 4]]", "[[1, NaN, 3, 4]]"), "'NaN' \\(line 1, column"),
        (_document().replace("[[1, 2, 3, 4]]", "[[1, Infinity, 3, 4]]"), "Infinity"),
        (_document().replace("[[1, 2, 3, 4]]", "[[1, 1e999, 3, 4]]"), "finite"),
        (
            '{"format": "normgui-session", "version": 1, "state": {"x": '
            + "[" * 50
            + "]" * 50
            + "}}",
            "nested too deeply",
        ),
        ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ],
)
def test_bad_sessions_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(SessionError, match=message):
        loads(text, "bad.normgui")


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.normgui"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(SessionError, match=r"junk\.normgui"):
        load(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match="cannot be read"):
        load(tmp_path / "nope.normgui")


def test_too_many_values_are_refused() -> None:
    rows = "[" + ",".join(["[" + ",".join(["1"] * 5000) + "]"] * 2001) + "]"
    text = '{"format": "normgui-session", "version": 1, "state": {"inputs_a": ' + rows + "}}"
    with pytest.raises(SessionError, match="10,000,000"):
        loads(text)


def test_the_text_is_json_with_format_and_version() -> None:
    document = json.loads(dumps(State()))
    assert document["format"] == FORMAT and document["version"] == VERSION


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_random_json_gives_a_state_or_a_session_error(value: object) -> None:
    for document in (value, {"format": FORMAT, "version": 1, "state": value}):
        with contextlib.suppress(SessionError):
            loads(json.dumps(document))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_give_a_session_error(data: bytes) -> None:
    with pytest.raises(SessionError):
        loads(data)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(list(json.loads(dumps(State()))["state"])), json_values))
def test_random_field_values_give_a_state_or_a_session_error(fields: dict) -> None:
    document = json.loads(dumps(State()))
    document["state"].update(fields)
    with contextlib.suppress(SessionError):
        loads(json.dumps(document))


def test_save_gives_the_usual_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.normgui"
    save(State(), path)
    umask = os.umask(0o022)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o640)
    save(State(gamma=2.0), path)
    assert path.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_save_through_a_link_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.normgui"
    save(State(), real)
    link = tmp_path / "link.normgui"
    link.symlink_to(real)
    save(State(gamma=4.0), link)
    assert link.is_symlink()
    assert load(real).gamma == 4.0


def test_a_version_1_file_still_opens() -> None:
    # A file written by the first release, kept as it was: later versions must keep opening it.
    # Version 1 had no Training page: it opens with the default training setup.
    state = load(Path(__file__).parent / "data" / "session-v1.normgui")
    assert state.method == "batchnorm" and state.training is False
    assert state.inputs_a.tolist() == [[1.0, 2.0, 3.0, 4.0], [4.0, 5.0, 6.0, 7.0]]
    assert state.inputs_b is not None and state.compare
    assert state.running_history[-1].count == 2
    assert state.regime.criterion == "gradient"
    assert state.training_setup == TrainingSetup()


def _training_setup() -> TrainingSetup:
    return TrainingSetup(
        dataset="wine",
        a=RunConfig(hidden=(16, 8), activation="tanh", input_norm="standardize", lr=0.05),
        b=RunConfig(hidden=(16, 8), norm="layernorm", optimizer="adam", lr=0.01, batch_size=30),
        compare=False,
        steps=400,
        record_every=20,
        seed=7,
        layer=0,
    )


def test_the_training_setup_round_trips_with_b_kept_while_not_compared(tmp_path: Path) -> None:
    state = State(training_setup=_training_setup())
    path = tmp_path / "t.normgui"
    save(state, path)
    loaded = load(path)
    assert loaded.training_setup == state.training_setup
    assert loaded.training_setup.b.optimizer == "adam" and not loaded.training_setup.compare


def test_a_csv_training_setup_round_trips() -> None:
    setup = TrainingSetup(dataset="csv", csv_path="/data/my.csv", label_column="kind")
    assert loads(dumps(State(training_setup=setup))).training_setup == setup


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"steps": 0}, "steps"),
        ({"layer": "last"}, "layer"),
        ({"run": {"dataset": "mnist"}}, "dataset"),
        ({"run": {"dataset": "iris", "optimizer": {"lr": -1}}}, "learning rate"),
        ({"run": {"dataset": "iris", "network": {"hidden": [0]}}}, "hidden"),
        (
            {
                "run": {
                    "dataset": "iris",
                    "network": {"norm": "batchnorm"},
                    "optimizer": {"batch_size": 1},
                }
            },
            "batch size",
        ),
        ({"compare": "yes"}, "compare"),
    ],
)
def test_a_bad_training_setup_is_refused_naming_the_field(change: dict, words: str) -> None:
    document = json.loads(dumps(State()))
    setup = document["state"]["training_setup"]
    for key, value in change.items():
        if key == "steps":
            setup["run"]["steps"] = value
        else:
            setup[key] = value
    with pytest.raises(SessionError, match="training_setup") as caught:
        loads(json.dumps(document))
    assert words in str(caught.value)


def test_a_version_2_file_still_opens_without_a_history() -> None:
    # Written before sessions could keep a training history: kept as it was.
    path = Path(__file__).parent / "data" / "session-v2.normgui"
    session = load_session(path)
    assert session.history is None
    assert session.state.activation == "relu" and session.state.gamma == 2.0
    setup = session.state.training_setup
    assert setup.dataset == "wine" and setup.a.hidden == (16, 8) and setup.b.optimizer == "adam"
    assert setup.steps == 400 and setup.seed == 7 and setup.layer == 0 and setup.compare


def _trained() -> tuple[State, History]:
    small = RunConfig(hidden=(6, 5), lr=0.5, batch_size=30)
    setup = TrainingSetup(
        dataset="iris",
        a=replace(small, input_norm="standardize"),
        b=replace(small, norm="batchnorm", input_norm="batchnorm"),
        steps=30,
        record_every=10,
    )
    return State(training_setup=setup), train_all(setup)


def test_a_training_history_round_trips_exactly(tmp_path: Path) -> None:
    state, history = _trained()
    path = tmp_path / "run.normgui"
    save(state, path, history)
    loaded = load_session(path).history
    assert loaded is not None and loaded.info == history.info
    assert repr(loaded.records) == repr(history.records)  # every number, bit for bit
    for run, snapshots in history.snapshots.items():
        for kept, back in zip(snapshots, loaded.snapshots[run], strict=True):
            assert kept.step == back.step
            assert all(np.array_equal(a, b) for a, b in zip(kept.ys, back.ys, strict=True))
            assert kept.transform is not None and back.transform is not None
            assert all(
                np.array_equal(a, b) for a, b in zip(kept.transform, back.transform, strict=True)
            )
    assert load_session(path).state.training_setup == state.training_setup
    save(state, path)  # saved again without it: gone
    assert load_session(path).history is None


def test_records_that_are_not_finite_round_trip() -> None:
    state, history = _trained()
    record = history.records["A"][1]
    history.records["A"][1] = replace(record, loss=math.nan, test_loss=math.inf)
    loaded = loads_session(dumps(state, history)).history
    assert loaded is not None
    assert math.isnan(loaded.records["A"][1].loss or 0.0)
    assert loaded.records["A"][1].test_loss == math.inf


def _damage(document: dict, what: str) -> None:
    runs = document["training_history"]["runs"]
    if what == "order":
        runs["A"]["records"][0]["step"] = 20
    elif what == "layers":
        runs["A"]["records"][1]["layers"].pop()
    elif what == "base64":
        runs["B"]["snapshots"][0]["ys"][0]["float32"] = "not base64!"
    elif what == "shape":
        runs["B"]["snapshots"][0]["ys"][0]["shape"] = [32, 7]
    elif what == "run":
        runs["C"] = runs["A"]
    elif what == "number":
        runs["A"]["records"][1]["layers"][0]["linear"] = "lots"


@pytest.mark.parametrize(
    ("what", "words"),
    [
        ("order", "out of order"),
        ("layers", "one per hidden layer"),
        ("base64", "not base64"),
        ("shape", "shape"),
        ("run", "'C' is not expected"),
        ("number", "linear must be a number"),
    ],
)
def test_a_bad_history_is_refused_naming_the_field(what: str, words: str) -> None:
    state, history = _trained()
    document = json.loads(dumps(state, history))
    _damage(document, what)
    with pytest.raises(SessionError, match="training_history") as caught:
        loads(json.dumps(document))
    assert words in str(caught.value)
