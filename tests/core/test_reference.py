"""normgui.core against PyTorch and scikit-learn, to 1e-6 relative error in float64.

The expected values are in tests/data/reference.json, computed by tests/data/make_reference.py
with torch and scikit-learn in a separate environment (see its docstring), so that neither is a
dependency of normgui or of these tests. A few values derived by hand are checked here as well.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from normgui.core.activations import ACTIVATIONS, activate, activate_grad, regime_bounds
from normgui.core.normalize import METHODS, RunningStats, normalize, update_running_stats

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference.json"
CASES: list[dict[str, Any]] = json.loads(REFERENCE.read_text(encoding="utf-8"))

RTOL = 1e-6
ATOL = 1e-12


def _cases(kind: str) -> list[Any]:
    return [pytest.param(case, id=case["id"]) for case in CASES if case["kind"] == kind]


def _close(actual: Any, expected: Any, what: str, case: dict[str, Any]) -> None:
    np.testing.assert_allclose(
        actual,
        np.asarray(expected, dtype=np.float64),
        rtol=RTOL,
        atol=ATOL,
        err_msg=f"{case['id']}: {what} differs from {case['reference']}",
    )


def _params(case: dict[str, Any]) -> dict[str, Any]:
    params = dict(case["params"])
    if "feature_range" in params:
        params["feature_range"] = tuple(params["feature_range"])
    return params


@pytest.mark.parametrize("case", _cases("normalize"))
def test_normalize_matches_reference(case: dict[str, Any]) -> None:
    x = np.asarray(case["x"], dtype=np.float64)
    out = normalize(x, case["method"], **_params(case))
    assert out.shape == x.shape
    assert out.dtype == np.float64
    _close(out, case["expected"], "the output", case)


@pytest.mark.parametrize("case", _cases("running_stats"))
def test_running_stats_match_reference(case: dict[str, Any]) -> None:
    x_eval = np.asarray(case["x_eval"], dtype=np.float64)
    stats = RunningStats.initial(x_eval.shape[1])
    for batch in case["batches"]:
        stats = update_running_stats(stats, np.asarray(batch), momentum=case["momentum"])
    assert stats.count == case["expected_count"]
    _close(stats.mean, case["expected_mean"], "running_mean", case)
    _close(stats.var, case["expected_var"], "running_var", case)
    out = normalize(
        x_eval,
        "batchnorm",
        training=False,
        # a fresh module is also the default: no running statistics given
        running=stats if case["batches"] else None,
        eps=case["eps"],
        gamma=case["gamma"],
        beta=case["beta"],
    )
    _close(out, case["expected_eval"], "the eval-mode output", case)


@pytest.mark.parametrize("case", _cases("activation"))
def test_activation_matches_reference(case: dict[str, Any]) -> None:
    z = np.asarray(case["z"], dtype=np.float64)
    _close(activate(z, case["name"]), case["expected_value"], "the value", case)


@pytest.mark.parametrize("case", _cases("activation"))
def test_activation_grad_matches_reference(case: dict[str, Any]) -> None:
    z = np.asarray(case["z"], dtype=np.float64)
    _close(activate_grad(z, case["name"]), case["expected_grad"], "the derivative", case)


def test_reference_covers_every_method_and_activation() -> None:
    methods = {c["method"] for c in CASES if c["kind"] == "normalize"}
    assert methods == set(METHODS) - {"identity"}
    assert {c["name"] for c in CASES if c["kind"] == "activation"} == set(ACTIVATIONS)
    assert any(c["kind"] == "running_stats" and c["momentum"] is None for c in CASES)
    assert len({c["id"] for c in CASES}) == len(CASES)


# --- values derived by hand (DESIGN.md, "Numeric conventions") --------------------------------

LAYERNORM_1234 = [-1.3416355, -0.4472118, 0.4472118, 1.3416355]


@pytest.mark.parametrize("x", [[1.0, 2.0, 3.0, 4.0], [4.0, 5.0, 6.0, 7.0]], ids=["1234", "4567"])
def test_layernorm_check_values(x: list[float]) -> None:
    # (x - mean) / sqrt(1.25 + 1e-5): the two vectors differ by a shift, so they map alike.
    np.testing.assert_allclose(normalize(x, "layernorm"), LAYERNORM_1234, rtol=0, atol=1e-7)


def test_rmsnorm_check_values() -> None:
    # mean(x²) = 7.5, so x / sqrt(7.5 + float eps)
    out = normalize([1.0, 2.0, 3.0, 4.0], "rmsnorm")
    np.testing.assert_allclose(out, [0.36515, 0.73030, 1.09545, 1.46059], rtol=0, atol=1e-5)


def test_batchnorm_training_on_a_batch_of_one_says_it_needs_two_samples() -> None:
    with pytest.raises(ValueError, match="two samples"):
        normalize([[1.0, 2.0, 3.0, 4.0]], "batchnorm", training=True)
    with pytest.raises(ValueError, match="two samples"):
        update_running_stats(RunningStats.initial(4), [[1.0, 2.0, 3.0, 4.0]])


def test_sigmoid_regime_bounds() -> None:
    # |σ(z) - (0.5 + z/4)| = 0.01 at z ≈ 0.799; σ'(z) = 0.1 · σ'(0) at z = logit((1 + √0.9) / 2).
    z_linear, z_saturated = regime_bounds()
    assert z_linear == pytest.approx(0.799, abs=5e-4)
    assert z_saturated == pytest.approx(3.637, abs=5e-4)
    assert z_saturated == pytest.approx(np.log((1 + np.sqrt(0.9)) / (1 - np.sqrt(0.9))), rel=1e-9)
