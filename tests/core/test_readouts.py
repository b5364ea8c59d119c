"""The live readouts under a scene's caption: measured from the Frame, in plain words."""

from __future__ import annotations

import numpy as np
import pytest

from normgui.core.pipeline import compute
from normgui.core.readouts import (
    READOUTS,
    ab_coincide,
    ab_difference,
    eps_readout,
    identity_readout,
    nudge_effect,
    nudge_readout,
    number,
    regime_readout,
    running_readout,
    statistics_readout,
    vector,
)
from normgui.core.state import State
from normgui.scenes import with_running_steps

A = np.array([[1.0, 2.0, 3.0, 4.0]])
B = np.array([[4.0, 5.0, 6.0, 7.0]])


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (2.0, "2"),
        (-1.3416355, "−1.34"),
        (1.875e-7, "1.88·10⁻⁷"),
        (1e-5, "10⁻⁵"),
        (-1e-5, "−10⁻⁵"),
        (123456789.0, "1.23·10⁸"),
        (float("inf"), "inf"),
    ],
)
def test_numbers_read_from_a_projector(value: float, text: str) -> None:
    assert number(value) == text


def test_vectors_are_short() -> None:
    assert vector(np.array([1.0, -0.5])) == "[1, −0.5]"
    assert vector(np.arange(10.0), limit=3) == "[0, 1, 2, …]"


def test_a_and_b_compared_element_by_element() -> None:
    alone = compute(State(inputs_a=A))
    assert ab_difference(alone) is None and ab_coincide(alone) is None
    assert READOUTS["ab_difference"](alone).lines == ("Turn on Compare to put B beside A",)
    other_shape = compute(State(inputs_a=A, inputs_b=[[1.0, 2.0]], compare=True))
    assert ab_difference(other_shape) is None
    assert "different shapes" in READOUTS["ab_difference"](other_shape).lines[0]
    same = compute(State(inputs_a=A, inputs_b=B, compare=True))
    assert ab_difference(same) == 0.0
    # With ε > 0, a re-scaled B is only nearly the same: not "coincide".
    scaled = compute(State(inputs_a=A, inputs_b=A * 3.0, compare=True))
    assert 0.0 < (ab_difference(scaled) or 0.0) < 1e-5
    assert ab_coincide(scaled) is False
    exact = compute(State(inputs_a=A, inputs_b=A * 3.0, compare=True, eps=0.0))
    assert ab_coincide(exact) is True


def test_the_regime_readout_names_gamma_and_beta() -> None:
    frame = compute(State(inputs_a=A, gamma=2.5, beta=-1.0))
    line = regime_readout(frame).lines[0]
    assert line.startswith("γ = 2.5, β = −1  →  A: ")
    assert "mean σ′" in line
    rms = compute(State(inputs_a=A, method="rmsnorm", gamma=2.0))
    assert "β" not in regime_readout(rms).lines[0]


def test_identity_readout_measures_the_undoing() -> None:
    undone = compute(State(inputs_a=A, gamma=np.sqrt(1.25 + 1e-5), beta=2.5))
    assert identity_readout(undone).lines[0].startswith("γ and β give back the input")
    assert identity_readout(compute(State(inputs_a=A))).lines[0].startswith("The output is not")


def test_one_step_of_the_selected_input() -> None:
    state = State(inputs_a=[[0.0, 128.0, 255.0]], method="identity", selected_feature=1)
    i, j, x, change, dy = nudge_effect(compute(state))
    assert (i, j, x, change, dy) == (0, 1, 128.0, 0.0, 1.0)
    assert "does not move" in nudge_readout(compute(state)).lines[0]
    scaled = State(inputs_a=[[0.0], [128.0], [255.0]], method="minmax", selected_sample=1)
    _i, _j, _x, change, dy = nudge_effect(compute(scaled))
    assert dy == pytest.approx(1.0 / 255.0)
    assert change == pytest.approx(dy * 0.235, rel=0.01)  # σ′(0.5) ≈ 0.235
    # The selection is clamped to the data, as everywhere else.
    far = State(inputs_a=A, selected_sample=5, selected_feature=9)
    assert nudge_effect(compute(far))[:3] == (0, 3, 4.0)


def test_statistics_follow_where_the_method_takes_them() -> None:
    rows = statistics_readout(compute(State(inputs_a=A)))
    assert rows.lines == ("A: each sample's own mean [2.5] · std [1.12]",)
    joint = compute(State(inputs_a=A, inputs_b=B, compare=True, method="batchnorm"))
    assert statistics_readout(joint).lines[0].startswith("the batch {A, B} (n = 2): mean [2.5,")
    each = compute(
        State(inputs_a=A, inputs_b=B, compare=True, method="standardize", stats_source="each")
    )
    assert [line[:8] for line in statistics_readout(each).lines] == ["A (n = 1", "B (n = 1"]
    assert statistics_readout(compute(State(method="identity"))).lines == (
        "No normalization uses no statistics",
    )


def test_running_statistics_in_training_and_eval() -> None:
    batch = np.array([[1.0, 2.0], [3.0, 6.0]])
    training = compute(State(inputs_a=batch, method="batchnorm"))
    first, second = running_readout(training).lines
    assert first == "Training uses the batch (n = 2): mean [2, 4] · var [1, 4], unbiased [2, 8]"
    assert second == "Eval would use the running mean [0, 0] · var [1, 1] after 0 steps"
    stepped = with_running_steps(State(inputs_a=batch, method="batchnorm", training=False), 1)
    lines = running_readout(compute(stepped)).lines
    assert lines[0] == "Eval uses the running mean [0.2, 0.4] · var [1.1, 1.7] after 1 step"
    assert lines[2].startswith("Eval outputs differ from the training outputs by up to")
    one = running_readout(compute(State(inputs_a=A, method="batchnorm"))).lines
    assert one[0].startswith("A batch of one")


def test_eps_against_the_variance() -> None:
    near = compute(State(inputs_a=[[0.0, 0.0, 0.0, 0.001]]))
    line = eps_readout(near).lines[0]
    assert line.startswith("Var of sample 1 = 1.88·10⁻⁷, ε = 10⁻⁵: ε dominates")
    assert "0.14×" in line
    wide = eps_readout(compute(State(inputs_a=A))).lines[0]
    assert "ε is small next to Var" in wide and "1.00×" in wide
    assert eps_readout(compute(State(method="minmax"))).lines == ("Min–max scaling has no ε",)
    column = eps_readout(compute(State(inputs_a=[[1.0], [3.0]], method="batchnorm"))).lines[0]
    assert column.startswith("Var of feature 1 = 1")


def test_every_readout_answers_for_every_method() -> None:
    from normgui.core.normalize import METHODS

    for method in METHODS:
        frame = compute(State(inputs_a=[[1.0, 2.0], [3.0, 5.0]], inputs_b=B[:, :2], method=method))
        for name, readout in READOUTS.items():
            result = readout(frame)
            assert result.lines or result.table, (method, name)
