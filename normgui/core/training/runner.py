"""Training A and B side by side, in slices short enough to stop between, and the loop a worker
(a process or a thread) runs to do it off the window's thread.

No Qt here: a worker process imports this module alone (numpy and the engine), not the window.
The records are those of `Trainer.records` bit for bit: slices and lockstep change only when
the work is done, never what is computed.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Final

from normgui.core.datasets import Dataset
from normgui.core.training.history import DataInfo, History, LayerBatch, Snapshot
from normgui.core.training.loop import Trainer
from normgui.core.training.records import Record
from normgui.core.training.setup import TrainingSetup

Batch = dict[str, list[tuple[Record, Snapshot | None]]]
# The longest slice of training between two looks at the commands: a Pause waits for it, and
# the window's request for its next frame too (so, well under a frame at 60 a second).
SLICE_S: Final = 0.006
# The share of the worker's time each run may spend on the Now plot's points between records.
# A run without statistics of the batch passes only the rows kept, some 0.1 ms: every frame;
# one with BatchNorm passes the whole probe batch, some 3 ms: a few times a second.
LIVE_SHARE: Final = 0.05
WORKER_NICENESS: Final = 5  # see serve_in_background


class RunSet:
    """The runs of a TrainingSetup (A, and B when compared) from the same seed — so the same
    initial weights and the same batches — advanced together record by record."""

    def __init__(self, setup: TrainingSetup, data: Dataset | None = None) -> None:
        data = setup.load_data() if data is None else data
        self.setup = setup
        self.info = DataInfo.of(data)
        self.trainers: dict[str, Trainer] = {
            name: config.trainer(data, setup.seed, setup.record_every)
            for name, config in setup.runs.items()
        }
        self._closed: set[str] = set()  # runs whose closing record (diverged) was given
        self._recorded = dict.fromkeys(self.trainers, 0)  # the step of each run's last record
        self._per_step = 1e-3  # seconds per update, measured as it trains
        self._live: dict[str, tuple[float, float, int]] = {}  # run: (cost, taken at, step)

    @property
    def step(self) -> int:
        """The step the runs have all reached (a diverged run waits at its last one)."""
        live = [t.step_count for t in self.trainers.values() if not t.diverged]
        return min(live) if live else max(t.step_count for t in self.trainers.values())

    @property
    def finished(self) -> bool:
        done = all(t.diverged or t.step_count >= self.setup.steps for t in self.trainers.values())
        return done and not self.pending

    @property
    def pending(self) -> bool:
        """Whether a run has reached a record it has not taken yet (see work)."""
        return any(self._due(name, trainer) for name, trainer in self.trainers.items())

    def start(self) -> Batch:
        """The records at step 0."""
        return {name: [_measured(t)] for name, t in self.trainers.items()}

    def _boundary(self) -> int:
        every = self.setup.record_every
        return min((self.step // every + 1) * every, self.setup.steps)

    def work(self, seconds: float) -> Batch:
        """Train for about `seconds` (at least one update, or one record), stopping at the end;
        the records of the boundaries reached. The records due are taken first, one run's at
        least, then no more once the time is up: the others' wait for the next call, and their
        runs for them (a record costs some 5-10 ms a run; a window's look at the worker is
        answered between two)."""
        out: Batch = {}
        deadline = time.perf_counter() + seconds
        while self._collect(out, deadline) and not self.finished:
            if time.perf_counter() >= deadline and out:
                break
            left = max(0.0, deadline - time.perf_counter())
            self._slice(self._boundary(), max(1, int(left / self._per_step)))
            if time.perf_counter() >= deadline and not self.pending:
                break
        return out

    def to_next_record(self) -> Batch:
        """Train up to the next record (Step), or take the records a slice left due."""
        out: Batch = {}
        if not self.pending and not self.finished:
            self._slice(self._boundary(), None)
        self._collect(out)
        return out

    def _slice(self, target: int, most: int | None) -> None:
        """Every run towards step `target` (a record's), at most `most` steps past the step
        they all reached: step by step together, so that a window looking between two
        records sees both moved (a run twice as fast waited half of each record's time)."""
        start, before = time.perf_counter(), self.step
        reach = target if most is None else min(target, before + most)
        for trainer in self.trainers.values():
            if not trainer.diverged and trainer.step_count < reach:
                trainer.train_until(target, reach - trainer.step_count)
        if self.step > before:  # (seconds per step of all the runs together)
            took = (time.perf_counter() - start) / (self.step - before)
            self._per_step = 0.7 * self._per_step + 0.3 * took

    def _due(self, name: str, trainer: Trainer) -> bool:
        """Whether run `name` is at a record it has not taken (or diverged, unsaid)."""
        if trainer.diverged:
            return name not in self._closed
        at, every = trainer.step_count, self.setup.record_every
        return at != self._recorded[name] and (at % every == 0 or at == self.setup.steps)

    def _collect(self, out: Batch, deadline: float | None = None) -> bool:
        """Into `out`, the record of every run that has reached a boundary since its last
        record, and the closing record of a run that diverged — past `deadline`, one at most.
        Whether none is left due."""
        for name, trainer in self.trainers.items():
            if not self._due(name, trainer):
                continue
            if deadline is not None and out and time.perf_counter() >= deadline:
                return False
            if trainer.diverged:
                self._closed.add(name)
                out.setdefault(name, []).append((trainer.diverged_record(), None))
            else:
                self._recorded[name] = trainer.step_count
                out.setdefault(name, []).append(_measured(trainer))
        return True

    def now(self, within_share: bool = True) -> dict[str, Snapshot]:
        """Each run's pre-activations at the step it has reached, for the Now plot between
        records: those of the runs past their last record (whose snapshot the window has),
        each (`within_share`) at most so often that it takes about LIVE_SHARE of the time."""
        out = {}
        for name, trainer in self.trainers.items():
            cost, taken, step = self._live.get(name, (0.0, -1.0, -1))
            start = time.perf_counter()
            at = trainer.step_count
            if trainer.diverged or at in (self._recorded[name], step):
                continue
            if within_share and start - taken < cost / LIVE_SHARE:
                continue
            out[name] = Snapshot.of(trainer, kept_rows_only=True)
            took = time.perf_counter() - start
            self._live[name] = (took if step < 0 else 0.7 * cost + 0.3 * took, start, at)
        return out

    def layer_batch(self, run: str, layer: int) -> LayerBatch:
        """Hidden layer `layer` of run `run` as it is now (the last layer if there are fewer)."""
        trainer = self.trainers[run]
        return LayerBatch.of(trainer, run, min(layer, len(trainer.spec.hidden) - 1))


def _measured(trainer: Trainer) -> tuple[Record, Snapshot]:
    record, probe = trainer.measure()
    return record, Snapshot.of_pass(trainer, probe)


def train_all(
    setup: TrainingSetup,
    data: Dataset | None = None,
    progress: Callable[[History], None] | None = None,
) -> History:
    """Train the setup to its last step without a window (scenes exported, tests)."""
    runs = RunSet(setup, data)
    history = History(setup, runs.info)
    history.extend(runs.start())
    while not runs.finished:
        history.extend(runs.work(1.0))
        if progress is not None:
            progress(history)
    return history


def serve_in_background(conn: Connection) -> None:
    """serve(), in a worker process of its own, at a lower priority than the window's: the
    window's frames (and the display's) come first, and training takes the rest of the CPU.
    Measured on the 2-core machine busy with other work too: 41-53 frames painted a second at
    the same priority (the window's 16 ms timer fired 20 ms apart at the median), 54-59 so."""
    if hasattr(os, "nice"):  # (POSIX)
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    serve(conn)


def serve(conn: Connection) -> None:
    """A worker's loop: commands in, records out, until "quit" or the window's end of the pipe
    closes. The window sends:

        ("setup", token, TrainingSetup)   build the runs (new initial weights from the seed)
        ("run",) ("pause",) ("step",)     train on, stop, train to the next record
        ("look",)                         ready for the next frame: send what is new
        ("layer", token, run, layer)      a hidden layer's batch for the Layer page
        ("quit",)

    and gets ("started", token, DataInfo, Batch), ("progress", token, Batch, step, running,
    finished, now) — after the slice during which a look came, and at once on Pause, Step and
    the end: the window sets the pace, and nothing is sent that it would not draw —,
    ("layer", token, LayerBatch) and ("error", token, message). `now` holds the Now plot's
    snapshots between records (RunSet.now). The token is the window's number for a setup:
    replies to an older one are stale.
    """
    _Worker(conn).loop()


class _Worker:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.runs: RunSet | None = None
        self.token = 0
        self.running = False
        self.pending: Batch = {}
        self.looked = False  # the window is ready for its next frame

    def loop(self) -> None:
        while True:
            try:
                idle = not self.running or self.runs is None
                if self.conn.poll(None if idle else 0):
                    if not self._handle(self.conn.recv()):
                        return
                    continue  # every command waiting is read before training on
                assert self.runs is not None
                self._train(self.runs)
            except (EOFError, OSError, BrokenPipeError):
                return  # the window is gone: nothing left to train for

    def _train(self, runs: RunSet) -> None:
        if not self._guarded(lambda: runs.work(SLICE_S)):
            return
        if runs.finished:
            self.running = False
        if self.looked or not self.running:
            self._send_progress()

    def _handle(self, command: tuple[Any, ...]) -> bool:
        kind = command[0]
        if kind == "quit":
            return False
        if kind == "setup":
            self._setup(command[1], command[2])
        elif kind == "run":
            self.running = self.runs is not None and not self.runs.finished
        elif kind == "look":
            self.looked = True
        elif kind == "pause":
            self.running = False
            if self.runs is not None and self.runs.pending:  # (a record a slice left due)
                self._guarded(self.runs.to_next_record)
            self._send_progress()
        elif kind == "step" and self.runs is not None:
            self.running = False
            if self._guarded(self.runs.to_next_record):
                self._send_progress()
        elif kind == "layer" and self.runs is not None:
            _, token, run, layer = command
            if run in self.runs.trainers:
                self._send_layer(self.runs, token, run, layer)
        return True

    def _send_layer(self, runs: RunSet, token: int, run: str, layer: int) -> None:
        """The layer's batch for Open in Layer view; a failure is said, as in training, and
        the worker lives on."""
        try:
            batch = runs.layer_batch(run, layer)
        except Exception as exc:
            self.conn.send(("error", token, f"the layer could not be opened: {exc}"))
            return
        self.conn.send(("layer", token, batch))

    def _setup(self, token: int, setup: TrainingSetup) -> None:
        self.token, self.running, self.pending, self.runs = token, False, {}, None
        try:
            self.runs = RunSet(setup)
        except ValueError as exc:
            self.conn.send(("error", token, str(exc)))
            return
        self.conn.send(("started", token, self.runs.info, self.runs.start()))

    def _guarded(self, train: Callable[[], Batch]) -> bool:
        """Keep what `train` gives. An engine failure (in Run's slices or in Step alike) is
        reported and stops the training; the worker lives on to take the next setup — an
        exception escaping the loop would end the worker, and the window would wait for ever."""
        try:
            self._merge(train())
        except Exception as exc:
            self.running = False
            self.conn.send(("error", self.token, f"training stopped: {exc}"))
            return False
        return True

    def _merge(self, batch: Batch) -> None:
        for run, items in batch.items():
            self.pending.setdefault(run, []).extend(items)

    def _send_progress(self) -> None:
        if self.runs is None:
            return
        self.looked = False
        runs = self.runs
        # Stopped, the Now plot shows the step reached whatever it costs: once.
        now = runs.now(within_share=self.running)
        message = (
            "progress",
            self.token,
            self.pending,
            runs.step,
            self.running,
            runs.finished,
            now,
        )
        self.pending = {}
        self.conn.send(message)
