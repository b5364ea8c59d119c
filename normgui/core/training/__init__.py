"""A small neural network engine in numpy, to watch normalization at work while a network learns.

Layers follow PyTorch's conventions (nn.Linear, nn.BatchNorm1d, nn.LayerNorm, F.cross_entropy)
in float64; the normalization layers take their statistics and backward pass from the method
registry (normgui.core.methods), the same definitions the Layer page shows.
"""

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
from normgui.core.training.optim import OPTIMIZERS, AdamState, adam_step, sgd_step
from normgui.core.training.params import Params, fit_input, init_params
from normgui.core.training.records import LayerRecord, Record, Spread
from normgui.core.training.spec import HIDDEN_NORMS, INITS, INPUT_NORMS, NetworkSpec

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
