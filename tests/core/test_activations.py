"""Activations, their slopes, and the regimes they create."""

from __future__ import annotations

import numpy as np
import pytest

from normgui.core.activations import (
    ACTIVATIONS,
    RegimeSettings,
    activate,
    activate_grad,
    is_linear,
    is_saturated,
    regime_bounds,
    regime_summary,
    tangent_at_zero,
)


def test_sigmoid_is_stable_at_the_extremes() -> None:
    z = np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0])
    out = activate(z)
    assert out[0] == 0.0 and out[-1] == 1.0 and out[2] == 0.5
    assert np.all(activate_grad(z)[[0, -1]] == 0.0)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_gradients_match_finite_differences(name: str) -> None:
    z = np.linspace(-5, 5, 101) + 0.013  # avoid the kinks of relu and hardsigmoid
    h = 1e-6
    numeric = (activate(z + h, name) - activate(z - h, name)) / (2 * h)
    np.testing.assert_allclose(activate_grad(z, name), numeric, atol=1e-6)


def test_sigmoid_regime_bounds() -> None:
    z_lin, z_sat = regime_bounds()
    assert z_lin == pytest.approx(0.799, abs=5e-4)
    assert z_sat == pytest.approx(3.637, abs=5e-4)
    sigma = activate(np.array([z_lin]))[0]
    assert abs(sigma - tangent_at_zero(np.array([z_lin]))[0]) == pytest.approx(0.01, abs=1e-9)
    assert activate_grad(np.array([z_sat]))[0] == pytest.approx(0.025, abs=1e-9)


def test_thresholds_are_settings() -> None:
    loose = regime_bounds(linear_tol=0.05, saturation_ratio=0.01)
    assert loose[0] > 0.799 and loose[1] > 3.637


def test_classification_agrees_with_the_bounds() -> None:
    settings = RegimeSettings()
    z = np.array([0.0, 0.79, 0.81, 3.6, 3.7, -3.7])
    assert is_linear(z, "sigmoid", settings).tolist() == [True, True, False, False, False, False]
    assert is_saturated(z, "sigmoid", settings).tolist() == [False] * 4 + [True, True]


def test_regime_summary_counts_fractions_and_mean_slope() -> None:
    summary = regime_summary(np.array([0.0, 0.0, 10.0, -10.0]))
    assert summary.linear == 0.5 and summary.saturated == 0.5 and summary.between == 0.0
    assert summary.mean_grad == pytest.approx((0.25 + 0.25 + 2 * 4.5397868702434395e-05) / 4)


def test_relu_saturates_on_the_negative_side_only() -> None:
    settings = RegimeSettings()
    assert is_saturated(np.array([-1.0, 1.0]), "relu", settings).tolist() == [True, False]


def test_unknown_activation() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        activate(np.zeros(1), "swish")
