"""The γ and β that undo a normalization: checked against the pipeline itself."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.inverse import (
    IdentityParameters,
    identity_parameters,
    identity_unavailable,
    with_identity,
)
from normgui.core.methods import REGISTRY
from normgui.core.normalize import RunningStats, update_running_stats
from normgui.core.pipeline import compute
from normgui.core.state import State

ROW_METHODS = tuple(k for k, m in REGISTRY.items() if m.statistics_over == "row")
COLUMN_METHODS = tuple(k for k, m in REGISTRY.items() if m.statistics_over == "column")
BATCH = np.random.default_rng(7).normal(3.0, 2.0, size=(5, 3))


def assert_recovers(state: State, atol: float = 1e-9) -> None:
    """γ·x̂ + β of the undone state equals the input the pipeline normalized (A and, if shown, B)."""
    frame = compute(with_identity(state))
    for series in frame.series:
        np.testing.assert_allclose(series.affine, series.raw, rtol=0, atol=atol)
    assert not any("beyond the range" in w for w in frame.warnings)


@pytest.mark.parametrize("method", COLUMN_METHODS)
def test_column_methods_recover_a_batch(method: str) -> None:
    state = State(inputs_a=BATCH, method=method, gamma=2.0, beta=-1.0)
    assert identity_unavailable(state) is None
    params = identity_parameters(state)
    assert params.per_feature
    assert len(params.gamma) == len(params.beta) == 3
    assert_recovers(state)


@pytest.mark.parametrize("method", ROW_METHODS)
def test_row_methods_recover_a_single_sample(method: str) -> None:
    state = State(inputs_a=np.array([[1.0, 2.0, 3.0, 7.0]]), method=method, gamma=0.5)
    assert identity_unavailable(state) is None
    assert_recovers(state)


@pytest.mark.parametrize("method", ROW_METHODS)
def test_row_methods_refuse_several_samples(method: str) -> None:
    state = State(inputs_a=BATCH, method=method)
    reason = identity_unavailable(state)
    assert reason is not None and "single sample" in reason and "A has 5" in reason
    with pytest.raises(ValueError, match="single sample"):
        identity_parameters(state)


def test_identity_method_is_gamma_one_beta_zero() -> None:
    state = State(inputs_a=BATCH, method="identity", gamma=3.0, beta=2.0, per_feature=True)
    assert identity_parameters(state) == IdentityParameters(
        (1.0,), (0.0,), False, identity_parameters(state).note
    )
    undone = with_identity(state)
    assert (undone.gamma, undone.beta, undone.per_feature) == (1.0, 0.0, False)
    assert_recovers(state)


def test_batchnorm_values_are_the_textbook_ones() -> None:
    """γ = √(Var + ε) with the biased variance, β = E[x] (the BatchNorm paper)."""
    state = State(inputs_a=BATCH, method="batchnorm", eps=1e-3)
    params = identity_parameters(state)
    np.testing.assert_allclose(params.gamma, np.sqrt(BATCH.var(axis=0) + 1e-3), rtol=1e-15)
    np.testing.assert_allclose(params.beta, BATCH.mean(axis=0), rtol=1e-15)


def test_layernorm_single_sample_is_scalar() -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    params = identity_parameters(State(inputs_a=x, method="layernorm"))
    assert not params.per_feature
    assert params.gamma == pytest.approx((np.sqrt(x.var() + 1e-5),), rel=1e-15)
    assert params.beta == (2.5,)


def test_groupnorm_single_sample_is_per_feature_by_group() -> None:
    state = State(
        inputs_a=np.array([[1.0, 3.0, 10.0, 30.0]]), method="groupnorm", groups=2, eps=0.0
    )
    params = identity_parameters(state)
    assert params.per_feature
    assert params.gamma == (1.0, 1.0, 10.0, 10.0)
    assert params.beta == (2.0, 2.0, 20.0, 20.0)
    assert_recovers(state)


def test_groupnorm_with_groups_that_do_not_divide() -> None:
    assert_recovers(
        State(inputs_a=np.array([[1.0, 5.0, 2.0, 8.0, 3.0, 0.0]]), method="groupnorm", groups=4)
    )


def test_batchnorm_eval_uses_the_running_statistics() -> None:
    running = update_running_stats(RunningStats.initial(3), BATCH, 0.5)
    state = State(
        inputs_a=BATCH[:2], method="batchnorm", training=False, running_history=(running,)
    )
    params = identity_parameters(state)
    np.testing.assert_allclose(params.gamma, np.sqrt(running.var + 1e-5), rtol=1e-15)
    np.testing.assert_allclose(params.beta, running.mean, rtol=0, atol=0)
    assert_recovers(state)
    # Eval works on a single sample too: the running statistics do not depend on the batch.
    assert_recovers(state.replace(inputs_a=BATCH[:1]))


def test_batchnorm_eval_with_fresh_buffers() -> None:
    assert_recovers(State(inputs_a=BATCH, method="batchnorm", training=False))


def test_batchnorm_training_refuses_a_batch_of_one() -> None:
    state = State(inputs_a=BATCH[:1], method="batchnorm")
    reason = identity_unavailable(state)
    assert reason is not None and "two samples" in reason
    with pytest.raises(ValueError, match="two samples"):
        with_identity(state)


def test_batchnorm_eval_refuses_zero_running_variance_with_zero_eps() -> None:
    running = RunningStats(np.zeros(3), np.array([1.0, 0.0, 1.0]), 1)
    state = State(
        inputs_a=BATCH, method="batchnorm", training=False, eps=0.0, running_history=(running,)
    )
    reason = identity_unavailable(state)
    assert reason is not None and "feature 2" in reason
    assert identity_unavailable(state.replace(eps=1e-5)) is None


@pytest.mark.parametrize("method", COLUMN_METHODS)
def test_constant_columns(method: str) -> None:
    x = BATCH.copy()
    x[:, 1] = 4.0
    x[:, 2] = 0.0
    assert_recovers(State(inputs_a=x, method=method, eps=0.0 if method == "batchnorm" else None))


@pytest.mark.parametrize("method", ["layernorm", "rmsnorm", "groupnorm", "l2"])
@pytest.mark.parametrize("row", [[2.0, 2.0, 2.0, 2.0], [0.0, 0.0, 0.0, 0.0]])
def test_constant_row_with_zero_eps(method: str, row: list[float]) -> None:
    assert_recovers(State(inputs_a=np.array([row]), method=method, eps=0.0))


@pytest.mark.parametrize("feature_range", [(0.0, 1.0), (-1.0, 1.0), (0.9, 1.0), (-10.0, -5.0)])
def test_minmax_any_feature_range(feature_range: tuple[float, float]) -> None:
    state = State(inputs_a=BATCH, method="minmax", feature_range=feature_range)
    assert_recovers(state)
    params = identity_parameters(state)
    lo, hi = feature_range
    span = BATCH.max(axis=0) - BATCH.min(axis=0)
    np.testing.assert_allclose(params.gamma, span / (hi - lo), rtol=1e-14)
    np.testing.assert_allclose(params.beta, BATCH.min(axis=0) - lo * span / (hi - lo), rtol=1e-14)


@pytest.mark.parametrize("method", ["layernorm", "batchnorm", "minmax", "robust"])
def test_input_scale_and_shift_are_part_of_the_input(method: str) -> None:
    x = BATCH[:1] if method == "layernorm" else BATCH
    assert_recovers(State(inputs_a=x, method=method, input_scale=40.0, input_shift=-7.0))


def test_pixel_values() -> None:
    pixels = np.random.default_rng(1).integers(0, 256, size=(8, 6)).astype(float)
    for method in COLUMN_METHODS:
        assert_recovers(State(inputs_a=pixels, method=method))


def test_joint_statistics_recover_both_inputs() -> None:
    state = State(inputs_a=BATCH, inputs_b=BATCH[:2] + 10.0, compare=True, method="batchnorm")
    params = identity_parameters(state)
    assert "only A" not in params.note
    assert_recovers(state)


def test_joint_batch_of_one_plus_one_is_a_batch_of_two() -> None:
    state = State(inputs_a=BATCH[:1], inputs_b=BATCH[1:2], compare=True, method="batchnorm")
    assert identity_unavailable(state) is None
    assert_recovers(state)


def test_separate_statistics_recover_a_only_and_say_so() -> None:
    state = State(
        inputs_a=BATCH,
        inputs_b=BATCH[:2] + 10.0,
        compare=True,
        method="standardize",
        stats_source="each",
    )
    params = identity_parameters(state)
    assert "only A" in params.note
    frame = compute(with_identity(state))
    np.testing.assert_allclose(frame.a.affine, frame.a.raw, rtol=0, atol=1e-9)


def test_row_method_with_b_recovers_a_only() -> None:
    state = State(inputs_a=BATCH[:1], inputs_b=BATCH[1:3], compare=True, method="layernorm")
    assert "only A" in identity_parameters(state).note
    frame = compute(with_identity(state))
    np.testing.assert_allclose(frame.a.affine, frame.a.raw, rtol=0, atol=1e-9)


def test_too_large_values_are_refused_in_words() -> None:
    # The range of this feature, max − min, is past the largest float: γ would be infinite.
    state = State(inputs_a=np.array([[1.7e308], [-1.7e308]]), method="minmax")
    with pytest.raises(ValueError, match="too large"):
        identity_parameters(state)


def test_huge_values_whose_spread_is_a_float_are_undone() -> None:
    # The statistics of values near the float limit are taken exactly (scaled by a power of
    # two): σ of this sample is a finite 8.2e299, and γ = σ undoes the normalization.
    state = State(inputs_a=np.array([[1e300, -1e300, 0.0]]), method="layernorm")
    assert identity_parameters(state).gamma[0] == pytest.approx(np.sqrt(2 / 3) * 1e300)
    assert_recovers(state, atol=1e285)


def test_inverse_never_imports_qt() -> None:
    import normgui.core.inverse as inverse

    source = Path(inverse.__file__).read_text(encoding="utf-8")
    assert "PySide" not in source and "pyqtgraph" not in source


finite = st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False)


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(np.float64, st.tuples(st.integers(2, 6), st.integers(1, 5)), elements=finite),
    method=st.sampled_from(COLUMN_METHODS),
    eps=st.sampled_from([None, 0.0, 1e-3]),
)
def test_column_methods_recover_any_batch(x: np.ndarray, method: str, eps: float | None) -> None:
    state = State(inputs_a=x, method=method, eps=eps if method == "batchnorm" else None)
    assert_recovers(state, atol=1e-9 * max(1.0, float(np.max(np.abs(x)))))


@settings(max_examples=60, deadline=None)
@given(
    x=arrays(np.float64, st.tuples(st.just(1), st.integers(1, 8)), elements=finite),
    method=st.sampled_from(ROW_METHODS),
    eps=st.sampled_from([None, 0.0, 1e-3]),
)
def test_row_methods_recover_any_sample(x: np.ndarray, method: str, eps: float | None) -> None:
    assert_recovers(
        State(inputs_a=x, method=method, eps=eps), atol=1e-9 * max(1.0, np.abs(x).max())
    )
