"""The method registry: every registered method's statistics and vector–Jacobian product.

The method lists come from the registry, never from a literal list: a method added there is
checked here without a line changed.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from normgui.core.methods import (
    DEFAULT_EPS,
    METHOD_SPECS,
    METHODS,
    NO_BETA,
    PARAMS,
    REGISTRY,
    Method,
    get_method,
)
from normgui.core.normalize import RunningStats, normalize, statistics

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
