"""What the Training page keeps of a run: its records, A's and B's, and at each record a small
snapshot of what the records do not hold (some pre-activations to put on the activation curve,
the input's effective transform), with a few facts about the data.

Plain values that pickle: a worker process sends them through a pipe.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

import numpy as np

from normgui.core.datasets import Dataset
from normgui.core.normalize import RunningStats
from normgui.core.training.loop import Trainer
from normgui.core.training.network import Trace
from normgui.core.training.params import input_transform
from normgui.core.training.records import Record
from normgui.core.training.setup import TrainingSetup
from normgui.core.types import FloatArray

# Probe samples whose pre-activations a snapshot keeps: enough to show a layer's spread on the
# curve (rows × units marks), little enough to keep thousands of records.
SNAPSHOT_ROWS: Final = 32


@dataclass(frozen=True, eq=False)
class Snapshot:
    """A run at a record's step, beyond its Record: `ys[i]` the pre-activations y of hidden
    layer i for the first SNAPSHOT_ROWS probe samples (float32); `transform` the input's
    per-feature (scale, shift) when it is one (see params.input_transform)."""

    step: int
    ys: tuple[FloatArray, ...]
    transform: tuple[FloatArray, FloatArray] | None = None

    @classmethod
    def of(cls, trainer: Trainer, kept_rows_only: bool = False) -> Snapshot:
        """`trainer` now. `kept_rows_only`: pass only the rows kept through the network where
        that computes the same (no statistics of the batch: each row goes through on its own),
        a tenth of the work — for the Now plot between records, many times a second."""
        rows = SNAPSHOT_ROWS if kept_rows_only and not trainer.spec.uses_batch_statistics else None
        with np.errstate(all="ignore"):
            return cls.of_pass(trainer, trainer.probe_trace(rows))

    @classmethod
    def of_pass(cls, trainer: Trainer, probe: Trace) -> Snapshot:
        """`trainer` now, from its probe batch's pass `probe` (a record's: not made twice)."""
        # Inside errstate too: a pre-activation past float32's ±3.4e38 (raw data in the
        # hundreds of millions times large weights) is kept as ±inf, not warned about.
        with np.errstate(all="ignore"):
            ys = tuple(layer.y[:SNAPSHOT_ROWS].astype(np.float32) for layer in probe.layers)
        return cls(trainer.step_count, ys, input_transform(trainer.spec, trainer.params))


@dataclass(frozen=True)
class DataInfo:
    """What the page says about the data: its size, classes and features, and the accuracy of
    always guessing the commonest test class (chance)."""

    name: str
    n_train: int
    n_test: int
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    chance: float
    source: str

    @classmethod
    def of(cls, data: Dataset) -> DataInfo:
        counts = np.bincount(data.y_test, minlength=data.n_classes)
        return cls(
            name=data.name,
            n_train=int(data.x_train.shape[0]),
            n_test=int(data.x_test.shape[0]),
            feature_names=tuple(data.feature_names),
            class_names=tuple(data.class_names),
            chance=float(counts.max() / counts.sum()),
            source=data.source,
        )

    def describe(self) -> str:
        classes = len(self.class_names)
        return (
            f"{self.n_train} training and {self.n_test} test samples, "
            f"{len(self.feature_names)} features, {classes} classes (chance {self.chance:.0%})"
        )


@dataclass(frozen=True, eq=False)
class LayerBatch:
    """One hidden layer's real input for the Layer page: the summed inputs u = h·W + b of the
    probe batch (before the normalization), the layer's normalization, γ and β per unit and
    BatchNorm's running statistics, and the activation."""

    run: str
    layer: int
    step: int
    u: FloatArray
    method: str | None  # None: the layer has no normalization
    gamma: FloatArray | None
    beta: FloatArray | None
    running: RunningStats | None
    activation: str

    @classmethod
    def of(cls, trainer: Trainer, run: str, layer: int) -> LayerBatch:
        spec, params = trainer.spec, trainer.params
        with np.errstate(all="ignore"):
            u = trainer.probe_trace().layers[layer].u
        normed = spec.hidden_layer_norm is not None
        return cls(
            run=run,
            layer=layer,
            step=trainer.step_count,
            u=u,
            method=spec.hidden_layer_norm,
            gamma=params.gammas[layer] if normed else None,
            beta=params.betas[layer] if normed else None,
            running=params.running[layer] if spec.norm == "batchnorm" else None,
            activation=spec.activation,
        )


@dataclass
class History:
    """Every record and snapshot of a run so far, by run name ("A", "B")."""

    setup: TrainingSetup
    info: DataInfo | None = None
    records: dict[str, list[Record]] = field(default_factory=dict)
    snapshots: dict[str, list[Snapshot]] = field(default_factory=dict)

    def add(self, run: str, record: Record, snapshot: Snapshot | None) -> None:
        self.records.setdefault(run, []).append(record)
        if snapshot is not None:
            self.snapshots.setdefault(run, []).append(snapshot)

    def extend(self, batch: dict[str, list[tuple[Record, Snapshot | None]]]) -> None:
        for run, items in batch.items():
            for record, snapshot in items:
                self.add(run, record, snapshot)

    @property
    def runs(self) -> tuple[str, ...]:
        return tuple(self.records)

    def __len__(self) -> int:
        """The number of records of the longest run."""
        return max((len(r) for r in self.records.values()), default=0)

    def last(self, run: str, upto: int | None = None) -> Record | None:
        """The run's record at index `upto` (the last one it has at most), or its last one."""
        records = self.records.get(run, [])
        if not records:
            return None
        return records[-1 if upto is None else min(upto, len(records) - 1)]

    def snapshot(self, run: str, upto: int | None = None) -> Snapshot | None:
        snaps = self.snapshots.get(run, [])
        if not snaps:
            return None
        return snaps[-1 if upto is None else min(upto, len(snaps) - 1)]

    def diverged(self) -> dict[str, str]:
        """The message of each run that diverged."""
        return {
            run: records[-1].message
            for run, records in self.records.items()
            if records and records[-1].diverged
        }


@dataclass(frozen=True, eq=False)
class RunSeries:
    """A run's records up to a point as arrays for plotting (NaN where nothing was measured,
    so that a line breaks there): `tracked` is (records, 3) for the layer asked for, the
    per-layer arrays are (records, layers)."""

    steps: FloatArray
    loss: FloatArray
    test_accuracy: FloatArray
    tracked: FloatArray
    unit: int
    linear: FloatArray
    saturated: FloatArray
    mean: FloatArray
    std: FloatArray


def run_series(records: list[Record], layer: int) -> RunSeries:
    """The arrays of `records` (a diverged run's closing record left out); `layer` is the index
    of the hidden layer whose tracked unit is wanted (the last one if there are fewer)."""
    kept = [r for r in records if not r.diverged]
    n_layers = max((len(r.layers) for r in kept), default=0)
    index = min(layer, n_layers - 1)

    def column(values: list[float | None]) -> FloatArray:
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    def per_layer(name: str) -> FloatArray:
        rows = [[getattr(lr, name) for lr in r.layers] for r in kept]
        return np.array(rows, dtype=np.float64).reshape(len(kept), n_layers)

    tracked = np.array([r.layers[index].tracked for r in kept], dtype=np.float64)
    return RunSeries(
        steps=np.array([r.step for r in kept], dtype=np.float64),
        loss=column([r.smoothed_loss for r in kept]),
        test_accuracy=column([r.test_accuracy for r in kept]),
        tracked=tracked.reshape(len(kept), 3),
        unit=kept[0].layers[index].unit if kept and n_layers else 0,
        linear=per_layer("linear"),
        saturated=per_layer("saturated"),
        mean=per_layer("mean"),
        std=per_layer("std"),
    )
