"""A network's numbers: weights, biases, γ and β, running statistics, the fitted input transform.

`Params` is immutable: an optimizer step returns new Params. Its learnable arrays are listed in
one fixed order by `learnable()`, which optimizers and gradient checks walk; `grads` returned by
the backward pass are Params of the same shape whose learnable arrays hold the gradients.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from normgui.core.methods import get_method
from normgui.core.normalize import RunningStats
from normgui.core.training.spec import NORMAL_INIT_STD, NetworkSpec
from normgui.core.types import FloatArray


@dataclass(frozen=True, eq=False)
class Params:
    """`weights[i]` has shape (fan_in, fan_out) and a layer computes h @ W + b (PyTorch's nn.Linear
    stores Wᵀ). `gammas`/`betas` hold one array per hidden layer when the hidden layers are
    normalized (else they are empty), `running` one RunningStats per hidden layer for BatchNorm.
    `input_gamma`/`input_beta`/`input_running` belong to a normalization layer on the input;
    `input_shift`/`input_scale` to a fitted scaling or standardization: x → (x − shift)/scale.
    """

    weights: tuple[FloatArray, ...]
    biases: tuple[FloatArray, ...]
    gammas: tuple[FloatArray, ...] = ()
    betas: tuple[FloatArray, ...] = ()
    running: tuple[RunningStats, ...] = ()
    input_gamma: FloatArray | None = None
    input_beta: FloatArray | None = None
    input_running: RunningStats | None = None
    input_shift: FloatArray | None = None
    input_scale: FloatArray | None = None

    @classmethod
    def from_arrays(
        cls,
        weights: list[ArrayLike] | tuple[ArrayLike, ...],
        biases: list[ArrayLike] | tuple[ArrayLike, ...],
        **others: object,
    ) -> Params:
        """Params from plain arrays (lists, torch tensors' .numpy(), …), copied as float64."""
        params = cls(tuple(_array(w) for w in weights), tuple(_array(b) for b in biases))
        converted: dict[str, object] = {}
        for name, value in others.items():
            if name in ("gammas", "betas"):
                converted[name] = tuple(_array(v) for v in value)  # type: ignore[attr-defined]
            elif name in ("input_gamma", "input_beta", "input_shift", "input_scale"):
                converted[name] = None if value is None else _array(value)  # type: ignore[arg-type]
            else:
                converted[name] = value
        return replace(params, **converted)  # type: ignore[arg-type]

    def learnable(self) -> tuple[FloatArray, ...]:
        """Every trained array in a fixed order: weights, biases, γs, βs, the input layer's γ, β."""
        extra = tuple(a for a in (self.input_gamma, self.input_beta) if a is not None)
        return (*self.weights, *self.biases, *self.gammas, *self.betas, *extra)

    def with_learnable(self, arrays: tuple[FloatArray, ...] | list[FloatArray]) -> Params:
        """These Params with the learnable arrays replaced, in the order of `learnable()`."""
        n, k = len(self.weights), len(self.gammas)
        has_input = self.input_gamma is not None
        return replace(
            self,
            weights=tuple(arrays[:n]),
            biases=tuple(arrays[n : 2 * n]),
            gammas=tuple(arrays[2 * n : 2 * n + k]),
            betas=tuple(arrays[2 * n + k : 2 * n + 2 * k]),
            input_gamma=arrays[2 * n + 2 * k] if has_input else None,
            input_beta=arrays[2 * n + 2 * k + 1] if has_input else None,
        )

    def check(self, spec: NetworkSpec) -> None:
        """Raise ValueError, in words, when these Params do not fit `spec`."""
        sizes = spec.sizes
        expected = list(itertools.pairwise(sizes))
        got = [w.shape for w in self.weights]
        if got != expected or [b.shape for b in self.biases] != [(s,) for s in sizes[1:]]:
            raise ValueError(
                f"the weights have shapes {got} but a network of sizes {sizes} needs {expected}"
            )
        n_norm = len(spec.hidden) if spec.hidden_layer_norm else 0
        if [g.shape for g in self.gammas] != [(s,) for s in spec.hidden[:n_norm]] or [
            b.shape for b in self.betas
        ] != [(s,) for s in spec.hidden[:n_norm]]:
            raise ValueError(f"γ and β must be given for each of the {n_norm} normalized layers")
        if spec.norm == "batchnorm" and [r.n_features for r in self.running] != list(spec.hidden):
            raise ValueError("BatchNorm layers need running statistics, one per hidden layer")
        if spec.input_layer and (self.input_gamma is None or self.input_beta is None):
            raise ValueError(f"the input {spec.input_layer} layer needs its γ and β")
        if spec.input_norm in ("scale", "standardize") and self.input_scale is None:
            raise ValueError(
                f"the input {spec.input_norm} transform is not fitted yet: call "
                "fit_input(spec, params, x_train) first"
            )


def init_params(spec: NetworkSpec, seed: int = 0) -> Params:
    """Initial Params for `spec`, deterministic from `seed`.

    The weights are drawn layer by layer from one stream that does not depend on the
    normalization, so two specs that differ only in `norm` or `input_norm` start from the very
    same weights (what a with/without comparison needs). γ = 1, β = 0, running mean 0, var 1.
    """
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in itertools.pairwise(spec.sizes):
        if spec.init == "normal":
            w = rng.normal(0.0, NORMAL_INIT_STD, (fan_in, fan_out))
        else:
            limit = (
                1 / np.sqrt(fan_in)
                if spec.init == "glorot-uniform"
                else np.sqrt(6 / (fan_in + fan_out))
            )
            w = rng.uniform(-limit, limit, (fan_in, fan_out))
        weights.append(w)
    biases = tuple(np.zeros(n) for n in spec.sizes[1:])
    hidden = spec.hidden if spec.hidden_layer_norm else ()
    d = spec.n_inputs
    layer = spec.input_layer
    return Params(
        weights=tuple(weights),
        biases=biases,
        gammas=tuple(np.ones(n) for n in hidden),
        betas=tuple(np.zeros(n) for n in hidden),
        running=tuple(RunningStats.initial(n) for n in hidden if spec.norm == "batchnorm"),
        input_gamma=np.ones(d) if layer else None,
        input_beta=np.zeros(d) if layer else None,
        input_running=RunningStats.initial(d) if layer == "batchnorm" else None,
    )


def fit_input(spec: NetworkSpec, params: Params, x_train: ArrayLike) -> Params:
    """`params` with the input scaling or standardization fitted on `x_train` (scikit-learn's
    MinMaxScaler to [0, 1] and StandardScaler, from the normalization registry's statistics).
    Unchanged for the other input normalizations."""
    if spec.input_norm not in ("scale", "standardize"):
        return params
    method = get_method("minmax" if spec.input_norm == "scale" else "standardize")
    stats = method.statistics(
        np.asarray(x_train, dtype=np.float64),
        eps=None,
        groups=None,
        feature_range=(0.0, 1.0),
        training=True,
        running=None,
    )
    d = spec.n_inputs
    shift = np.broadcast_to(stats.shift, (1, d)).reshape(d).copy()
    scale = np.broadcast_to(stats.scale, (1, d)).reshape(d).copy()
    return replace(params, input_shift=shift, input_scale=scale)


def _array(value: ArrayLike) -> FloatArray:
    return np.array(value, dtype=np.float64)


def input_transform(spec: NetworkSpec, params: Params) -> tuple[FloatArray, FloatArray] | None:
    """What the input preparation does to each feature, as x → scale·x + shift, or None when it
    is not one affine map per feature (no preparation, LayerNorm, which works on each sample).

    For "standardize" that is 1/σ and −μ/σ; for "scale", 1/(max − min) and −min/(max − min);
    for BatchNorm on the input, in eval mode after training, γ/√(var + ε) and
    β − γ·μ/√(var + ε) from its running statistics: the numbers to set side by side to see
    whether a trained input BatchNorm ends up standardizing.
    """
    if spec.input_norm in ("scale", "standardize"):
        if params.input_scale is None or params.input_shift is None:
            return None
        scale = 1.0 / params.input_scale
        return scale, -params.input_shift * scale
    if spec.input_norm == "batchnorm":
        if params.input_running is None or params.input_gamma is None or params.input_beta is None:
            return None
        scale = params.input_gamma / np.sqrt(params.input_running.var + spec.eps)
        return scale, params.input_beta - scale * params.input_running.mean
    return None
