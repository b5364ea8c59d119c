"""The training worker as the window sees it: a process (or a thread) running
normgui.core.training.runner.serve at the other end of a pipe, looked at about as often as a
screen shows frames (60 a second): whatever arrived since the last look merged into one update
(the page draws the newest and never queues), then a request for the next one. The worker
answers each request once, after the slice of training it is in, so it sends no more than the
window draws; a window busy elsewhere simply asks less often.

A process is the default: measured on a 2-core machine, training in a thread of the window's
process holds the GIL between numpy's small operations and delays the window's event loop
(see tests/perf/bench_training.py); a process leaves the window alone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from multiprocessing.connection import Connection
from typing import Any, Final

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QTimer, Signal

from normgui.blas import single_threaded_blas
from normgui.core.training.history import Snapshot
from normgui.core.training.runner import Batch, serve, serve_in_background
from normgui.core.training.setup import TrainingSetup

MODES: Final = ("process", "thread")
# A look each 16 ms: a screen's 60 frames a second. At 33 ms (30 a second, as at first) the
# worker trained no faster: 416 steps/s against 422, 521 a second of its own CPU at both, in one
# run of `make bench` (tests/perf/screen.py sets this to compare; hence not Final).
LOOK_MS = 16
JOIN_S: Final = 1.0  # how long closing waits for the worker before ending it


class TrainingWorker(QObject):
    """Sends commands to the worker and turns its replies into signals. Replies to an older
    setup than the last one sent are dropped (their token is stale)."""

    started = Signal(object, object)  # DataInfo, Batch (the records at step 0)
    # Batch, {run: Snapshot} between records (the Now plot's), step, running, finished
    progress = Signal(object, object, int, bool, bool)
    layer_ready = Signal(object)  # LayerBatch
    failed = Signal(str)

    def __init__(self, mode: str = "process", parent: QObject | None = None) -> None:
        super().__init__(parent)
        if mode not in MODES:
            raise ValueError(f"mode: {mode!r} is not one of {', '.join(MODES)}")
        self.mode = mode
        self.token = 0
        self._conn: Connection | None = None
        self._runner: multiprocessing.process.BaseProcess | threading.Thread | None = None
        self._looking = False  # while the worker runs: ask for each next frame
        self._notifier: QSocketNotifier | None = None
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # (a coarse one may wait 5 % more)
        self._timer.setInterval(LOOK_MS)
        self._timer.timeout.connect(self.poll)

    @property
    def alive(self) -> bool:
        return self._runner is not None and self._runner.is_alive()

    def _start(self) -> Connection:
        if self._conn is not None and self.alive:
            return self._conn
        stale = self._conn
        self._forget()  # a worker gone: its pipe's watcher first, then the pipe
        if stale is not None:
            stale.close()
        window_end, worker_end = multiprocessing.Pipe()
        runner: multiprocessing.process.BaseProcess | threading.Thread
        if self.mode == "process":
            # spawn, never fork: a forked copy of a process running Qt is not safe.
            runner = multiprocessing.get_context("spawn").Process(
                target=serve_in_background,
                args=(worker_end,),
                name="normgui-training",
                daemon=True,
            )
        else:
            runner = threading.Thread(
                target=serve, args=(worker_end,), name="normgui-training", daemon=True
            )
        if self.mode == "process":
            with single_threaded_blas():  # one BLAS thread: see normgui.blas
                runner.start()
            worker_end.close()  # the child has its own copy
        else:
            runner.start()
        self._conn, self._runner = window_end, runner
        if os.name == "posix":
            # A reply is read as soon as it comes, not at the next look: drawn within the
            # frame it was asked for. (A pipe's end is a socket here; the looks pace it.)
            self._notifier = QSocketNotifier(window_end.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._read)
        self._timer.start()
        return window_end

    def _send(self, *command: Any) -> None:
        try:
            self._start().send(command)
        except (OSError, EOFError) as exc:
            self.failed.emit(f"the training worker stopped ({exc}); press Reset to start again")
            self._forget()

    def setup(self, setup: TrainingSetup) -> int:
        """Build the runs of `setup` (new weights from its seed); returns its token."""
        self.token += 1
        self._looking = False
        self._send("setup", self.token, setup)
        return self.token

    def drop_replies(self) -> None:
        """Ignore every reply to the setups sent so far (the page shows a history from a file)."""
        self.token += 1

    def run(self) -> None:
        self._send("run")
        self._looking = True

    def pause(self) -> None:
        self._looking = False
        self._send("pause")

    def step(self) -> None:
        self._looking = False
        self._send("step")

    def request_layer(self, run: str, layer: int) -> None:
        self._send("layer", self.token, run, layer)

    def poll(self) -> None:
        """Read every reply waiting; then, while the worker runs, ask for the next frame."""
        self._read()
        conn = self._conn
        if conn is not None and self._looking:
            try:
                conn.send(("look",))
            except (EOFError, OSError):
                self._lost()

    def _read(self) -> None:
        """Read every reply waiting and emit them merged: one progress at most."""
        conn = self._conn
        if conn is None:
            return
        merged: Batch = {}
        now: dict[str, Snapshot] = {}
        last: tuple[int, bool, bool] | None = None
        try:
            while conn.poll():
                message = conn.recv()
                if message[1] != self.token:
                    continue  # a reply about a setup since replaced
                kind = message[0]
                if kind == "progress":
                    for run, items in message[2].items():
                        merged.setdefault(run, []).extend(items)
                    now.update(message[6])
                    last = (message[3], message[4], message[5])
                    self._looking = self._looking and not message[5]  # (finished)
                elif kind == "started":
                    self.started.emit(message[2], message[3])
                elif kind == "layer":
                    self.layer_ready.emit(message[2])
                elif kind == "error":
                    self._looking = False
                    self.failed.emit(message[2])
        except (EOFError, OSError):
            self._lost()
        if last is not None:
            self.progress.emit(merged, now, *last)

    def _lost(self) -> None:
        self._forget()
        self.failed.emit("the training worker stopped unexpectedly; press Reset to start again")

    def stop(self) -> None:
        """End the worker now (the window closes): ask it to quit, wait briefly, then end it."""
        self._timer.stop()
        conn, runner = self._conn, self._runner
        self._forget()
        if conn is not None:
            with contextlib.suppress(OSError, EOFError):  # a worker already gone
                conn.send(("quit",))
        if runner is not None:
            runner.join(JOIN_S)
            if isinstance(runner, multiprocessing.process.BaseProcess) and runner.is_alive():
                runner.terminate()
                runner.join(JOIN_S)
        if conn is not None:
            conn.close()

    def _forget(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)  # before its pipe closes
            self._notifier.deleteLater()
            self._notifier = None
        self._conn, self._runner, self._looking = None, None, False
