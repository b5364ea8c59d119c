"""Training runs: minibatches, steps, records — deterministic from the seed, resumable.

A `Trainer` holds a run in progress (Params, the optimizer's state, where it is in the shuffled
data) and advances it record by record; `train` is the same as an iterator. The same arguments
give the same records bit for bit. Runs of two specs that differ only in normalization share
the seed's initial weights and see the same batches in the same order, so their curves compare.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from normgui.core.training.network import Trace, check_labels, cross_entropy, run_forward
from normgui.core.training.optim import (
    OPTIMIZERS,
    AdamState,
    StepResult,
    apply_adam,
    apply_sgd,
    check_rate,
)
from normgui.core.training.params import Params, fit_input, init_params
from normgui.core.training.records import Record, measure_layers
from normgui.core.training.spec import NetworkSpec
from normgui.core.types import FloatArray

PROBE_SIZE = 300  # test samples whose pre-activations every record measures


class TrainingData(Protocol):
    """What a run needs of a dataset (normgui.core.datasets.Dataset has it)."""

    @property
    def x_train(self) -> FloatArray: ...
    @property
    def y_train(self) -> NDArray[np.int64]: ...
    @property
    def x_test(self) -> FloatArray: ...
    @property
    def y_test(self) -> NDArray[np.int64]: ...


class Trainer:
    """One training run, advanced by `step()` or record by record with `advance()`."""

    def __init__(
        self,
        spec: NetworkSpec,
        data: TrainingData,
        *,
        batch_size: int = 60,
        lr: float,
        optimizer: str = "sgd",
        momentum: float = 0.0,
        seed: int = 0,
        record_every: int = 50,
    ) -> None:
        self.x_train, self.y_train = _split(spec, data.x_train, data.y_train, "training")
        self.x_test, self.y_test = _split(spec, data.x_test, data.y_test, "test")
        _check_run(spec, self.x_train.shape[0], batch_size, lr, optimizer, momentum, record_every)
        self.spec = spec
        self.batch_size = batch_size
        self.lr = float(lr)
        self.optimizer = optimizer
        self.momentum = float(momentum)
        self.record_every = record_every
        self.params: Params = fit_input(spec, init_params(spec, seed), self.x_train)
        self.state: tuple[FloatArray, ...] | AdamState | None = None
        self.step_count = 0
        self.diverged = False
        self._batches = np.random.default_rng([seed, 1])
        self._order: NDArray[np.intp] = np.empty(0, dtype=np.intp)
        self._cursor = 0
        units = np.random.default_rng([seed, 2])
        self.tracked_units = tuple(int(units.integers(n)) for n in spec.hidden)
        picks = np.random.default_rng([seed, 3])
        n_probe = min(PROBE_SIZE, self.x_test.shape[0])
        # The probe rows go first in the run's copy of the test set (the order of a test set
        # changes no accuracy), so the test pass's first rows are the probe's, without a copy.
        n_test = self.x_test.shape[0]
        chosen = np.sort(picks.choice(n_test, n_probe, False))
        order = np.concatenate([chosen, np.setdiff1d(np.arange(n_test), chosen)])
        self.x_test, self.y_test = self.x_test[order], self.y_test[order]
        self.probe = self.x_test[:n_probe]
        self._losses: list[float] = []
        self._correct = 0
        self._seen = 0
        self._reached: tuple[float, ...] = ()

    def step(self, signals: bool = True) -> StepResult | None:
        """One update on the next minibatch; None (and `diverged` set) if the loss is not finite.
        `signals`: also measure the gradient reaching each layer (for the next record)."""
        index = self._next_batch()
        x, y = self.x_train[index], self.y_train[index]
        with np.errstate(all="ignore"):  # an overflowing run is reported, not warned about
            trace = run_forward(self.spec, self.params, x, True)
            loss = cross_entropy(trace.probs, y, logits=trace.logits)
            if not math.isfinite(loss):
                self.diverged = True
                return None
            try:
                result = self._update(trace, y, signals)
            except ValueError:
                # The running statistics refuse a batch whose variance passed the float range
                # (the loss can still be finite: x̂ is then 0). That is a run that diverged.
                if _statistics_finite(trace):
                    raise
                self.diverged = True
                return None
        self.params, self.state = result.params, result.state
        self.step_count += 1
        self._losses.append(loss)
        self._correct += int(np.count_nonzero(trace.predictions() == y))
        self._seen += y.shape[0]
        if signals:
            self._reached = result.reached
        return result

    def _update(self, trace: Trace, labels: NDArray[np.int64], signals: bool) -> StepResult:
        if self.optimizer == "sgd":
            state = self.state if isinstance(self.state, tuple) else None
            return apply_sgd(
                self.spec, self.params, trace, labels, self.lr, self.momentum, state, signals
            )
        adam = self.state if isinstance(self.state, AdamState) else None
        return apply_adam(self.spec, self.params, trace, labels, self.lr, adam, signals=signals)

    def advance(self, steps: int | None = None) -> Record:
        """Train up to the next record (or `steps` updates at most) and return that record.
        A diverged run returns its closing record at once."""
        if self.diverged:
            return self.diverged_record()
        target = self.step_count + (self.record_every if steps is None else steps)
        if not self.train_until(target):
            return self.diverged_record()
        return self.record()

    def train_until(self, target: int, most: int | None = None) -> bool:
        """Updates towards step `target` (at most `most` of them, for a caller that trains in
        short slices and checks for a Pause between them); the update that reaches `target`
        also measures the gradient for the record taken there. Slices give the very same run
        as one call. False when the run diverged (then `diverged` is set)."""
        stop = target if most is None else min(target, self.step_count + most)
        while self.step_count < stop:
            if self.step(signals=self.step_count + 1 == target) is None:
                return False
        return not self.diverged

    def record(self) -> Record:
        """The run as it is now, measured on the probe batch and the test set."""
        return self.measure()[0]

    def measure(self) -> tuple[Record, Trace]:
        """The record now, and the probe batch's pass it was measured on (a snapshot's too)."""
        with np.errstate(all="ignore"):
            test = run_forward(self.spec, self.params, self.x_test, False)
            # Without BatchNorm, training and eval mode compute the same: the probe's rows of
            # the test pass are its trace, and recording costs one forward pass less.
            if self.spec.uses_batch_statistics:
                probe = self.probe_trace()
            else:
                probe = test.rows(slice(0, self.probe.shape[0]))
        losses = self._losses
        record = Record(
            step=self.step_count,
            loss=losses[-1] if losses else None,
            smoothed_loss=float(np.mean(losses)) if losses else None,
            train_accuracy=self._correct / self._seen if self._seen else None,
            test_accuracy=float(np.mean(test.predictions() == self.y_test)),
            test_loss=cross_entropy(test.probs, self.y_test, logits=test.logits),
            layers=measure_layers(
                probe, self.params, self.spec.activation, self.tracked_units, self._reached
            ),
        )
        self._losses, self._correct, self._seen = [], 0, 0
        return record, probe

    def probe_trace(self, rows: int | None = None) -> Trace:
        """The probe batch (its first `rows` rows) through the network now, with training-mode
        statistics (what the network computes while it learns), without touching the running
        statistics."""
        return run_forward(self.spec, self.params, self.probe[:rows], True)

    def records(self, steps: int) -> Iterator[Record]:
        """The record now, then one every `record_every` updates up to `steps` updates in all
        (the last one at `steps`), or until the run diverges."""
        yield self.record()
        while self.step_count < steps and not self.diverged:
            yield self.advance(min(self.record_every, steps - self.step_count))

    def _next_batch(self) -> NDArray[np.intp]:
        if self._cursor + self.batch_size > self._order.shape[0]:
            # A new epoch: a fresh shuffle; the incomplete last batch is dropped (drop_last), so
            # every batch has the same size and BatchNorm never sees a batch of one.
            self._order = self._batches.permutation(self.x_train.shape[0])
            self._cursor = 0
        index = self._order[self._cursor : self._cursor + self.batch_size]
        self._cursor += self.batch_size
        return index

    def diverged_record(self) -> Record:
        """The closing record of a run that diverged: what happened, in words."""
        return Record(
            step=self.step_count,
            loss=None,
            smoothed_loss=None,
            train_accuracy=None,
            test_accuracy=None,
            test_loss=None,
            layers=(),
            diverged=True,
            message=(
                f"The run diverged at step {self.step_count + 1}: the loss became infinite or "
                "not a number. The learning rate is too large for this network; try a smaller one."
            ),
        )


def train(
    spec: NetworkSpec,
    dataset: TrainingData,
    *,
    steps: int,
    batch_size: int = 60,
    lr: float,
    optimizer: str = "sgd",
    momentum: float = 0.0,
    seed: int = 0,
    record_every: int = 50,
) -> Iterator[Record]:
    """Train `spec` on `dataset` for `steps` updates, yielding a Record at step 0, every
    `record_every` steps and at the end. Deterministic: the same arguments give the same records.
    Stop by no longer iterating; resume by iterating again."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"steps: the number of steps must be a whole number ≥ 0, not {steps}")
    trainer = Trainer(
        spec,
        dataset,
        batch_size=batch_size,
        lr=lr,
        optimizer=optimizer,
        momentum=momentum,
        seed=seed,
        record_every=record_every,
    )
    return trainer.records(steps)


def _statistics_finite(trace: Trace) -> bool:
    """Whether every normalization's batch statistics in `trace` are finite numbers."""
    stats = [layer.stats for layer in trace.layers] + [trace.input_stats]
    return all(
        np.all(np.isfinite(value)) for st in stats if st is not None for value in st.named.values()
    )


def _split(
    spec: NetworkSpec, x: FloatArray, y: NDArray[np.int64], which: str
) -> tuple[FloatArray, NDArray[np.int64]]:
    data = np.asarray(x, dtype=np.float64)
    if data.ndim != 2 or data.shape[0] == 0:
        raise ValueError(f"the {which} data must be a non-empty table")
    if data.shape[1] != spec.n_inputs:
        raise ValueError(
            f"sizes: the network has {spec.n_inputs} inputs but the data has {data.shape[1]} "
            "features"
        )
    if not np.all(np.isfinite(data)):
        raise ValueError(f"the {which} data contains NaN or infinite values")
    labels = np.asarray(y)
    if labels.size and labels.dtype.kind in "iu" and labels.max() >= spec.n_classes:
        raise ValueError(
            f"sizes: the last size is the number of classes; the data has {int(labels.max()) + 1}"
        )
    return data, check_labels(labels, data.shape[0], spec.n_classes)


def _check_run(
    spec: NetworkSpec,
    n_train: int,
    batch_size: int,
    lr: float,
    optimizer: str,
    momentum: float,
    record_every: int,
) -> None:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size: a whole number ≥ 1 is needed, not {batch_size}")
    if batch_size > n_train:
        raise ValueError(f"batch_size: {batch_size} is larger than the {n_train} training samples")
    if batch_size < 2 and spec.uses_batch_statistics:
        raise ValueError(
            "batch_size: BatchNorm needs batches of at least two samples (a batch of one has no "
            "variance; PyTorch refuses it)"
        )
    check_rate(lr)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer: {optimizer!r} is not one of {', '.join(OPTIMIZERS)}")
    if not (math.isfinite(momentum) and 0 <= momentum < 1):
        raise ValueError(f"momentum: SGD's momentum is in [0, 1), not {momentum}")
    if isinstance(record_every, bool) or not isinstance(record_every, int) or record_every < 1:
        raise ValueError(f"record_every: a whole number ≥ 1 is needed, not {record_every}")
