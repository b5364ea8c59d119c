"""Properties and edge cases of the normalizations (reference values: test_reference.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from normgui.core.normalize import (
    METHODS,
    RunningStats,
    default_eps,
    normalize,
    update_running_stats,
)

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
tables = arrays(np.float64, st.tuples(st.integers(2, 6), st.integers(2, 6)), elements=finite)


@given(tables, st.floats(0.1, 5), st.floats(-5, 5))
def test_layernorm_rows_have_mean_beta_and_std_gamma(
    x: np.ndarray, gamma: float, beta: float
) -> None:
    # With ε = 0, a (nearly) constant row divides rounding noise by rounding noise: leave those out.
    wide = x.std(axis=1) > 1e-3 * (1 + np.abs(x).max(axis=1))
    y = normalize(x, "layernorm", gamma=gamma, beta=beta, eps=0.0)[wide]
    np.testing.assert_allclose(y.mean(axis=1), beta, atol=1e-6 * max(1.0, gamma))
    np.testing.assert_allclose(y.std(axis=1), gamma, rtol=1e-6)


@given(tables)
def test_batchnorm_columns_have_mean_0_and_unit_variance(x: np.ndarray) -> None:
    wide = x.std(axis=0) > 1e-3 * (1 + np.abs(x).max(axis=0))
    y = normalize(x, "batchnorm", eps=0.0)[:, wide]
    np.testing.assert_allclose(y.mean(axis=0), 0.0, atol=1e-6)
    np.testing.assert_allclose(y.var(axis=0), 1.0, rtol=1e-6)


@given(tables, st.floats(0.5, 100), st.floats(-100, 100))
def test_layernorm_is_invariant_to_shifting_and_scaling_a_sample(
    x: np.ndarray, scale: float, shift: float
) -> None:
    x = x + np.arange(x.shape[1])  # no constant rows
    moved = x.copy()
    moved[0] = moved[0] * scale + shift
    before = normalize(x, "layernorm", eps=0.0)
    after = normalize(moved, "layernorm", eps=0.0)
    np.testing.assert_allclose(after, before, atol=1e-6)


def test_a_vector_gives_a_vector() -> None:
    out = normalize([1.0, 2.0, 3.0, 4.0], "layernorm")
    assert out.shape == (4,)


@pytest.mark.parametrize("method", METHODS)
def test_every_method_accepts_constant_data_without_warnings(method: str) -> None:
    x = np.full((3, 4), 7.0)
    kwargs = {"groups": 2} if method == "groupnorm" else {}
    out = normalize(x, method, **kwargs)
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("method", ["layernorm", "groupnorm", "batchnorm", "rmsnorm", "l2"])
def test_eps_zero_on_constant_zero_data_gives_zero_not_nan(method: str) -> None:
    x = np.zeros((2, 4))
    kwargs = {"groups": 2} if method == "groupnorm" else {}
    out = normalize(x, method, eps=0.0, **kwargs)
    assert np.array_equal(out, np.zeros((2, 4)))


@pytest.mark.parametrize("method", [m for m in METHODS if m != "identity"])
@pytest.mark.parametrize("value", [1e308, -1e308, 1e-308, 5e-324])
def test_values_near_the_float_limits_give_finite_results(method: str, value: float) -> None:
    x = np.array([[value, -value, 0.5 * value, 0.0], [value, value, -value, 0.25 * value]])
    kwargs = {"groups": 2} if method == "groupnorm" else {}
    out = normalize(x, method, **kwargs)
    assert np.all(np.isfinite(out))


def test_layernorm_of_huge_values_matches_the_scaled_problem() -> None:
    x = np.array([[1.0, 2.0, 3.0, 4.0]])
    big = normalize(x * 2.0**1000, "layernorm", eps=0.0)
    np.testing.assert_allclose(big, normalize(x, "layernorm", eps=0.0), rtol=1e-12)


def test_single_feature() -> None:
    x = np.array([[3.0], [5.0]])
    assert np.array_equal(normalize(x, "layernorm"), np.zeros((2, 1)))
    np.testing.assert_allclose(normalize(x, "standardize"), [[-1.0], [1.0]])
    np.testing.assert_allclose(normalize(x, "minmax"), [[0.0], [1.0]])


def test_batchnorm_training_on_a_batch_of_one_says_why() -> None:
    with pytest.raises(ValueError, match="at least two samples"):
        normalize([[1.0, 2.0]], "batchnorm")


def test_batchnorm_eval_uses_running_statistics() -> None:
    stats = RunningStats(np.array([1.0, 2.0]), np.array([4.0, 9.0]), 3)
    out = normalize([[3.0, 8.0]], "batchnorm", training=False, running=stats, eps=0.0)
    np.testing.assert_allclose(out, [[1.0, 2.0]])


def test_running_stats_follow_pytorchs_rule() -> None:
    batch = np.array([[1.0, 10.0], [3.0, 14.0]])
    stats = update_running_stats(RunningStats.initial(2), batch, momentum=0.1)
    np.testing.assert_allclose(stats.mean, [0.2, 1.2])
    np.testing.assert_allclose(stats.var, [0.9 + 0.1 * 2.0, 0.9 + 0.1 * 8.0])  # unbiased
    assert stats.count == 1
    cumulative = update_running_stats(stats, batch, momentum=None)
    np.testing.assert_allclose(cumulative.mean, [(0.2 + 2.0) / 2, (1.2 + 12.0) / 2])


def test_running_stats_refuse_a_batch_of_one() -> None:
    with pytest.raises(ValueError, match="batch of one"):
        update_running_stats(RunningStats.initial(2), [[1.0, 2.0]])


def test_running_stats_refuse_a_variance_beyond_the_float_range() -> None:
    with pytest.raises(ValueError, match="beyond the range"):  # and no RuntimeWarning
        update_running_stats(RunningStats.initial(1), [[1e308], [-1e308]])


def test_running_stats_are_read_only() -> None:
    stats = RunningStats.initial(3)
    with pytest.raises(ValueError):
        stats.mean[0] = 1.0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "nope"}, "unknown normalization"),
        ({"method": "groupnorm", "groups": 3}, "divides"),
        ({"method": "minmax", "feature_range": (1.0, 0.0)}, "smaller to a larger"),
        ({"method": "rmsnorm", "beta": 1.0}, "no β"),
        ({"method": "standardize", "eps": 1e-3}, "no ε"),
        ({"method": "layernorm", "eps": -1.0}, "ε"),
        ({"method": "layernorm", "gamma": [1.0, 2.0]}, "one number per feature"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs: dict, message: str) -> None:
    method = kwargs.pop("method")
    with pytest.raises(ValueError, match=message):
        normalize(np.ones((2, 4)) * np.arange(4), method, **kwargs)


def test_nan_input_is_refused() -> None:
    with pytest.raises(ValueError, match="NaN"):
        normalize([1.0, float("nan")], "layernorm")


def test_default_eps() -> None:
    assert default_eps("layernorm") == 1e-5
    assert default_eps("rmsnorm") == np.finfo(np.float64).eps
    assert default_eps("rmsnorm", np.float32) == np.finfo(np.float32).eps
    assert default_eps("standardize") is None


@settings(max_examples=50)
@given(tables)
def test_per_feature_gamma_beta(x: np.ndarray) -> None:
    d = x.shape[1]
    gamma = np.arange(1, d + 1, dtype=float)
    beta = -np.arange(d, dtype=float)
    plain = normalize(x, "standardize")
    np.testing.assert_allclose(
        normalize(x, "standardize", gamma=gamma, beta=beta), plain * gamma + beta
    )
