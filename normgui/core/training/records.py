"""What a training run reports every few steps: enough to draw Ioffe & Szegedy's Figure 1 (a
sigmoid's input over training, as its 15th, 50th and 85th percentiles) and Glorot & Bengio's
Figure 2 (each layer's activations, mean and spread, and how much of them saturate)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from normgui.core.activations import RegimeSettings, regime_summary
from normgui.core.training.network import Trace
from normgui.core.training.params import Params
from normgui.core.types import FloatArray

PERCENTILES: Final = (15.0, 50.0, 85.0)
_REGIMES: Final = RegimeSettings()


@dataclass(frozen=True)
class Spread:
    """Mean and standard deviation of some values, and one tracked unit's value."""

    mean: float
    std: float
    tracked: float


@dataclass(frozen=True)
class LayerRecord:
    """One hidden layer at one moment of training, measured on the fixed probe batch.

    `tracked` and `pooled` are the 15th/50th/85th percentiles of the activation's input y for the
    tracked unit and for all units together; `linear`/`saturated` the fractions of y in the
    activation's linear regime and in saturation (the core's regime bounds, default settings);
    `mean`/`std` those of the activations f(y); `grad` the mean |∂loss/∂y| on the last training
    batch; `gamma`/`beta` the layer's learned gain and shift (None without a normalization).
    """

    unit: int
    tracked: tuple[float, float, float]
    pooled: tuple[float, float, float]
    linear: float
    saturated: float
    mean: float
    std: float
    grad: float | None
    gamma: Spread | None = None
    beta: Spread | None = None


@dataclass(frozen=True)
class Record:
    """The run at `step` (the number of updates made). `loss` is the last batch's loss,
    `smoothed_loss` the mean over the batches since the previous record, `train_accuracy` the
    fraction of those batches' samples classified right (before each update), `test_accuracy`
    and `test_loss` over the whole test set in eval mode. What was not measured is None (no loss
    before the first step). A diverged run ends with a Record whose `diverged` is True and whose
    `message` says what happened."""

    step: int
    loss: float | None
    smoothed_loss: float | None
    train_accuracy: float | None
    test_accuracy: float | None
    test_loss: float | None
    layers: tuple[LayerRecord, ...]
    diverged: bool = False
    message: str = ""


def measure_layers(
    probe: Trace,
    params: Params,
    activation: str,
    units: tuple[int, ...],
    grads: tuple[float, ...],
) -> tuple[LayerRecord, ...]:
    """Every hidden layer's record from a forward pass over the probe batch."""
    out = []
    for i, (layer, unit) in enumerate(zip(probe.layers, units, strict=True)):
        y = layer.y
        regime = regime_summary(y, activation, _REGIMES, layer.h, layer.slope)
        gamma = beta = None
        if params.gammas:
            gamma = _spread(params.gammas[i], unit)
            beta = _spread(params.betas[i], unit)
        out.append(
            LayerRecord(
                unit=unit,
                tracked=_percentiles(y[:, unit]),
                pooled=_percentiles(y),
                linear=regime.linear,
                saturated=regime.saturated,
                mean=float(layer.h.mean()),
                std=float(layer.h.std()),
                grad=grads[i] if i < len(grads) else None,
                gamma=gamma,
                beta=beta,
            )
        )
    return tuple(out)


def _percentiles(values: FloatArray) -> tuple[float, float, float]:
    p15, p50, p85 = np.percentile(values, PERCENTILES)
    return float(p15), float(p50), float(p85)


def _spread(values: FloatArray, unit: int) -> Spread:
    return Spread(float(values.mean()), float(values.std()), float(values[unit]))
