"""The Training page's controller: the run shown (its setup, its history, where it stands),
the worker that trains it, and what a change of the setup does.

The setup lives in the store's State (undo, sessions and the autosave cover it). A run trains
the setup it was started with: a change made before the first step starts over at once (nothing
is lost); a change made later waits for Reset, and the page says so — never a silent restart.

A history read from a session file is shown as it was recorded, without the network's weights:
Run and Step train it again from step 0 (the same seed gives the same records), and the page
says so.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from normgui.core.state import State
from normgui.core.training.history import DataInfo, History, LayerBatch, Snapshot
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
        # Each run at the step reached, between records (the Now plot's points): replaced whole.
        self.live: dict[str, Snapshot] = {}
        self.from_file = False  # the history shown was read from a session: no weights here
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
        self.from_file, self.live = False, {}
        self.worker.setup(setup)
        self.changed.emit()

    def show_history(self, history: History) -> None:
        """Show `history`, read from a session file, paused at its last record."""
        if self.worker.alive:
            self.worker.pause()
        self.worker.drop_replies()  # a reply on its way belongs to the run replaced
        self._show(history, from_file=True)

    def _show(self, history: History, from_file: bool) -> None:
        """A whole history, paused at its last record."""
        self.applied, self.history = history.setup, history
        last = [records[-1] for records in history.records.values() if records]
        self.step = max((r.step for r in last), default=0)
        self.finished = bool(last) and all(
            r.diverged or r.step >= history.setup.steps for r in last
        )
        self.running, self.error, self.upto, self.from_file = False, "", None, from_file
        self.live = {}
        self.changed.emit()

    def kept_history(self) -> History | None:
        """The history a session may keep: the run shown, if it has records and the settings
        are still its own (a file keeps one setup: the State's)."""
        if self.applied is None or self.pending or not len(self.history):
            return None
        return self.history

    def run(self) -> None:
        if self.applied is None or self.from_file or (self.pending and not self.started):
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
        if self.applied is None or self.from_file or (self.pending and not self.started):
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
        if self.from_file:
            self.store.error.emit(
                "This run was opened from a session file without its network's weights: "
                "press Run to train it again, then open a layer"
            )
            return
        config = self.history.setup.runs.get(run, self.history.setup.a)
        self.worker.request_layer(run, self.setup.layer_index(len(config.hidden)))

    def train_here(self) -> None:
        """Train the setup to its end here, blocking, without the worker: for a picture drawn
        without a window (--export) and tests. The same records as the worker's."""
        self.worker.stop()
        self._show(train_all(self.setup), from_file=False)

    def close(self) -> None:
        """Stop training now (the window closes)."""
        self.running = False
        self.worker.stop()

    # --- worker -> controller -----------------------------------------------------------------

    def _on_worker_started(self, info: DataInfo, batch: Batch) -> None:
        self.history.info = info
        self.history.extend(batch)
        self.changed.emit()

    def _on_worker_progress(
        self, batch: Batch, now: dict[str, Snapshot], step: int, running: bool, finished: bool
    ) -> None:
        self.history.extend(batch)
        if now:
            self.live = {**self.live, **now}
        self.step, self.finished = step, finished
        # The worker's own `running` is not taken: a reply to Pause can arrive after Run was
        # sent (Space pressed twice quickly) and would show a paused run that trains on. The
        # worker stops by itself only at the end (finished) or on a failure (its own reply).
        if finished:
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
        if self.from_file:
            lines.append(
                "Opened from the session file: its recorded history, without the network's "
                "weights. Run or Step trains again from step 0 (the same seed, the same run)."
            )
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
