"""The Training page's controller: the run shown (its setup, its history, where it stands),
the worker that trains it, and what a change of the setup does.

The setup lives in the store's State (undo, sessions and the autosave cover it). A run trains
the setup it was started with: a change made before the first step starts over at once (nothing
is lost); a change made later waits for Reset, and the page says so — never a silent restart.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from normgui.core.state import State
from normgui.core.training.history import DataInfo, History, LayerBatch
from normgui.core.training.runner import Batch, train_all
from normgui.core.training.setup import TrainingSetup
from normgui.qt.store import Store
from normgui.qt.training.worker import TrainingWorker


def same_run(a: TrainingSetup, b: TrainingSetup) -> bool:
    """Whether two setups train the same run (the layer looked into is only a view)."""
    return a.replace(layer=0) == b.replace(layer=0)


class TrainingController(QObject):
    """Run, Pause, Step, Reset, the history scrubbed, and a layer sent to the Layer page."""

    changed = Signal()  # the history, the step or the state of the run changed: redraw

    def __init__(self, store: Store, mode: str = "process", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.worker = TrainingWorker(mode, self)
        self.history = History(store.state.training_setup)
        self.applied: TrainingSetup | None = None  # the setup of the run shown, once started
        self.step = 0
        self.running = False
        self.finished = False
        self.error = ""
        self.upto: int | None = None  # the record shown while scrubbing; None: the newest
        self.worker.started.connect(self._on_worker_started)
        self.worker.progress.connect(self._on_worker_progress)
        self.worker.layer_ready.connect(self._on_worker_layer_ready)
        self.worker.failed.connect(self._on_worker_failed)
        store.state_changed.connect(self._on_store_state_changed)

    @property
    def setup(self) -> TrainingSetup:
        return self.store.state.training_setup

    @property
    def started(self) -> bool:
        """Whether the run shown has trained (so that a change of setup waits for Reset)."""
        return self.applied is not None and (self.step > 0 or self.running)

    @property
    def pending(self) -> bool:
        """Whether the setup was changed since the run shown started."""
        return self.applied is not None and not same_run(self.applied, self.setup)

    def reset(self) -> None:
        """New initial weights from the seed, with the setup in force: step 0, paused."""
        setup = self.setup
        self.applied = setup
        self.history = History(setup)
        self.step, self.running, self.finished, self.error, self.upto = 0, False, False, "", None
        self.worker.setup(setup)
        self.changed.emit()

    def run(self) -> None:
        if self.applied is None or (self.pending and not self.started):
            self.reset()
        if self.finished or self.error:
            return
        self.running, self.upto = True, None
        self.worker.run()
        self.changed.emit()

    def pause(self) -> None:
        if self.running:
            self.running = False
            self.worker.pause()
            self.changed.emit()

    def toggle(self) -> None:
        """Run or pause (Space, and the Run button)."""
        if self.running:
            self.pause()
        else:
            self.run()

    def step_once(self) -> None:
        """Train up to the next record."""
        if self.applied is None or (self.pending and not self.started):
            self.reset()
        self.running, self.upto = False, None
        self.worker.step()
        self.changed.emit()

    def scrub(self, index: int) -> None:
        """Show the history up to record `index` (the newest: follow the run again)."""
        self.upto = None if index >= len(self.history) - 1 else max(0, index)
        self.changed.emit()

    def open_in_layer_view(self, run: str = "A") -> None:
        """Ask for the tracked layer's batch now; it becomes input A of the Layer page."""
        if self.applied is None:
            self.store.error.emit("Train first: there is no network yet to take a layer from")
            return
        config = self.history.setup.runs.get(run, self.history.setup.a)
        self.worker.request_layer(run, self.setup.layer_index(len(config.hidden)))

    def train_here(self) -> None:
        """Train the setup to its end here, blocking, without the worker: for a picture drawn
        without a window (--export) and tests. The same records as the worker's."""
        setup = self.setup
        self.worker.stop()
        self.applied = setup
        self.history = train_all(setup)
        last = [records[-1].step for records in self.history.records.values() if records]
        self.step, self.running, self.finished = max(last, default=0), False, True
        self.error, self.upto = "", None
        self.changed.emit()

    def close(self) -> None:
        """Stop training now (the window closes)."""
        self.running = False
        self.worker.stop()

    # --- worker -> controller -----------------------------------------------------------------

    def _on_worker_started(self, info: DataInfo, batch: Batch) -> None:
        self.history.info = info
        self.history.extend(batch)
        self.changed.emit()

    def _on_worker_progress(self, batch: Batch, step: int, running: bool, finished: bool) -> None:
        self.history.extend(batch)
        self.step, self.finished = step, finished
        if not running:
            self.running = False
        self.changed.emit()

    def _on_worker_failed(self, message: str) -> None:
        self.error, self.running = message, False
        self.changed.emit()

    def _on_worker_layer_ready(self, batch: LayerBatch) -> None:
        self.store.set_state(layer_state(self.store.state, batch), layer_label(batch))
        where = "with its normalization, γ, β" if batch.method else "(it has no normalization)"
        self.store.notice.emit(
            f"Input A is now layer {batch.layer + 1} of {batch.run} at step {batch.step}: "
            f"u = h·W + b for {batch.u.shape[0]} probe samples, {where}"
        )

    def _on_store_state_changed(self, state: State) -> None:
        if self.applied is not None and not self.started and self.pending:
            self.reset()  # nothing trained yet: the new setup applies at once
        else:
            self.changed.emit()

    def status(self) -> list[str]:
        """What the page says above the plots: failures, divergence, a change waiting."""
        lines = []
        if self.error:
            lines.append(f"⚠ {self.error}")
        for run, message in self.history.diverged().items():
            lines.append(f"⚠ {run}: {message}")
        if self.pending and self.started:
            lines.append(
                "The settings changed since this run started: they apply at the next Reset "
                "(the run shown keeps its own)."
            )
        return lines


def layer_label(batch: LayerBatch) -> str:
    return f"Open layer {batch.layer + 1} of {batch.run} in Layer view"


def layer_state(state: State, batch: LayerBatch) -> State:
    """The Layer page showing `batch`: its u as input A, its method, γ, β per unit, running
    statistics (BatchNorm in training mode, as the network computed it) and activation."""
    changes: dict[str, object] = {
        "inputs_a": batch.u,
        "compare": False,
        "activation": batch.activation,
        "selected_sample": 0,
        "selected_feature": 0,
        "input_scale": 1.0,
        "input_shift": 0.0,
    }
    if batch.method is not None and batch.gamma is not None and batch.beta is not None:
        changes.update(
            method=batch.method,
            per_feature=True,
            gamma_features=tuple(batch.gamma.tolist()),
            beta_features=tuple(batch.beta.tolist()),
            training=True,
            running_history=() if batch.running is None else (batch.running,),
        )
    return state.replace(**changes)
