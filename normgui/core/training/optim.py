"""Optimizers with PyTorch's update rules: SGD with momentum (torch.optim.SGD) and Adam
(torch.optim.Adam with its defaults). Each step is a training-mode forward pass, the backward
pass, the update of the learnable arrays and of BatchNorm's running statistics."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.training.network import (
    Trace,
    backward_with_signals,
    check_labels,
    cross_entropy,
    forward,
    update_running,
)
from normgui.core.training.params import Params
from normgui.core.training.spec import OPTIMIZERS as OPTIMIZERS  # (named there, for the checks)
from normgui.core.training.spec import NetworkSpec
from normgui.core.types import FloatArray


@dataclass(frozen=True, eq=False)
class AdamState:
    """Adam's moment estimates (one per learnable array) and the number of steps taken."""

    step: int
    first: tuple[FloatArray, ...]
    second: tuple[FloatArray, ...]


@dataclass(frozen=True, eq=False)
class StepResult:
    """What one step produced: the new Params and optimizer state, the batch's loss, the forward
    pass it was computed from (before the update) and the gradients."""

    params: Params
    state: tuple[FloatArray, ...] | AdamState | None
    loss: float
    trace: Trace
    grads: Params
    reached: tuple[float, ...]  # mean |∂loss/∂y| at each hidden layer


def sgd_step(
    spec: NetworkSpec,
    params: Params,
    x: ArrayLike,
    labels: ArrayLike,
    *,
    lr: float,
    momentum: float = 0.0,
    velocity: tuple[FloatArray, ...] | None = None,
) -> tuple[Params, tuple[FloatArray, ...], float]:
    """One SGD step: v ← μ·v + g, p ← p − lr·v (torch.optim.SGD, no dampening, not Nesterov)."""
    check_rate(lr)
    if not (math.isfinite(momentum) and 0 <= momentum < 1):
        raise ValueError(f"momentum: SGD's momentum is in [0, 1), not {momentum}")
    trace = forward(spec, params, x, training=True)
    y = check_labels(labels, trace.x.shape[0], spec.n_classes)
    result = apply_sgd(spec, params, trace, y, lr, momentum, velocity)
    assert isinstance(result.state, tuple)
    return result.params, result.state, result.loss


def adam_step(
    spec: NetworkSpec,
    params: Params,
    x: ArrayLike,
    labels: ArrayLike,
    *,
    lr: float,
    state: AdamState | None = None,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
) -> tuple[Params, AdamState, float]:
    """One Adam step with bias correction, in torch.optim.Adam's order of operations."""
    check_rate(lr)
    trace = forward(spec, params, x, training=True)
    y = check_labels(labels, trace.x.shape[0], spec.n_classes)
    result = apply_adam(spec, params, trace, y, lr, state, betas, eps)
    assert isinstance(result.state, AdamState)
    return result.params, result.state, result.loss


def apply_sgd(
    spec: NetworkSpec,
    params: Params,
    trace: Trace,
    labels: NDArray[np.int64],
    lr: float,
    momentum: float,
    velocity: tuple[FloatArray, ...] | None,
    signals: bool = False,
) -> StepResult:
    """The SGD update from an already computed training-mode forward pass (`signals`: measure
    the gradient reaching each layer too)."""
    grads, reached = backward_with_signals(spec, params, trace, labels, signals)
    g = grads.learnable()
    if velocity is None or momentum == 0.0:
        v = g
    else:
        v = tuple(momentum * vi + gi for vi, gi in zip(velocity, g, strict=True))
    updated = tuple(p - lr * vi for p, vi in zip(params.learnable(), v, strict=True))
    new = update_running(spec, params.with_learnable(updated), trace)
    return StepResult(
        new, v, cross_entropy(trace.probs, labels, logits=trace.logits), trace, grads, reached
    )


def apply_adam(
    spec: NetworkSpec,
    params: Params,
    trace: Trace,
    labels: NDArray[np.int64],
    lr: float,
    state: AdamState | None,
    betas: tuple[float, float] = (0.9, 0.999),
    eps: float = 1e-8,
    signals: bool = False,
) -> StepResult:
    """The Adam update from an already computed training-mode forward pass."""
    grads, reached = backward_with_signals(spec, params, trace, labels, signals)
    g = grads.learnable()
    b1, b2 = betas
    if state is None:
        state = AdamState(0, tuple(np.zeros_like(a) for a in g), tuple(np.zeros_like(a) for a in g))
    step = state.step + 1
    first = tuple(b1 * m + (1 - b1) * gi for m, gi in zip(state.first, g, strict=True))
    second = tuple(b2 * v + (1 - b2) * gi * gi for v, gi in zip(state.second, g, strict=True))
    correction1 = 1 - b1**step
    root_correction2 = math.sqrt(1 - b2**step)
    step_size = lr / correction1
    updated = tuple(
        p - step_size * m / (np.sqrt(v) / root_correction2 + eps)
        for p, m, v in zip(params.learnable(), first, second, strict=True)
    )
    new = update_running(spec, params.with_learnable(updated), trace)
    return StepResult(
        new,
        AdamState(step, first, second),
        cross_entropy(trace.probs, labels, logits=trace.logits),
        trace,
        grads,
        reached,
    )


def check_rate(lr: float) -> None:
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr: the learning rate must be a positive number, not {lr}")
