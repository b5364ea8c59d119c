"""State: immutable, validated, compared by value."""

from __future__ import annotations

import numpy as np
import pytest

from normgui.core.normalize import RunningStats
from normgui.core.state import State


def test_default_state() -> None:
    state = State()
    assert state.inputs_a.tolist() == [[1.0, 2.0, 3.0, 4.0]]
    assert state.method == "layernorm" and state.activation == "sigmoid"
    assert not state.b_shown


def test_state_is_frozen_and_its_arrays_read_only() -> None:
    state = State()
    with pytest.raises(AttributeError):
        state.gamma = 2.0  # type: ignore[misc]
    with pytest.raises(ValueError):
        state.inputs_a[0, 0] = 9.0


def test_inputs_are_copied() -> None:
    data = np.array([[1.0, 2.0]])
    state = State(inputs_a=data)
    data[0, 0] = 5.0
    assert state.inputs_a[0, 0] == 1.0


def test_vectors_become_one_row() -> None:
    assert State(inputs_a=np.array([1.0, 2.0])).inputs_a.shape == (1, 2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"gamma": float("nan")}, "finite"),
        ({"inputs_a": np.array([[1.0, np.inf]])}, "finite"),
        ({"inputs_a": np.zeros((0, 3))}, "empty"),
        ({"inputs_a": np.zeros((2, 2, 2))}, "3-D"),
        ({"method": "magic"}, "unknown normalization"),
        ({"activation": "swish"}, "unknown activation"),
        ({"eps": -1.0}, "negative"),
        ({"groups": 0}, "groups"),
        ({"groups": 1.5}, "groups"),
        ({"feature_range": (1.0, 1.0)}, "smaller to a larger"),
        ({"momentum": 2.0}, "momentum"),
        ({"selected_sample": -1}, "selected sample"),
        ({"stats_source": "dataset"}, "statistics"),
        ({"gamma": "2"}, "number"),
    ],
)
def test_invalid_states_are_refused_with_a_reason(changes: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        State().replace(**changes)


def test_same_as_compares_values() -> None:
    a = State(inputs_b=np.array([[1.0]]))
    b = State(inputs_b=np.array([[1.0]]))
    assert a.same_as(b)
    assert not a.same_as(b.replace(inputs_b=None))
    assert not a.same_as(a.replace(gamma=2.0))
    with_stats = a.replace(running_history=(RunningStats.initial(4),))
    assert not a.same_as(with_stats)
    assert with_stats.same_as(a.replace(running_history=(RunningStats.initial(4),)))


def test_running_stats_follow_the_features() -> None:
    stats = RunningStats(np.ones(4), np.ones(4), 2)
    state = State(running_history=(stats,))
    assert state.running is stats
    narrower = state.replace(inputs_a=np.array([[1.0, 2.0]]))
    assert narrower.running.n_features == 2 and narrower.running.count == 0
