"""A small neural network engine in numpy, to watch normalization at work while a network learns.

Layers follow PyTorch's conventions (nn.Linear, nn.BatchNorm1d, nn.LayerNorm, F.cross_entropy)
in float64; the normalization layers take their statistics and backward pass from the method
registry (normgui.core.methods), the same definitions the Layer page shows.

The names below are imported on first use: the package also holds what a run is (setup, preset,
spec), which the State and the sessions need without the engine, and importing one of those
modules runs this file first.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from normgui.core.training.loop import PROBE_SIZE, Trainer, TrainingData, train
    from normgui.core.training.network import (
        LayerTrace,
        Trace,
        backward,
        cross_entropy,
        forward,
        loss_and_grads,
        softmax,
    )
    from normgui.core.training.optim import AdamState, adam_step, sgd_step
    from normgui.core.training.params import Params, fit_input, init_params
    from normgui.core.training.records import LayerRecord, Record, Spread
    from normgui.core.training.spec import (
        HIDDEN_NORMS,
        INITS,
        INPUT_NORMS,
        OPTIMIZERS,
        NetworkSpec,
    )

__all__ = [
    "HIDDEN_NORMS",
    "INITS",
    "INPUT_NORMS",
    "OPTIMIZERS",
    "PROBE_SIZE",
    "AdamState",
    "LayerRecord",
    "LayerTrace",
    "NetworkSpec",
    "Params",
    "Record",
    "Spread",
    "Trace",
    "Trainer",
    "TrainingData",
    "adam_step",
    "backward",
    "cross_entropy",
    "fit_input",
    "forward",
    "init_params",
    "loss_and_grads",
    "sgd_step",
    "softmax",
    "train",
]
# Where the names above are found, the lightest module first.
_MODULES = ("spec", "params", "records", "network", "optim", "loop")


def __getattr__(name: str) -> Any:
    if name in __all__:
        for module in _MODULES:
            found = vars(import_module(f"{__name__}.{module}"))
            if name in found:
                globals()[name] = found[name]  # found here from now on
                return found[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
