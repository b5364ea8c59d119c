"""The training engine: exact gradients, PyTorch's conventions, and the facts the lab shows."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import numpy as np
import pytest

from normgui.core.activations import ACTIVATIONS
from normgui.core.training import (
    HIDDEN_NORMS,
    INITS,
    INPUT_NORMS,
    NetworkSpec,
    Params,
    Trainer,
    fit_input,
    forward,
    init_params,
    loss_and_grads,
    sgd_step,
    train,
)

SIZES = (5, 4, 3, 3)


def _perturbed(spec: NetworkSpec, seed: int, x: np.ndarray) -> Params:
    """Params with every learnable array random (γ ≠ 1, β ≠ 0): no gradient hides at a default."""
    rng = np.random.default_rng(seed)
    params = fit_input(spec, init_params(spec, seed), x)
    return params.with_learnable([rng.normal(0.5, 0.7, a.shape) for a in params.learnable()])


def _batch(seed: int, n: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(1.0, 2.0, (n, SIZES[0]))
    return x, rng.integers(0, SIZES[-1], n)


@pytest.mark.parametrize(
    ("norm", "input_norm", "activation"),
    list(itertools.product(HIDDEN_NORMS, INPUT_NORMS, ACTIVATIONS)),
)
def test_gradients_match_central_differences(norm: str, input_norm: str, activation: str) -> None:
    spec = NetworkSpec(SIZES, activation=activation, norm=norm, input_norm=input_norm)
    x, y = _batch(3)
    params = _perturbed(spec, 4, x)
    _, grads = loss_and_grads(spec, params, x, y)
    arrays = list(params.learnable())
    h = 1e-6
    for k, (array, grad) in enumerate(zip(arrays, grads.learnable(), strict=True)):
        numeric = np.zeros_like(array)
        for index in np.ndindex(array.shape):
            losses = []
            for sign in (1.0, -1.0):
                moved = [a.copy() for a in arrays]
                moved[k][index] += sign * h
                losses.append(loss_and_grads(spec, params.with_learnable(moved), x, y)[0])
            numeric[index] = (losses[0] - losses[1]) / (2 * h)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8, err_msg=f"array {k}")


def test_batchnorm_layer_follows_pytorch_conventions_by_hand() -> None:
    spec = NetworkSpec((2, 3, 2), norm="batchnorm")
    params = init_params(spec, 0)
    x = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 4.0], [2.0, 2.0]])
    trace = forward(spec, params, x)
    u = x @ params.weights[0] + params.biases[0]
    mean, var = u.mean(axis=0), u.var(axis=0)  # biased variance in the forward pass
    np.testing.assert_allclose(trace.layers[0].y, (u - mean) / np.sqrt(var + 1e-5), rtol=1e-12)
    stepped, _, _ = sgd_step(spec, params, x, np.array([0, 1, 0, 1]), lr=0.1)
    running = stepped.running[0]
    np.testing.assert_allclose(running.mean, 0.1 * mean, rtol=1e-12)
    np.testing.assert_allclose(running.var, 0.9 + 0.1 * u.var(axis=0, ddof=1), rtol=1e-12)
    assert running.count == 1
    evaluated = forward(spec, stepped, x, training=False).layers[0]
    u2 = x @ stepped.weights[0] + stepped.biases[0]
    expected = (u2 - running.mean) / np.sqrt(running.var + 1e-5)
    np.testing.assert_allclose(evaluated.xhat, expected, rtol=1e-12)


def test_layernorm_layer_normalizes_each_sample_over_the_units() -> None:
    spec = NetworkSpec((3, 4, 2), norm="layernorm")
    params = init_params(spec, 1)
    x = np.arange(9.0).reshape(3, 3)
    trace = forward(spec, params, x)
    u = trace.layers[0].u
    mean, var = u.mean(axis=1, keepdims=True), u.var(axis=1, keepdims=True)
    np.testing.assert_allclose(trace.layers[0].xhat, (u - mean) / np.sqrt(var + 1e-5), rtol=1e-12)


def test_loss_is_the_mean_cross_entropy() -> None:
    spec = NetworkSpec((2, 3))
    params = Params.from_arrays([[[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]], [[0.0, 0.1, 0.2]])
    x = np.array([[1.0, 2.0], [-1.0, 0.0]])
    y = np.array([2, 0])
    logits = x @ params.weights[0] + params.biases[0]
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    loss, _ = loss_and_grads(spec, params, x, y)
    assert loss == pytest.approx(-(logp[0, 2] + logp[1, 0]) / 2, rel=1e-14)


@pytest.mark.parametrize("init", INITS)
def test_initializations_have_their_documented_spread(init: str) -> None:
    spec = NetworkSpec((400, 300, 2), init=init)
    w = init_params(spec, 0).weights[0]
    if init == "normal":
        assert w.std() == pytest.approx(0.01, rel=0.02)
    else:
        limit = 1 / np.sqrt(400) if init == "glorot-uniform" else np.sqrt(6 / 700)
        assert np.abs(w).max() <= limit
        assert w.std() == pytest.approx(limit / np.sqrt(3), rel=0.02)


def test_specs_that_differ_only_in_normalization_start_from_the_same_weights() -> None:
    plain = init_params(NetworkSpec((6, 5, 5, 3)), 7)
    normed = init_params(NetworkSpec((6, 5, 5, 3), norm="batchnorm", input_norm="layernorm"), 7)
    for a, b in zip(plain.weights, normed.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_input_scaling_and_standardizing_are_fitted_on_the_training_set() -> None:
    x = np.array([[0.0, 10.0], [5.0, 30.0], [10.0, 20.0]])
    scaled = fit_input(
        NetworkSpec((2, 2), input_norm="scale"), init_params(NetworkSpec((2, 2)), 0), x
    )
    assert scaled.input_scale is not None and scaled.input_shift is not None
    np.testing.assert_allclose(
        (x - scaled.input_shift) / scaled.input_scale, [[0, 0], [0.5, 1], [1, 0.5]]
    )
    spec = NetworkSpec((2, 2), input_norm="standardize")
    std = fit_input(spec, init_params(spec, 0), x)
    assert std.input_scale is not None and std.input_shift is not None
    z = (x - std.input_shift) / std.input_scale
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(z.std(axis=0), 1, rtol=1e-14)


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"sizes": (3,)}, "sizes"),
        ({"sizes": (3, 0, 2)}, "sizes"),
        ({"sizes": (3, 1)}, "classes"),
        ({"sizes": (3, 2), "norm": "groupnorm"}, "norm"),
        ({"sizes": (3, 2), "input_norm": "whiten"}, "input_norm"),
        ({"sizes": (3, 2), "activation": "swish"}, "activation"),
        ({"sizes": (3, 2), "eps": -1.0}, "eps"),
        ({"sizes": (3, 2), "momentum": 2.0}, "momentum"),
        ({"sizes": (3, 2), "init": "he"}, "init"),
    ],
)
def test_a_spec_that_cannot_work_says_which_field(kwargs: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        NetworkSpec(**kwargs)


def _toy(seed: int = 0, n: int = 120) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int64)
    return SimpleNamespace(
        x_train=x[: n // 2], y_train=y[: n // 2], x_test=x[n // 2 :], y_test=y[n // 2 :]
    )


@pytest.mark.parametrize(
    ("spec", "kwargs", "words"),
    [
        (NetworkSpec((5, 3, 2)), {"lr": 0.1}, "sizes: the network has 5 inputs"),
        (NetworkSpec((4, 3, 2)), {"lr": 0.0}, "lr"),
        (NetworkSpec((4, 3, 2)), {"lr": float("nan")}, "lr"),
        (NetworkSpec((4, 3, 2)), {"lr": 0.1, "batch_size": 61}, "batch_size"),
        (NetworkSpec((4, 3, 2), norm="batchnorm"), {"lr": 0.1, "batch_size": 1}, "batch_size"),
        (NetworkSpec((4, 3, 2)), {"lr": 0.1, "optimizer": "rmsprop"}, "optimizer"),
        (NetworkSpec((4, 3, 2)), {"lr": 0.1, "momentum": 1.0}, "momentum"),
    ],
)
def test_a_run_that_cannot_work_says_which_field(
    spec: NetworkSpec, kwargs: dict, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        Trainer(spec, _toy(), **kwargs)


def test_a_diverging_run_ends_with_a_record_that_says_so() -> None:
    data = _toy()
    data.x_train = data.x_train * 1e3
    records = list(
        train(
            NetworkSpec((4, 8, 2), activation="relu", init="xavier"),
            data,
            steps=400,
            lr=1e6,
            record_every=10,
        )
    )
    assert records[-1].diverged
    assert "learning rate" in records[-1].message
    assert records[-1].step < 400


def test_records_come_at_step_zero_every_n_steps_and_at_the_end() -> None:
    records = list(
        train(NetworkSpec((4, 5, 2)), _toy(), steps=25, lr=0.5, batch_size=10, record_every=10)
    )
    assert [r.step for r in records] == [0, 10, 20, 25]
    last = records[-1]
    assert len(last.layers) == 1
    assert 0 <= last.layers[0].linear <= 1 and 0 <= last.layers[0].saturated <= 1
    assert last.layers[0].tracked[0] <= last.layers[0].tracked[1] <= last.layers[0].tracked[2]


def test_a_run_resumes_where_it_stopped() -> None:
    spec = NetworkSpec((4, 6, 2), norm="batchnorm")
    whole = list(train(spec, _toy(), steps=40, lr=0.3, batch_size=12, record_every=10))
    trainer = Trainer(spec, _toy(), lr=0.3, batch_size=12, record_every=10)
    first = list(itertools.islice(trainer.records(40), 2))
    rest = list(trainer.records(40))[1:]  # records() starts with the record of now
    assert first + rest == whole


def test_without_batchnorm_the_probe_is_measured_from_the_test_pass() -> None:
    trainer = Trainer(NetworkSpec((4, 6, 5, 2), norm="layernorm"), _toy(), lr=0.3, batch_size=12)
    trainer.advance(5)
    test = forward(trainer.spec, trainer.params, trainer.x_test, training=False)
    probe = trainer.probe_trace()
    rows = test.rows(slice(0, trainer.probe.shape[0]))
    for own, picked in zip(probe.layers, rows.layers, strict=True):
        np.testing.assert_allclose(picked.y, own.y, rtol=1e-13)


def test_a_confidently_wrong_answer_costs_its_logit_gap_as_in_pytorch() -> None:
    # The true class's logit is 800 below the largest: its probability underflows to 0, yet
    # F.cross_entropy (a log-softmax) gives a finite 800, and so must the engine.
    spec = NetworkSpec((2, 3))
    params = Params.from_arrays([[[400.0, 0.0, -400.0], [0.0, 0.0, 0.0]]], [[0.0, 0.0, 0.0]])
    x = np.array([[1.0, 0.0], [-1.0, 0.0]])
    loss, _ = loss_and_grads(spec, params, x, np.array([2, 0]))
    assert loss == pytest.approx(800.0, rel=1e-12)


def test_a_batch_whose_variance_passes_the_float_range_ends_the_run_as_diverged() -> None:
    # BatchNorm's x̂ stays finite (its statistics are taken of the scaled batch) and so does the
    # loss, but the running variance cannot hold the batch's: the run says it diverged.
    trainer = Trainer(NetworkSpec((4, 3, 2), norm="batchnorm"), _toy(), lr=0.1, batch_size=10)
    huge = trainer.params.with_learnable(
        [a * 1e160 if k == 0 else a for k, a in enumerate(trainer.params.learnable())]
    )
    trainer.params = huge
    record = trainer.advance(3)
    assert record.diverged and "diverged" in record.message
