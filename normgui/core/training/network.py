"""The forward and backward pass, written out layer by layer so a student can follow them.

Forward, for each hidden layer: u = h @ W + b; with a normalization x̂ = (u − shift)/scale from
the registry's statistics and y = γ·x̂ + β (else y = u); then h = f(y). The output layer gives the
logits, a softmax the probabilities, and the loss is the mean cross-entropy (PyTorch's
F.cross_entropy). Backward goes the other way with the chain rule; the normalization's own
backward is its registry record's vector–Jacobian product, so the network and the Layer page use
one definition of each method.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.activations import activate_with_grad
from normgui.core.methods import Stats, get_method
from normgui.core.methods.batchnorm import running_after
from normgui.core.normalize import RunningStats
from normgui.core.training.params import Params
from normgui.core.training.spec import NetworkSpec
from normgui.core.types import FloatArray


@dataclass(frozen=True, eq=False)
class LayerTrace:
    """One hidden layer in a forward pass. `y` is the activation's input (what the regimes and
    Ioffe & Szegedy's Figure 1 are about); `slope` is f′(y)."""

    u: FloatArray
    xhat: FloatArray | None
    stats: Stats | None
    y: FloatArray
    h: FloatArray
    slope: FloatArray


@dataclass(frozen=True, eq=False)
class Trace:
    """A forward pass: the inputs after the input transform or layer (`h0`), every hidden layer,
    the logits and the class probabilities."""

    x: FloatArray
    h0: FloatArray
    input_xhat: FloatArray | None
    input_stats: Stats | None
    layers: tuple[LayerTrace, ...]
    logits: FloatArray
    probs: FloatArray
    training: bool

    def predictions(self) -> NDArray[np.int64]:
        return np.argmax(self.logits, axis=1)

    def rows(self, index: NDArray[np.intp] | slice) -> Trace:
        """The same pass for some samples only (exact for a pass whose statistics do not come
        from the batch: eval mode, or a network without BatchNorm)."""

        def pick(a: FloatArray | None) -> FloatArray | None:
            return None if a is None else a[index]

        layers = tuple(
            LayerTrace(
                layer.u[index],
                pick(layer.xhat),
                layer.stats,
                layer.y[index],
                layer.h[index],
                layer.slope[index],
            )
            for layer in self.layers
        )
        return Trace(
            self.x[index],
            self.h0[index],
            pick(self.input_xhat),
            self.input_stats,
            layers,
            self.logits[index],
            self.probs[index],
            self.training,
        )


def forward(spec: NetworkSpec, params: Params, x: ArrayLike, *, training: bool = True) -> Trace:
    """The forward pass of `x` (rows = samples). `training=False` uses BatchNorm's running
    statistics (PyTorch's model.eval()); training mode uses the batch's own statistics.
    The running statistics are not updated here: `update_running` does that."""
    params.check(spec)
    data = _inputs(spec, x)
    if training and spec.uses_batch_statistics and data.shape[0] < 2:
        raise ValueError(
            "BatchNorm in training mode needs a batch of at least two samples (PyTorch refuses a "
            "batch of one: it has no variance)"
        )
    return run_forward(spec, params, data, training)


def run_forward(spec: NetworkSpec, params: Params, x: FloatArray, training: bool) -> Trace:
    """The forward pass without the argument checks (the training loop has made them once)."""
    h, input_xhat, input_stats = _input_stage(spec, params, x, training)
    h0 = h
    layers = []
    for i in range(len(spec.hidden)):
        u = h @ params.weights[i] + params.biases[i]
        xhat: FloatArray | None = None
        stats: Stats | None = None
        if spec.hidden_layer_norm:
            running = params.running[i] if spec.norm == "batchnorm" else None
            stats = _statistics(spec.hidden_layer_norm, u, spec.eps, training, running)
            xhat = stats.normalize(u)
            y = xhat * params.gammas[i] + params.betas[i]
        else:
            y = u
        h, slope = activate_with_grad(y, spec.activation)
        layers.append(LayerTrace(u, xhat, stats, y, h, slope))
    logits = h @ params.weights[-1] + params.biases[-1]
    return Trace(x, h0, input_xhat, input_stats, tuple(layers), logits, softmax(logits), training)


def loss_and_grads(
    spec: NetworkSpec, params: Params, x: ArrayLike, labels: ArrayLike
) -> tuple[float, Params]:
    """The mean cross-entropy of a training-mode forward pass and its exact gradients.

    `grads` is a Params whose learnable arrays are ∂loss/∂(that array); the running statistics
    are not differentiated (grads keeps the current ones)."""
    trace = forward(spec, params, x, training=True)
    y = check_labels(labels, trace.x.shape[0], spec.n_classes)
    return cross_entropy(trace.probs, y, logits=trace.logits), backward(spec, params, trace, y)


def backward(spec: NetworkSpec, params: Params, trace: Trace, labels: NDArray[np.int64]) -> Params:
    """The gradients of the mean cross-entropy, layer by layer from the output back."""
    return backward_with_signals(spec, params, trace, labels)[0]


def backward_with_signals(
    spec: NetworkSpec,
    params: Params,
    trace: Trace,
    labels: NDArray[np.int64],
    signals: bool = True,
) -> tuple[Params, tuple[float, ...]]:
    """The gradients, and (when `signals`) the mean |∂loss/∂y| that reached each hidden layer's
    activation input: how much learning signal each layer gets; it vanishes where units
    saturate. Measuring it costs a pass over every layer, so the training loop asks for it only
    on the step before a record."""
    n = trace.x.shape[0]
    d_logits = trace.probs.copy()
    d_logits[np.arange(n), labels] -= 1.0
    d_logits /= n  # the loss is a mean over the batch
    hidden_outputs = [trace.h0, *(layer.h for layer in trace.layers)]
    d_weights = [hidden_outputs[-1].T @ d_logits]
    d_biases = [d_logits.sum(axis=0)]
    d_h = d_logits @ params.weights[-1].T
    d_gammas: list[FloatArray] = []
    d_betas: list[FloatArray] = []
    reached: list[float] = []
    for i in reversed(range(len(trace.layers))):
        layer = trace.layers[i]
        d_y = d_h * layer.slope  # through the activation
        if signals:
            reached.insert(0, float(np.mean(np.abs(d_y))))
        if layer.stats is not None and layer.xhat is not None:
            d_gammas.insert(0, np.sum(d_y * layer.xhat, axis=0))
            d_betas.insert(0, d_y.sum(axis=0))
            d_u = _vjp(spec.hidden_layer_norm, layer.u, layer.stats, d_y * params.gammas[i])
        else:
            d_u = d_y
        d_weights.insert(0, hidden_outputs[i].T @ d_u)
        d_biases.insert(0, d_u.sum(axis=0))
        d_h = d_u @ params.weights[i].T
    d_input_gamma = d_input_beta = None
    if trace.input_xhat is not None:
        d_input_gamma = np.sum(d_h * trace.input_xhat, axis=0)
        d_input_beta = d_h.sum(axis=0)
    grads = replace(
        params,
        weights=tuple(d_weights),
        biases=tuple(d_biases),
        gammas=tuple(d_gammas),
        betas=tuple(d_betas),
        input_gamma=d_input_gamma,
        input_beta=d_input_beta,
    )
    return grads, tuple(reached)


def update_running(spec: NetworkSpec, params: Params, trace: Trace) -> Params:
    """`params` with every BatchNorm's running statistics moved towards this training batch's,
    as a PyTorch training-mode forward pass does (momentum, unbiased variance)."""
    if not trace.training:
        return params
    n = trace.x.shape[0]
    changes: dict[str, object] = {}
    if spec.norm == "batchnorm":
        changes["running"] = tuple(
            running_after(r, layer.stats, n, spec.momentum)
            for r, layer in zip(params.running, trace.layers, strict=True)
            if layer.stats is not None
        )
    if params.input_running is not None and trace.input_stats is not None:
        changes["input_running"] = running_after(
            params.input_running, trace.input_stats, n, spec.momentum
        )
    return replace(params, **changes) if changes else params  # type: ignore[arg-type]


def softmax(logits: FloatArray) -> FloatArray:
    z = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(
    probs: FloatArray, labels: NDArray[np.int64], *, logits: FloatArray | None = None
) -> float:
    """The mean of −log p(true class).

    Given the `logits` that `probs` came from, it is taken from them through the log-softmax, as
    PyTorch's F.cross_entropy does: a confidently wrong answer (a logit 800 below the largest)
    costs 800, where its probability has underflowed to 0 and −log 0 would be inf — a run that
    has not diverged would be reported as diverged. From `probs` alone such a sample gives inf.
    Logits that are not finite give NaN (a diverged run)."""
    rows = np.arange(labels.shape[0])
    if logits is not None:
        with np.errstate(invalid="ignore", over="ignore"):
            z = logits - logits.max(axis=1, keepdims=True)
            log_sum = np.log(np.exp(z).sum(axis=1))
            return float(np.mean(log_sum - z[rows, labels]))
    with np.errstate(divide="ignore"):
        return float(-np.mean(np.log(probs[rows, labels])))


def check_labels(labels: ArrayLike, n: int, n_classes: int) -> NDArray[np.int64]:
    y = np.asarray(labels)
    if y.shape != (n,) or y.dtype.kind not in "iu":
        raise ValueError(
            f"labels: one whole-number class per sample is needed ({n}), not {y.shape}"
        )
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"labels: classes are numbered 0 to {n_classes - 1}")
    return y.astype(np.int64, copy=False)


def _inputs(spec: NetworkSpec, x: ArrayLike) -> FloatArray:
    data = np.asarray(x, dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != spec.n_inputs:
        raise ValueError(
            f"the data must be a table with {spec.n_inputs} features per row "
            f"(the network's first size), not shape {data.shape}"
        )
    if data.shape[0] == 0:
        raise ValueError("the data is empty")
    if not np.all(np.isfinite(data)):
        raise ValueError("the data contains NaN or infinite values")
    return data


def _input_stage(
    spec: NetworkSpec, params: Params, x: FloatArray, training: bool
) -> tuple[FloatArray, FloatArray | None, Stats | None]:
    """The inputs after the fitted transform or through the input normalization layer."""
    if params.input_scale is not None and params.input_shift is not None:
        return (x - params.input_shift) / params.input_scale, None, None
    layer = spec.input_layer
    if layer is None or params.input_gamma is None or params.input_beta is None:
        return x, None, None
    stats = _statistics(layer, x, spec.eps, training, params.input_running)
    xhat = stats.normalize(x)
    return xhat * params.input_gamma + params.input_beta, xhat, stats


def _statistics(
    method: str, u: FloatArray, eps: float, training: bool, running: RunningStats | None
) -> Stats:
    return get_method(method).statistics(
        u, eps=eps, groups=None, feature_range=(0.0, 1.0), training=training, running=running
    )


def _vjp(method: str | None, u: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    assert method is not None
    return get_method(method).vjp(u, stats, grad)
