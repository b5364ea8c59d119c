"""The Jacobian of the normalization: analytic values by hand, and central differences of the
whole pipeline (compute) for every method, so the derivatives match what the plots show."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.methods import METHODS, REGISTRY
from normgui.core.normalize import RunningStats
from normgui.core.pipeline import compute
from normgui.core.sensitivity import MAX_FEATURES, jacobian, sensitivity, window
from normgui.core.state import State

RNG = np.random.default_rng(7)
BATCH = RNG.normal(1.0, 2.0, (6, 5))  # distinct values: no ties at the extremes or quantiles
ROW_METHODS = tuple(k for k, m in REGISTRY.items() if m.statistics_over != "column")
COLUMN_METHODS = tuple(k for k, m in REGISTRY.items() if m.statistics_over == "column")


def central_difference(
    state: State, which: str = "A", sample: int = 0, activated: bool = False, h: float = 1e-6
) -> np.ndarray:
    """∂out[sample, i]/∂x[sample, j] of the pipeline itself, by central differences on the
    typed input."""
    field = "inputs_a" if which == "A" else "inputs_b"
    x = np.array(getattr(state, field))
    d = x.shape[1]
    out = np.zeros((d, d))
    for j in range(d):
        step = h * max(1.0, abs(x[sample, j]))
        cols = []
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved[sample, j] += sign * step
            frame = compute(state.replace(**{field: moved}))
            series = frame.a if which == "A" else frame.b
            assert series is not None
            cols.append((series.activated if activated else series.affine)[sample])
        out[:, j] = (cols[0] - cols[1]) / (2 * step)
    return out


# --- by hand ---------------------------------------------------------------------------------


def test_layernorm_matches_the_closed_form() -> None:
    # J = γ/σ·(I − 1/d − x̂x̂ᵀ/d) with σ = √(Var + ε): for [1, 2, 3, 4], σ = √1.25001 = 1.118038.
    state = State(inputs_a=[[1.0, 2.0, 3.0, 4.0]], gamma=2.0)
    sigma = math.sqrt(1.25 + 1e-5)
    xhat = (np.array([1.0, 2.0, 3.0, 4.0]) - 2.5) / sigma
    expected = 2.0 / sigma * (np.eye(4) - 0.25 - np.outer(xhat, xhat) / 4)
    np.testing.assert_allclose(jacobian(state), expected, rtol=1e-12)
    # element 3 on itself: (1 − 1/4 − 0.2/4)/1.118 = 0.6261, times γ = 2
    assert jacobian(state)[2, 2] == pytest.approx(2 * 0.70 / sigma, rel=1e-4)
    assert jacobian(state)[2, 2] == pytest.approx(1.25220, abs=1e-5)


def test_the_selected_element_in_words() -> None:
    result = sensitivity(State(inputs_a=[[1.0, 2.0, 3.0, 4.0]], selected_feature=2))
    words = result.words()
    assert words[0] == "A change of 1 in x₃ moves y₃ by 0.6261."
    assert "share the sample's statistics" in words[1]
    assert "σ = √(σ² + ε) = 1.118" in words[2]
    # σ′(0.4472) = 0.2379: σ(y₃) moves by 0.2379 · 0.6261 = 0.149
    assert "σ(y₃) moves by 0.149" in words[3]


def test_standardize_diagonal_includes_the_batch_statistics() -> None:
    # Column [1, 2, 3]: μ = 2, σ = √(2/3). Jⱼⱼ = (1 − 1/n − x̂²/n)/σ: 0.2041 at the ends, and
    # (2/3)/σ = 0.8165 in the middle (x̂ = 0: σ does not move to first order).
    data = np.array([[1.0], [2.0], [3.0]])
    sigma = math.sqrt(2.0 / 3.0)
    for sample, expected in ((0, (1 - 1 / 3 - 1.5 / 3) / sigma), (1, (2 / 3) / sigma)):
        state = State(inputs_a=data, method="standardize", selected_sample=sample)
        assert jacobian(state)[0, 0] == pytest.approx(expected, rel=1e-12)
    assert (2 / 3) / sigma == pytest.approx(0.8165, abs=1e-4)


def test_batchnorm_training_has_epsilon_in_sigma() -> None:
    data = np.array([[1.0], [2.0], [3.0]])
    eps = 1e-5
    sigma = math.sqrt(2.0 / 3.0 + eps)
    xhat = -1.0 / sigma
    state = State(inputs_a=data, method="batchnorm")
    assert jacobian(state)[0, 0] == pytest.approx((1 - 1 / 3 - xhat**2 / 3) / sigma, rel=1e-12)


def test_column_methods_are_diagonal() -> None:
    for method in COLUMN_METHODS:
        j = jacobian(State(inputs_a=BATCH, method=method, selected_sample=2))
        assert np.count_nonzero(j - np.diag(np.diag(j))) == 0, method


def test_minmax_divides_by_the_range_and_pins_the_extremes() -> None:
    # Column [1, 2, 4], range 3: the middle moves by 1/3, the max and the min not at all.
    data = np.array([[1.0], [2.0], [4.0]])
    slopes = [
        jacobian(State(inputs_a=data, method="minmax", selected_sample=i))[0, 0] for i in range(3)
    ]
    assert slopes == pytest.approx([0.0, 1.0 / 3.0, 0.0])
    pixels = State(inputs_a=[[0.0], [100.0], [255.0]], method="minmax", selected_sample=1)
    assert jacobian(pixels)[0, 0] == pytest.approx(1.0 / 255.0)
    assert "pins" in " ".join(sensitivity(pixels.replace(selected_sample=2)).notes)


def test_a_tie_at_the_extreme_gives_the_average_of_both_sides() -> None:
    # Two samples share the max 4: moving one up makes it the max (slope 0); down keeps the max
    # (slope 1/3). The central difference, and the value given, is 1/6.
    state = State(inputs_a=[[1.0], [4.0], [4.0]], method="minmax", selected_sample=1)
    result = sensitivity(state)
    assert result.matrix[0, 0] == pytest.approx(1.0 / 6.0)
    assert any("average" in n for n in result.notes)
    np.testing.assert_allclose(result.matrix, central_difference(state, sample=1), atol=1e-6)


def test_maxabs_divides_by_the_largest_magnitude() -> None:
    data = np.array([[-8.0], [2.0], [4.0]])
    slopes = [
        jacobian(State(inputs_a=data, method="maxabs", selected_sample=i))[0, 0] for i in range(3)
    ]
    assert slopes == pytest.approx([0.0, 1 / 8, 1 / 8])


def test_batchnorm_eval_uses_the_running_statistics() -> None:
    running = RunningStats(np.array([0.5, 1.0]), np.array([4.0, 0.25]), 3)
    state = State(
        inputs_a=[[1.0, 2.0], [3.0, 5.0]],
        method="batchnorm",
        training=False,
        running_history=(running,),
        gamma=1.5,
    )
    np.testing.assert_allclose(
        np.diag(jacobian(state)), 1.5 / np.sqrt(np.array([4.0, 0.25]) + 1e-5), rtol=1e-12
    )


def test_batch_of_one_in_training_mode_is_flat_and_says_why() -> None:
    result = sensitivity(State(inputs_a=[[1.0, 2.0, 3.0]], method="batchnorm"))
    assert not result.matrix.any()
    assert any("batch of one" in n for n in result.notes)


def test_through_the_activation_multiplies_each_row_by_the_slope() -> None:
    state = State(inputs_a=[[1.0, 2.0, 3.0, 4.0]], gamma=3.0, beta=0.5)
    plain = sensitivity(state)
    through = sensitivity(state, through_activation=True)
    sig = 1 / (1 + np.exp(-plain.y))
    np.testing.assert_allclose(through.matrix, (sig * (1 - sig))[:, None] * plain.matrix)
    np.testing.assert_allclose(
        through.matrix, central_difference(state, activated=True), rtol=1e-5, atol=1e-8
    )


def test_the_input_scale_is_part_of_the_slope() -> None:
    # Pixels divided by 255 before an identity: one level moves y by 1/255.
    state = State(inputs_a=[[0.0, 128.0, 255.0]], method="identity", input_scale=1 / 255)
    np.testing.assert_allclose(jacobian(state), np.eye(3) / 255)
    assert any("input scale" in line for line in sensitivity(state).words())


def test_big_inputs_show_a_window_around_the_selected_element() -> None:
    data = RNG.normal(size=(1, 200))
    state = State(inputs_a=data, selected_feature=150)
    result = sensitivity(state)
    assert result.matrix.shape == (MAX_FEATURES, MAX_FEATURES)
    assert result.features == range(118, 182)
    assert result.features[result.selected] == 150
    assert any("200 features" in n for n in result.notes)
    full = jacobian(state, max_features=None)
    np.testing.assert_allclose(result.matrix, full[118:182, 118:182])
    assert window(200, 199) == range(136, 200)
    assert window(200, 0) == range(0, 64)


def test_values_near_the_float_limit_stay_finite() -> None:
    big = np.array([[1.0, 2.0, 3.0, 4.0]]) * 1e300
    for method in ("layernorm", "rmsnorm", "l2"):
        j = jacobian(State(inputs_a=big, method=method, eps=0.0))
        small = jacobian(State(inputs_a=big / 1e300, method=method, eps=0.0))
        assert np.all(np.isfinite(j)), method
        np.testing.assert_allclose(j * 1e300, small, rtol=1e-9)


# --- the whole pipeline, by central differences ----------------------------------------------


@pytest.mark.parametrize("method", ROW_METHODS)
def test_row_methods_match_central_differences(method: str) -> None:
    data = RNG.normal(0.5, 2.0, (3, 6))
    state = State(inputs_a=data, method=method, gamma=1.7, beta=-0.3, selected_sample=1)
    np.testing.assert_allclose(
        jacobian(state), central_difference(state, sample=1), rtol=1e-5, atol=1e-8
    )


@pytest.mark.parametrize("method", COLUMN_METHODS)
def test_column_methods_match_central_differences(method: str) -> None:
    state = State(inputs_a=BATCH, method=method, gamma=0.8, beta=0.2, selected_sample=3)
    np.testing.assert_allclose(
        jacobian(state), central_difference(state, sample=3), rtol=1e-5, atol=1e-8
    )


@pytest.mark.parametrize("method", COLUMN_METHODS)
def test_b_in_a_joint_batch_matches_central_differences(method: str) -> None:
    b = RNG.normal(-1.0, 1.0, (4, 5))
    state = State(
        inputs_a=BATCH, inputs_b=b, compare=True, method=method, input_scale=2.0, input_shift=1.0
    )
    result = jacobian(state, "B", sample=2)
    np.testing.assert_allclose(result, central_difference(state, "B", 2), rtol=1e-5, atol=1e-8)


def test_per_feature_gamma_and_groups_match_central_differences() -> None:
    data = RNG.normal(size=(2, 6))
    state = State(
        inputs_a=data,
        method="groupnorm",
        groups=3,
        per_feature=True,
        gamma_features=(1.0, 2.0, 0.5, -1.0, 3.0, 1.5),
        beta_features=(0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
    )
    result = jacobian(state)
    np.testing.assert_allclose(result, central_difference(state), rtol=1e-5, atol=1e-8)
    blocks = np.kron(np.eye(3), np.ones((2, 2)))
    assert np.count_nonzero(result * (1 - blocks)) == 0  # features in other groups: no effect


@settings(max_examples=150, deadline=None)
@given(
    x=arrays(np.float64, st.integers(2, 9), elements=st.floats(-1e3, 1e3)),
    c=st.floats(0.1, 10.0),
)
def test_invariances_show_in_the_jacobian(x: np.ndarray, c: float) -> None:
    """Shift invariance: J·1 = 0 (LayerNorm). Scale invariance with ε = 0: J·x = 0 (LayerNorm,
    RMSNorm, L2) — the derivative along the direction the output does not change is 0."""
    assume(np.ptp(x) > 1e-3 * max(1.0, float(np.max(np.abs(x)))))
    layer = jacobian(State(inputs_a=x, method="layernorm", eps=0.0), max_features=None)
    # The natural size of an entry is 1/σ (1/rms, 1/‖x‖): rounding is relative to that.
    np.testing.assert_allclose(layer @ np.ones(x.size), 0.0, atol=1e-9 * x.size / np.std(x))
    y = x * c
    for method, size in (
        ("layernorm", np.std(y)),
        ("rmsnorm", np.sqrt(np.mean(y * y))),
        ("l2", np.linalg.norm(y)),
    ):
        j = jacobian(State(inputs_a=y, method=method, eps=0.0), max_features=None)
        np.testing.assert_allclose(j @ y, 0.0, atol=1e-9 * np.sum(np.abs(y)) / size)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_gives_a_finite_square_matrix(method: str) -> None:
    state = State(inputs_a=BATCH, method=method, selected_sample=5, selected_feature=4)
    result = sensitivity(state)
    assert result.matrix.shape == (5, 5)
    assert np.all(np.isfinite(result.matrix))
    assert result.words()[0].startswith("A change of 1 in x₅ moves y₅ by")
    frame = compute(state)
    np.testing.assert_allclose(result.y, frame.a.affine[5], rtol=1e-12, atol=1e-15)
