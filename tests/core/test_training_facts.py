"""What the Training page shows, as facts the engine must reproduce."""

from __future__ import annotations

import numpy as np
import pytest

from normgui.core.datasets import load_dataset
from normgui.core.training import NetworkSpec, Trainer, forward, init_params, loss_and_grads


def _final_accuracy(input_norm: str, steps: int = 600) -> float:
    data = load_dataset("offset", seed=0)
    spec = NetworkSpec((data.n_features, 32, data.n_classes), input_norm=input_norm, init="xavier")
    trainer = Trainer(spec, data, lr=0.05, optimizer="adam", seed=0, record_every=steps)
    trainer.advance()
    return trainer.record().test_accuracy


def test_layernorm_on_the_input_cannot_learn_an_offset_that_standardizing_keeps() -> None:
    # Each row of `offset` is a pattern plus one offset c; its class is the sign of c. LayerNorm
    # on the input removes every row's mean, and with it c: no γ, β can bring it back.
    assert _final_accuracy("layernorm") < 0.6
    assert _final_accuracy("standardize") > 0.9
    assert _final_accuracy("batchnorm") > 0.9


def test_rescaling_a_batchnorm_layers_incoming_weights_changes_nothing() -> None:
    # Table 1 of the LayerNorm paper: BatchNorm is invariant to scaling its weight matrix, for a
    # trained network too — exactly with ε = 0 (ε adds a difference of the order of ε/Var).
    data = load_dataset("wine", seed=0)
    spec = NetworkSpec(
        (13, 8, 8, 3), norm="batchnorm", input_norm="standardize", init="xavier", eps=0.0
    )
    trainer = Trainer(spec, data, lr=0.1, optimizer="sgd", momentum=0.9, batch_size=30)
    trainer.advance(60)
    params = trainer.params
    scaled = params.with_learnable(
        [a * 7.0 if k in (1, 4) else a for k, a in enumerate(params.learnable())]
    )  # layer 2's W (index 1) and b (index 4 = 3 weights + bias 1)
    x, y = trainer.x_train[:40], trainer.y_train[:40]
    before = forward(spec, params, x).probs
    after = forward(spec, scaled, x).probs
    np.testing.assert_allclose(after, before, rtol=1e-10, atol=1e-12)
    loss, grads = loss_and_grads(spec, params, x, y)
    loss_scaled, grads_scaled = loss_and_grads(spec, scaled, x, y)
    assert loss_scaled == pytest.approx(loss, rel=1e-10)
    # …and the gradient of the scaled weights is 1/7 as large: the effective step shrinks.
    np.testing.assert_allclose(
        grads_scaled.weights[1] * 7.0, grads.weights[1], rtol=1e-8, atol=1e-12
    )


def test_batchnorm_helps_the_deep_sigmoid_network_of_ioffe_and_szegedy() -> None:
    # Figure 1(a) in miniature: the same initial weights and batches, with and without BatchNorm.
    data = load_dataset("digits", seed=0)
    accuracies = {}
    for norm in ("none", "batchnorm"):
        spec = NetworkSpec((64, 100, 100, 100, 10), norm=norm)
        trainer = Trainer(spec, data, lr=0.5, batch_size=60, seed=0, record_every=300)
        accuracies[norm] = trainer.advance().test_accuracy
    assert accuracies["batchnorm"] > 0.85
    assert accuracies["batchnorm"] > accuracies["none"] + 0.2


def test_same_seed_same_initial_weights_for_a_and_b() -> None:
    a = init_params(NetworkSpec((64, 100, 10)), 3)
    b = init_params(NetworkSpec((64, 100, 10), norm="batchnorm"), 3)
    np.testing.assert_array_equal(a.weights[0], b.weights[0])
