"""normgui.core.training against PyTorch, to 1e-9 relative error in float64.

The expected values are in tests/data/training_reference.json, computed by
tests/data/make_training_reference.py with torch in a separate environment (see its docstring):
the loss and gradients of one forward/backward pass, then three steps of SGD with momentum and
three of Adam — each step's loss, the final parameters, BatchNorm's running statistics and the
eval-mode logits — for every hidden normalization, input normalization layer and a few
activations. The engine's determinism is checked here as well.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from normgui.core.normalize import RunningStats
from normgui.core.training import (
    HIDDEN_NORMS,
    AdamState,
    NetworkSpec,
    Params,
    adam_step,
    forward,
    init_params,
    loss_and_grads,
    sgd_step,
    train,
)
from normgui.core.types import FloatArray

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "training_reference.json"
CASES: list[dict[str, Any]] = json.loads(REFERENCE.read_text(encoding="utf-8"))

RTOL = 1e-9
# Gradients that are zero in exact arithmetic (a shift feeding a BatchNorm, which removes it) come
# out of both libraries as rounding noise of about 1e-17; every other gradient is above 3e-6.
ATOL = 1e-13
# Adam divides each gradient by its own running size, plus ε = 1e-8: the rounding noise of a
# zero gradient becomes an update of up to lr·noise/1e-8 per step, and the two libraries' noise
# differs. A hidden BatchNorm removes any shift of its input, so the gradient of every bias
# feeding it, and of the input layer's β (a shift of h @ W too), is zero in exact arithmetic.
# After Adam steps those shifts — and what depends on them: the running means and the eval-mode
# logits — agree only to steps·lr·(a noise of 1e-15)/1e-8 (1.5e-8 here, against changes of
# order lr = 0.05 per step that a wrong update would make).
ADAM_EPS = 1e-8
GRADIENT_NOISE = 1e-15

CASE_PARAMS = [pytest.param(case, id=case["id"]) for case in CASES]


def _spec(case: dict[str, Any]) -> NetworkSpec:
    return NetworkSpec(
        sizes=tuple(case["sizes"]),
        activation=case["activation"],
        norm=case["norm"],
        input_norm=case["input_norm"],
        eps=case["eps"],
        momentum=case["momentum"],
    )


def _initial(spec: NetworkSpec, case: dict[str, Any]) -> Params:
    """The case's weights and biases, with γ = 1, β = 0 and fresh running statistics (what
    PyTorch's modules start with, and what init_params gives)."""
    fresh = init_params(spec, 0)
    return Params.from_arrays(
        case["initial"]["weights"],
        case["initial"]["biases"],
        gammas=fresh.gammas,
        betas=fresh.betas,
        running=fresh.running,
        input_gamma=fresh.input_gamma,
        input_beta=fresh.input_beta,
        input_running=fresh.input_running,
    )


def _batch(case: dict[str, Any], i: int) -> tuple[FloatArray, np.ndarray]:
    batch = case["batches"][i]
    return np.asarray(batch["x"], dtype=np.float64), np.asarray(batch["labels"], dtype=np.int64)


def _close(actual: Any, expected: Any, what: str, case: dict[str, Any], atol: float = ATOL) -> None:
    np.testing.assert_allclose(
        actual,
        np.asarray(expected, dtype=np.float64),
        rtol=RTOL,
        atol=atol,
        err_msg=f"{case['id']}: {what} differs from {case['reference']}",
    )


def _close_learnable(
    actual: Params,
    expected: dict[str, Any],
    what: str,
    case: dict[str, Any],
    noise: float = ATOL,
) -> None:
    """Compare every learnable array by name: weights[i], biases[i], gammas[i], betas[i] and the
    input layer's γ and β (null in the reference: the network has no such layer). `noise` is
    the absolute tolerance of the shifts that feed a hidden BatchNorm (see ADAM_EPS)."""
    shift_atol = noise if case["norm"] == "batchnorm" else ATOL
    for field in ("weights", "biases", "gammas", "betas"):
        arrays = getattr(actual, field)
        assert len(arrays) == len(expected[field]), f"{case['id']}: {what} {field}: count"
        for i, (a, e) in enumerate(zip(arrays, expected[field], strict=True)):
            feeds_hidden_layer = field == "biases" and i < len(arrays) - 1
            atol = shift_atol if feeds_hidden_layer else ATOL
            _close(a, e, f"{what} {field}[{i}]", case, atol)
    for field in ("input_gamma", "input_beta"):
        value = getattr(actual, field)
        if expected[field] is None:
            assert value is None, f"{case['id']}: {what} {field} should not exist"
        else:
            atol = shift_atol if field == "input_beta" else ATOL
            _close(value, expected[field], f"{what} {field}", case, atol)


def _close_running(
    actual: RunningStats | None,
    expected: dict[str, Any] | None,
    what: str,
    case: dict[str, Any],
    noise: float = ATOL,
) -> None:
    if expected is None:
        assert actual is None, f"{case['id']}: {what} should not exist"
        return
    assert actual is not None, f"{case['id']}: {what} is missing"
    assert actual.count == expected["count"], f"{case['id']}: {what} count"
    _close(actual.mean, expected["mean"], f"{what} mean", case, noise)
    _close(actual.var, expected["var"], f"{what} var", case)


def _check_trained(
    spec: NetworkSpec,
    params: Params,
    losses: list[float],
    expected: dict[str, Any],
    case: dict[str, Any],
    noise: float = ATOL,
) -> None:
    """Losses, parameters, running statistics and eval-mode logits after the steps; `noise` is
    the absolute tolerance of what a shift feeding a hidden BatchNorm reaches (see ADAM_EPS)."""
    _close(losses, expected["losses"], "the loss of each step", case)
    _close_learnable(params, expected["params"], "after the steps,", case, noise)
    assert len(params.running) == len(expected["running"]), f"{case['id']}: running count"
    for i, (stats, want) in enumerate(zip(params.running, expected["running"], strict=True)):
        _close_running(stats, want, f"running statistics of hidden layer {i}", case, noise)
    _close_running(params.input_running, expected["input_running"], "input running stats", case)
    x_eval = np.asarray(case["x_eval"], dtype=np.float64)
    logits = forward(spec, params, x_eval, training=False).logits
    eval_atol = noise if case["norm"] == "batchnorm" else ATOL
    _close(logits, expected["eval_logits"], "the eval-mode logits", case, eval_atol)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_loss_and_grads_match_pytorch(case: dict[str, Any]) -> None:
    spec = _spec(case)
    x, labels = _batch(case, 0)
    loss, grads = loss_and_grads(spec, _initial(spec, case), x, labels)
    _close(loss, case["expected_loss"], "the loss", case)
    _close_learnable(grads, case["expected_grads"], "the gradient of", case)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_sgd_with_momentum_matches_pytorch(case: dict[str, Any]) -> None:
    spec = _spec(case)
    params = _initial(spec, case)
    velocity: tuple[FloatArray, ...] | None = None
    losses = []
    for i in range(len(case["batches"])):
        x, labels = _batch(case, i)
        params, velocity, loss = sgd_step(
            spec,
            params,
            x,
            labels,
            lr=case["sgd_lr"],
            momentum=case["sgd_momentum"],
            velocity=velocity,
        )
        losses.append(loss)
    _check_trained(spec, params, losses, case["sgd"], case)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_adam_matches_pytorch(case: dict[str, Any]) -> None:
    spec = _spec(case)
    params = _initial(spec, case)
    state: AdamState | None = None
    losses = []
    for i in range(len(case["batches"])):
        x, labels = _batch(case, i)
        params, state, loss = adam_step(spec, params, x, labels, lr=case["adam_lr"], state=state)
        losses.append(loss)
    assert state is not None and state.step == len(case["batches"])
    noise = len(case["batches"]) * case["adam_lr"] * GRADIENT_NOISE / ADAM_EPS
    _check_trained(spec, params, losses, case["adam"], case, noise)


def test_reference_covers_every_normalization_layer() -> None:
    hidden = {c["norm"] for c in CASES}
    assert hidden == set(HIDDEN_NORMS)
    # the input layers with learnable γ/β (scale and standardize are fitted transforms, not layers)
    assert {c["input_norm"] for c in CASES} >= {"batchnorm", "layernorm"}
    assert {c["activation"] for c in CASES} >= {"sigmoid", "tanh", "relu"}
    assert any(len(c["sizes"]) > 3 for c in CASES), "a network with two hidden layers"
    assert len({c["id"] for c in CASES}) == len(CASES)


# --- determinism -------------------------------------------------------------------------------


def _synthetic_dataset() -> SimpleNamespace:
    """Three Gaussian blobs in 6 features, 90 training and 30 test rows."""
    rng = np.random.default_rng(5)
    centres = rng.normal(scale=2.0, size=(3, 6))

    def draw(n: int) -> tuple[FloatArray, np.ndarray]:
        labels = np.arange(n) % 3
        return centres[labels] + rng.normal(size=(n, 6)), labels.astype(np.int64)

    x_train, y_train = draw(90)
    x_test, y_test = draw(30)
    return SimpleNamespace(x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)


@pytest.mark.parametrize(
    ("norm", "input_norm", "optimizer"),
    [
        ("batchnorm", "batchnorm", "sgd"),
        ("layernorm", "standardize", "adam"),
        ("none", "none", "sgd"),
    ],
)
def test_training_is_deterministic(norm: str, input_norm: str, optimizer: str) -> None:
    spec = NetworkSpec(sizes=(6, 5, 4, 3), norm=norm, input_norm=input_norm, init="xavier")
    data = _synthetic_dataset()

    def run() -> list[Any]:
        records = train(
            spec,
            data,
            steps=40,
            batch_size=16,
            lr=0.05,
            optimizer=optimizer,
            momentum=0.9 if optimizer == "sgd" else 0.0,
            seed=3,
            record_every=10,
        )
        return list(records)

    first, second = run(), run()
    assert [r.step for r in first] == [0, 10, 20, 30, 40]
    assert first == second
    # and the run learned something: the batch loss changed between records
    assert first[1].loss != first[-1].loss
