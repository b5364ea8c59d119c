"""The method registry: every registered method's statistics and vector–Jacobian product.

The method lists come from the registry, never from a literal list: a method added there is
checked here without a line changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from normgui.core.data_invariance import data_invariance, data_invariance_table
from normgui.core.explain import explain
from normgui.core.inverse import identity_parameters, with_identity
from normgui.core.methods import (
    DEFAULT_EPS,
    METHOD_SPECS,
    METHODS,
    NO_BETA,
    PARAMS,
    REGISTRY,
    Method,
    Stats,
    get_method,
    register,
    registered,
)
from normgui.core.normalize import RunningStats, normalize, statistics
from normgui.core.pipeline import compute
from normgui.core.sensitivity import jacobian, sensitivity
from normgui.core.state import State

RNG = np.random.default_rng(12)
# Distinct values: no ties at an extreme or a quantile, where a slope is one-sided.
BATCH = RNG.normal(1.0, 2.0, (7, 6))
RUNNING = RunningStats(RNG.normal(0.0, 1.0, 6), RNG.uniform(0.5, 2.0, 6), 3)


def kwargs_for(method: Method, training: bool = True) -> dict[str, Any]:
    """Arguments that every registered method accepts; its own knobs at non-default values."""
    return {
        "eps": 1e-3 if method.default_eps is not None else None,
        "groups": 3,
        "feature_range": (-1.0, 2.0),
        "training": training,
        "running": RUNNING,
    }


CASES = [
    pytest.param(key, training, id=f"{key}-{'train' if training else 'eval'}")
    for key, method in REGISTRY.items()
    for training in ((True, False) if "training" in method.params else (True,))
]


def central_vjp(
    key: str, x: np.ndarray, grad: np.ndarray, kwargs: dict[str, Any], h: float = 1e-6
) -> np.ndarray:
    """Σ grad·∂x̂/∂x by central differences of normalize."""
    out = np.zeros_like(x)
    for idx in np.ndindex(*x.shape):
        up, down = x.copy(), x.copy()
        up[idx] += h
        down[idx] -= h
        diff = normalize(up, key, **kwargs) - normalize(down, key, **kwargs)
        out[idx] = np.sum(grad * diff) / (2 * h)
    return out


@pytest.mark.parametrize(("key", "training"), CASES)
def test_vjp_matches_central_differences(key: str, training: bool) -> None:
    method = get_method(key)
    kwargs = kwargs_for(method, training)
    grad = RNG.normal(0.0, 1.0, BATCH.shape)
    stats = statistics(BATCH, key, **kwargs)
    expected = central_vjp(key, BATCH, grad, kwargs)
    np.testing.assert_allclose(method.vjp(BATCH, stats, grad), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(("key", "training"), CASES)
def test_stats_normalize_is_normalize(key: str, training: bool) -> None:
    kwargs = kwargs_for(get_method(key), training)
    stats = statistics(BATCH, key, **kwargs)
    np.testing.assert_array_equal(stats.normalize(BATCH), normalize(BATCH, key, **kwargs))
    assert np.all(np.broadcast_to(stats.scale, BATCH.shape) >= 0)
    assert np.broadcast_to(stats.fired, BATCH.shape).shape == BATCH.shape
    assert stats.depends_on_data == (
        METHOD_SPECS[key].statistics_over != "none" and not (key == "batchnorm" and not training)
    )


@pytest.mark.parametrize("key", METHODS)
def test_the_derived_tables_come_from_the_records(key: str) -> None:
    method = get_method(key)
    assert DEFAULT_EPS[key] == method.default_eps
    assert (key in NO_BETA) == (not method.has_beta)
    assert ("beta" in method.params) == method.has_beta
    assert ("eps" in method.params) == (method.default_eps is not None)
    assert all(p in PARAMS for p in method.params)


def test_an_unknown_method_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match="unknown normalization 'centre'; choose one of: identity"):
        get_method("centre")


def test_layernorm_and_batchnorm_as_a_network_uses_them() -> None:
    # The training engine's calls: PyTorch's forward (biased variance) and its exact backward.
    u = RNG.normal(0.0, 3.0, (60, 100))
    bn = get_method("batchnorm")
    st = bn.statistics(
        u, eps=1e-5, groups=None, feature_range=(0.0, 1.0), training=True, running=None
    )
    xhat = st.normalize(u)
    np.testing.assert_allclose(xhat, (u - u.mean(0)) / np.sqrt(u.var(0) + 1e-5), rtol=1e-12)
    dxhat = RNG.normal(0.0, 1.0, u.shape)
    du = bn.vjp(u, st, dxhat)
    np.testing.assert_allclose(du.sum(axis=0), 0.0, atol=1e-10)  # the mean takes out shifts
    rs = RunningStats(u.mean(0), u.var(0, ddof=1), 1)
    ev = bn.statistics(
        u, eps=1e-5, groups=None, feature_range=(0.0, 1.0), training=False, running=rs
    )
    assert not ev.depends_on_data
    np.testing.assert_allclose(bn.vjp(u, ev, dxhat), dxhat / np.sqrt(rs.var + 1e-5))
    ln = get_method("layernorm")
    st = ln.statistics(
        u, eps=1e-5, groups=None, feature_range=(0.0, 1.0), training=True, running=None
    )
    xhat = st.normalize(u)
    np.testing.assert_allclose(xhat.mean(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(ln.vjp(u, st, dxhat).sum(axis=1), 0.0, atol=1e-10)


# --- every feature, for every registered method --------------------------------------------------


def state_for(key: str, **changes: Any) -> State:
    """A State that every feature can work on: a batch for the column methods, one sample
    (which the inverse needs) for the others; distinct values, away from ties."""
    column = get_method(key).statistics_over == "column"
    data = BATCH if column else BATCH[2:3]
    return State(
        inputs_a=data, method=key, gamma=1.5, selected_sample=2 if column else 0, **changes
    )


def pipeline_jacobian(state: State, h: float = 1e-6) -> np.ndarray:
    """∂y/∂x of the selected sample by central differences of compute."""
    x = np.array(state.inputs_a)
    i = state.selected_sample
    d = x.shape[1]
    out = np.zeros((d, d))
    for j in range(d):
        ys = []
        for sign in (1.0, -1.0):
            moved = x.copy()
            moved[i, j] += sign * h
            ys.append(compute(state.replace(inputs_a=moved)).a.affine[i])
        out[:, j] = (ys[0] - ys[1]) / (2 * h)
    return out


@pytest.mark.parametrize("key", METHODS)
def test_every_feature_works_and_agrees(key: str) -> None:
    state = state_for(key)
    frame = compute(state)
    i, j = state.selected_sample, state.selected_feature
    # explain's x̂ and y are the numbers the plots show
    lines = explain(state)
    assert lines.value("xhat") == pytest.approx(frame.a.normalized[i, j], rel=1e-12, abs=1e-15)
    assert lines.value("y") == pytest.approx(frame.a.affine[i, j], rel=1e-12, abs=1e-15)
    # sensitivity is the derivative of what the pipeline computes
    np.testing.assert_allclose(jacobian(state), pipeline_jacobian(state), rtol=1e-5, atol=1e-7)
    assert sensitivity(state).how
    # γ and β of the inverse give the input back through the pipeline
    undone = compute(with_identity(state))
    np.testing.assert_allclose(undone.a.affine, undone.a.raw, rtol=0, atol=1e-9)


# --- a method registered for one test only ---------------------------------------------------


def _centre_statistics(x: np.ndarray, **_: object) -> Stats:
    """x̂ = x − the mean of each feature: a column method with no scale and no ε."""
    mean = x.mean(axis=0, keepdims=True)
    return Stats(mean, np.ones_like(mean), {"mean": mean}, np.zeros_like(mean, dtype=bool))


def _centre_vjp(x: np.ndarray, stats: Stats, grad: np.ndarray) -> np.ndarray:
    return grad - grad.mean(axis=0, keepdims=True)


CENTRE = Method(
    key="centre",
    label="Centring",
    description="Each feature has its mean taken off.",
    formula="y = γ·(x − μ_col) + β",
    params=("gamma", "beta"),
    statistics_over="column",
    default_eps=None,
    has_beta=True,
    statistics=_centre_statistics,
    vjp=_centre_vjp,
)


@pytest.fixture
def centre() -> Iterator[Method]:
    with registered(CENTRE) as method:
        yield method
    assert "centre" not in METHODS


def test_a_new_method_works_everywhere_or_says_why(centre: Method) -> None:
    assert "centre" in METHODS and METHOD_SPECS["centre"] is centre
    x = np.array([[1.0, 5.0], [2.0, 7.0], [6.0, 0.0]])
    state = State(inputs_a=x, method="centre", selected_sample=1)
    frame = compute(state)
    np.testing.assert_allclose(frame.a.normalized, x - x.mean(axis=0))
    # the example: the slope of one of three samples on itself is 1 − 1/3, not a
    # fall-through to another method's formula
    assert jacobian(state)[0, 0] == pytest.approx(2.0 / 3.0)
    np.testing.assert_allclose(jacobian(state), pipeline_jacobian(state), rtol=1e-6)
    lines = explain(state)
    assert lines.value("xhat") == pytest.approx(frame.a.normalized[1, 0])
    assert lines.value("shift") == pytest.approx(3.0)
    params = identity_parameters(state)
    assert params.beta == pytest.approx((3.0, 4.0)) and params.gamma == (1.0, 1.0)
    assert "centre" in data_invariance_table()
    assert data_invariance(x, "centre")["shift_dataset"].invariant
    with pytest.raises(ValueError, match="has no ε"):
        normalize(x, "centre", eps=1e-3)


def test_a_method_that_is_gone_is_refused_everywhere() -> None:
    with registered(CENTRE):
        state = State(inputs_a=BATCH, method="centre")
    for feature in (compute, explain, sensitivity, identity_parameters):
        with pytest.raises(ValueError, match="unknown normalization 'centre'"):
            feature(state)  # type: ignore[operator]


def test_a_key_cannot_be_registered_twice(centre: Method) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(centre)
