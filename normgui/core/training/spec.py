"""What network to build: its layer sizes, activation, normalizations and initialization.

A hidden layer computes u = h @ W + b, then (with a normalization) y = γ·x̂(u) + β, then the
activation f(y); the last layer is linear and feeds a softmax. The input may first be scaled or
standardized (fitted on the training set, as scikit-learn's MinMaxScaler and StandardScaler do) or
go through a normalization layer with learnable γ and β.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from normgui.core.activations import ACTIVATIONS

HIDDEN_NORMS: Final = ("none", "batchnorm", "layernorm")
INPUT_NORMS: Final = ("none", "scale", "standardize", "batchnorm", "layernorm")
INITS: Final = ("normal", "glorot-uniform", "xavier")
# The optimizers (see optim.py). Named here, with the other choices a configuration makes, so
# that checking a configuration (training setups, presets, the State) loads no engine.
OPTIMIZERS: Final = ("sgd", "adam")
# Input preprocessing that is a fixed transform fitted on the training set, not a layer.
FITTED_INPUTS: Final = frozenset({"scale", "standardize"})
# The standard deviation of the "normal" initialization: small Gaussian weights, as in Ioffe &
# Szegedy's Figure 1 experiment, so that without normalization the network starts near linear.
NORMAL_INIT_STD: Final = 0.01


@dataclass(frozen=True)
class NetworkSpec:
    """A fully connected classifier. Every field is checked; a bad one raises ValueError naming it.

    `sizes` = (inputs, hidden…, classes); `norm` normalizes every hidden layer's summed inputs;
    `input_norm` prepares the inputs; `init` picks the initial weights: "normal" N(0, 0.01²),
    "glorot-uniform" U[−1/√fan_in, 1/√fan_in] (the "standard" initialization that Glorot & Bengio
    study, and whose saturation they show — not the one they propose, which is "xavier"),
    "xavier" U[−√6/√(fan_in+fan_out), +√6/√(fan_in+fan_out)] (their normalized one); biases 0.
    """

    sizes: tuple[int, ...]
    activation: str = "sigmoid"
    norm: str = "none"
    input_norm: str = "none"
    eps: float = 1e-5
    momentum: float = 0.1
    init: str = "normal"

    def __post_init__(self) -> None:
        sizes = tuple(self.sizes)
        if len(sizes) < 2:
            raise ValueError(
                "sizes: a network needs at least an input size and a number of classes"
            )
        if any(isinstance(s, bool) or not isinstance(s, int) or s < 1 for s in sizes):
            raise ValueError(f"sizes: every layer size must be a whole number ≥ 1, not {sizes}")
        if sizes[-1] < 2:
            raise ValueError("sizes: the last size is the number of classes, at least 2")
        object.__setattr__(self, "sizes", sizes)
        _check_choice("activation", self.activation, ACTIVATIONS)
        _check_choice("norm", self.norm, HIDDEN_NORMS)
        _check_choice("input_norm", self.input_norm, INPUT_NORMS)
        _check_choice("init", self.init, INITS)
        if not (math.isfinite(self.eps) and self.eps >= 0):
            raise ValueError(f"eps: ε must be a finite number ≥ 0, not {self.eps}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum <= 1):
            raise ValueError(
                f"momentum: the running-average momentum is in [0, 1], not {self.momentum}"
            )

    @property
    def n_inputs(self) -> int:
        return self.sizes[0]

    @property
    def n_classes(self) -> int:
        return self.sizes[-1]

    @property
    def hidden(self) -> tuple[int, ...]:
        return self.sizes[1:-1]

    @property
    def uses_batch_statistics(self) -> bool:
        """Whether any layer is a BatchNorm, which needs batches of at least two samples."""
        return self.norm == "batchnorm" or self.input_norm == "batchnorm"

    @property
    def input_layer(self) -> str | None:
        """The normalization method of the input layer, or None when there is no such layer."""
        return self.input_norm if self.input_norm in ("batchnorm", "layernorm") else None

    @property
    def hidden_layer_norm(self) -> str | None:
        return None if self.norm == "none" else self.norm


def _check_choice(field: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{field}: {value!r} is not one of {', '.join(choices)}")
