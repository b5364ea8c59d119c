"""compute(state) -> Frame: the numbers every view draws."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.activations import RegimeSettings
from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import METHODS, RunningStats, normalize
from normgui.core.pipeline import (
    DENSITY_THRESHOLD,
    MAX_STAGE_ELEMENTS,
    VIEW_MAX,
    VIEW_MIN,
    compute,
)
from normgui.core.state import State

LN_1234 = [-1.3416355, -0.4472118, 0.4472118, 1.3416355]


def test_default_frame_is_layernorm_of_1234() -> None:
    frame = compute(State())
    np.testing.assert_allclose(frame.a.normalized[0], LN_1234, atol=1e-7)
    np.testing.assert_allclose(frame.a.activated, 1 / (1 + np.exp(-frame.a.affine)))
    assert frame.b is None
    assert frame.a.regime.linear == 0.5  # ±0.447 inside |z| ≤ 0.799, ±1.342 outside
    assert frame.a.regime.saturated == 0.0
    assert frame.warnings == ()


def test_layernorm_maps_a_and_b_to_the_same_vector() -> None:
    state = State(inputs_b=np.array([[4.0, 5.0, 6.0, 7.0]]), compare=True)
    frame = compute(state)
    assert frame.b is not None
    np.testing.assert_allclose(frame.a.affine, frame.b.affine, atol=1e-12)


def test_batchnorm_over_a_and_b_tells_them_apart() -> None:
    state = State(inputs_b=np.array([[4.0, 5.0, 6.0, 7.0]]), compare=True, method="batchnorm")
    frame = compute(state)
    assert frame.b is not None
    np.testing.assert_allclose(frame.a.affine, -frame.b.affine)
    assert np.all(frame.a.affine < -0.99)


def test_batch_of_one_in_training_is_a_warning_not_an_error() -> None:
    frame = compute(State(method="batchnorm"))
    assert any("at least two samples" in w for w in frame.warnings)
    assert np.array_equal(frame.a.normalized, np.zeros((1, 4)))


def test_gamma_and_beta_move_values_out_of_the_linear_regime() -> None:
    data = np.random.default_rng(1).normal(size=(64, 8))
    plain = compute(State(inputs_a=data, method="batchnorm"))
    moved = compute(State(inputs_a=data, method="batchnorm", gamma=5.0, beta=4.0))
    assert plain.a.regime.linear > 0.5
    assert moved.a.regime.saturated > 0.5
    assert moved.a.regime.mean_grad < plain.a.regime.mean_grad


def test_per_feature_parameters_are_fitted_to_the_features() -> None:
    state = State(per_feature=True, gamma_features=(2.0, 3.0), beta_features=(1.0,))
    frame = compute(state)
    x = frame.a.normalized[0]
    np.testing.assert_allclose(frame.a.affine[0], x * [2.0, 3.0, 1.0, 1.0] + [1.0, 0.0, 0.0, 0.0])


def test_rmsnorm_ignores_beta() -> None:
    frame = compute(State(method="rmsnorm", beta=3.0))
    np.testing.assert_allclose(frame.a.affine, frame.a.normalized)


def test_input_scale_and_shift_apply_before_normalizing() -> None:
    frame = compute(State(input_scale=10.0, input_shift=-3.0))
    np.testing.assert_allclose(frame.a.raw, [[7.0, 17.0, 27.0, 37.0]])
    # scale-invariant up to ε, which matters less once the spread is 10 times larger
    np.testing.assert_allclose(frame.a.normalized[0], LN_1234, atol=1e-5)


def test_groups_that_do_not_divide_fall_back_with_a_warning() -> None:
    frame = compute(State(method="groupnorm", groups=3))
    assert any("do not divide" in w for w in frame.warnings)
    np.testing.assert_allclose(
        frame.a.normalized, normalize([[1.0, 2, 3, 4]], "groupnorm", groups=2)
    )


def test_eval_mode_uses_the_last_running_statistics() -> None:
    stats = RunningStats(np.arange(4.0), np.full(4, 4.0), 1)
    frame = compute(State(method="batchnorm", training=False, running_history=(stats,), eps=0.0))
    np.testing.assert_allclose(frame.a.normalized, [[0.5, 0.5, 0.5, 0.5]])


def test_eps_zero_on_a_constant_row_warns() -> None:
    frame = compute(State(inputs_a=np.zeros((1, 4)), eps=0.0))
    assert any("0/0" in w for w in frame.warnings)


def test_off_scale_values_are_counted_and_reported() -> None:
    frame = compute(State(method="identity", inputs_a=np.array([[-500.0, 0.0, 1.0, 900.0]])))
    assert frame.z_view == (-VIEW_MAX, VIEW_MAX)
    assert (frame.a.below_view, frame.a.above_view) == (1, 1)
    assert any("beyond the plotted range" in w for w in frame.warnings)


def test_the_view_snaps_to_round_steps_beyond_its_least_width() -> None:
    assert compute(State(inputs_a=[[1.0, 2.0, 3.0, 4.0]])).z_view == (-VIEW_MIN, VIEW_MIN)
    views = {compute(State(inputs_a=[[-1.0, 1.0]], gamma=g)).z_view for g in np.linspace(7, 11, 41)}
    # y from ±7 to ±11 (±11.55 with the margin): three round steps, each one reaching the data
    assert views == {(-8.0, 8.0), (-10.0, 10.0), (-12.5, 12.5)}
    assert compute(State(inputs_a=[[0.0, 1.0]], beta=20.0)).z_view == (-VIEW_MIN, 25.0)


def test_regime_spans_match_the_bounds() -> None:
    frame = compute(State())
    ((lo, hi),) = frame.linear_spans
    assert lo == pytest.approx(-0.799, abs=0.02) and hi == pytest.approx(0.799, abs=0.02)
    assert frame.saturated_spans[0][1] == pytest.approx(-3.637, abs=0.02)
    assert frame.z_linear == pytest.approx(0.7993, abs=1e-4)
    assert frame.z_saturated == pytest.approx(3.6369, abs=1e-4)


def test_gradient_criterion_changes_the_regime() -> None:
    frame = compute(State(regime=RegimeSettings(criterion="gradient", linear_grad_ratio=0.5)))
    assert frame.a.regime.linear == 1.0  # σ'(±1.34) ≈ 0.17 ≥ 0.5·0.25
    assert "slope" in frame.regime_text


def test_large_inputs_switch_to_density_and_bounded_stages() -> None:
    data = np.random.default_rng(0).normal(size=(100, 100))
    frame = compute(State(inputs_a=data))
    assert frame.use_density == (data.size > DENSITY_THRESHOLD)
    assert frame.a.stage_index.size == MAX_STAGE_ELEMENTS
    assert frame.a.density.counts.sum() == data.size
    assert frame.a.hist_raw.counts.sum() == data.size


def test_statistics_of_rows_and_columns() -> None:
    frame = compute(State(inputs_a=np.array([[1.0, 3.0], [5.0, 7.0]])))
    np.testing.assert_allclose(frame.a.row_mean, [2.0, 6.0])
    np.testing.assert_allclose(frame.a.col_std, [2.0, 2.0])


def test_joint_statistics_need_the_same_features() -> None:
    state = State(inputs_b=np.array([[1.0, 2.0]]), compare=True, method="standardize")
    frame = compute(state)
    assert any("different numbers of features" in w for w in frame.warnings)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "data",
    [
        np.zeros((1, 4)),
        np.full((3, 4), 1e308),
        np.array([[1e308, -1e308, 1e-308, 0.0]]),
        np.array([[5.0]]),
    ],
    ids=["zeros", "huge", "mixed-extremes", "single-value"],
)
def test_edge_cases_give_a_finite_frame(method: str, data: np.ndarray) -> None:
    frame = compute(State(inputs_a=data, method=method, gamma=2.0, beta=1.0, groups=1))
    for array in (frame.a.affine, frame.a.activated, frame.a.grad, frame.curve_act):
        assert np.all(np.isfinite(array))
    assert frame.a.hist_raw.counts.sum() == data.size


@settings(max_examples=60, deadline=None)
@given(
    arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 5)),
        elements=st.floats(-1e300, 1e300, allow_nan=False),
    ),
    st.sampled_from(METHODS),
    st.floats(-50, 50),
    st.floats(-50, 50),
)
def test_compute_never_raises_for_a_valid_state(
    data: np.ndarray, method: str, gamma: float, beta: float
) -> None:
    frame = compute(State(inputs_a=data, method=method, gamma=gamma, beta=beta))
    assert np.all(np.isfinite(frame.a.activated))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "hardsigmoid"])
@pytest.mark.parametrize(("gamma", "beta"), [(1.0, 0.0), (3.0, 1.5), (-2.0, 0.5), (0.0, 2.0)])
def test_counting_through_sorted_values_matches_forming_them(
    activation: str, gamma: float, beta: float
) -> None:
    """Large inputs with one γ and β are counted through the sorted x̂; forcing the per-value
    path (per-feature γ and β, all equal) must give the same numbers."""
    data = np.random.default_rng(3).normal(2.0, 3.0, size=(50, 100))
    counted = compute(State(inputs_a=data, gamma=gamma, beta=beta, activation=activation))
    formed = compute(
        State(
            inputs_a=data,
            gamma=gamma,
            beta=beta,
            per_feature=True,
            gamma_features=(gamma,) * 100,
            beta_features=(beta,) * 100,
            activation=activation,
        )
    )
    assert "affine" not in counted.a.__dict__  # never formed for the plots
    a, b = counted.a, formed.a
    assert a.regime.linear == pytest.approx(b.regime.linear, abs=1e-9)
    assert a.regime.saturated == pytest.approx(b.regime.saturated, abs=1e-9)
    assert a.regime.mean_grad == pytest.approx(b.regime.mean_grad, rel=1e-4, abs=1e-9)
    assert counted.z_view == formed.z_view
    assert np.abs(a.hist_affine.counts - b.hist_affine.counts).sum() <= 2  # rounding at edges
    assert np.abs(a.density.counts - b.density.counts).sum() <= 2
    assert (a.below_view, a.above_view) == (b.below_view, b.above_view)
    np.testing.assert_allclose(a.affine, b.affine)  # formed on demand, the same values
    np.testing.assert_allclose(a.activated, b.activated)
    np.testing.assert_allclose(a.stage_values, b.stage_values)


def test_the_normalization_is_reused_while_only_gamma_changes() -> None:
    state = State(inputs_a=np.random.default_rng(0).normal(size=(30, 30)))
    first = compute(state)
    second = compute(state.replace(gamma=2.0))
    assert second.a.normalized is first.a.normalized
    assert second.a.row_mean is first.a.row_mean
    third = compute(state.replace(method="rmsnorm"))
    assert third.a.normalized is not first.a.normalized


def test_stage_values_follow_the_stages() -> None:
    frame = compute(State(gamma=2.0, beta=-1.0))
    values = frame.a.stage_values
    np.testing.assert_allclose(values[:, 0], frame.a.raw.ravel())
    np.testing.assert_allclose(values[:, 2], 2.0 * frame.a.normalized.ravel() - 1.0)
    np.testing.assert_allclose(values[:, 3], frame.a.activated.ravel())


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "data",
    [
        np.array([[1e308, 1e308], [-1e308, -1e308]]),
        np.array([[1e308, -1e308, 1e308, 0.0]]),
        np.array([[1e-308, 2e-308], [3e-308, 4e-308]]),
    ],
    ids=["huge-columns", "huge-row", "tiny"],
)
def test_eps_zero_on_extreme_values_never_raises(method: str, data: np.ndarray) -> None:
    eps = 0.0 if "eps" in METHOD_SPECS[method].params else None
    frame = compute(State(inputs_a=data, method=method, eps=eps))  # warnings are errors here
    assert np.all(np.isfinite(frame.a.activated))


@pytest.mark.parametrize("method", ["layernorm", "rmsnorm", "groupnorm"])
def test_eps_zero_on_values_whose_squares_underflow_warns(method: str) -> None:
    # x̂ of [1, 2, 3, 4]·1e-308 is that of [1, 2, 3, 4], but its variance underflows to 0
    frame = compute(State(inputs_a=[[1e-308, 2e-308, 3e-308, 4e-308]], method=method, eps=0.0))
    assert any("underflow" in w for w in frame.warnings)


@pytest.mark.parametrize(
    ("method", "says"),
    [("layernorm", "x̂ is 0"), ("batchnorm", "x̂ is 0"), ("standardize", "only shifted")],
)
def test_constant_data_is_explained_even_with_eps(method: str, says: str) -> None:
    frame = compute(State(inputs_a=np.full((2, 4), 3.0), method=method))
    assert any("constant" in w and says in w for w in frame.warnings)


@pytest.mark.parametrize(
    ("gamma", "beta"), [(1e308, 0.0), (-1e308, 1e308), (1e308, 1e308), (-1e-308, 0.0)]
)
def test_a_large_input_at_the_float_limits_is_said_not_warned(gamma: float, beta: float) -> None:
    # Large inputs are counted through their sorted x̂; γ·x̂ + β past ±1e308 is ±inf there too.
    x = np.random.default_rng(0).normal(size=(100, 300))
    frame = compute(State(inputs_a=x, gamma=gamma, beta=beta, method="layernorm"))
    if abs(gamma) > 1:
        assert any("beyond the range of floating-point numbers" in w for w in frame.warnings)
        assert frame.a.regime.saturated == 1.0
    else:  # everything at β = 0: the linear regime
        assert frame.a.regime.linear == 1.0
