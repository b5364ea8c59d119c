"""The Training page while it trains: how late a 10 ms timer of the window fires (the event
loop's responsiveness, p95) and how many steps per second the run makes while the page draws,
with the worker in a process and in a thread of the window's process, beside the same run
trained headless (RunSet.work) in the same process. Offscreen; Ioffe & Szegedy's network with
BatchNorm (64-100-100-100-10, batch 60), A only.

Run by bench_training.py (make bench); on its own: python tests/perf/bench_training_page.py
"""

from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

SECONDS = 4.0


def _setup() -> Any:
    from normgui.core.training.preset import RunConfig
    from normgui.core.training.setup import TrainingSetup

    return TrainingSetup(
        a=RunConfig(norm="batchnorm"), compare=False, steps=1_000_000, record_every=50
    )


def headless_rate() -> float:
    """Steps per second of RunSet.work alone, records and snapshots included."""
    from normgui.core.training.runner import RunSet

    runs = RunSet(_setup())
    runs.start()
    start = time.perf_counter()
    while time.perf_counter() - start < SECONDS:
        runs.work(0.025)
    return runs.step / (time.perf_counter() - start)


def page_run(mode: str) -> dict[str, float]:
    """Timer lateness and steps per second while the page trains and draws."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from normgui.core.state import State
    from normgui.qt.store import Store
    from normgui.qt.training import TrainingPage

    app = QApplication.instance() or QApplication([])
    page = TrainingPage(Store(State(training_setup=_setup())), mode)
    page.resize(1200, 800)
    page.show()
    controller = page.controller
    controller.run()
    while controller.step < 50:  # the worker started, the first records drawn
        app.processEvents()
        time.sleep(0.002)
    late: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        late.append(max(0.0, now - last[0] - 0.010))
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    first, start = controller.step, time.perf_counter()
    timer.start()
    while time.perf_counter() - start < SECONDS:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    steps = controller.step - first
    elapsed = time.perf_counter() - start
    page.close_run()
    page.close()
    return {
        "timer_late_p95_ms": 1000 * float(np.percentile(late, 95)),
        "steps_per_s": steps / elapsed,
    }


def page_rows() -> list[dict[str, float | str]]:
    headless = headless_rate()
    rows: list[dict[str, float | str]] = []
    for mode in ("process", "thread"):
        row: dict[str, float | str] = {"worker": mode, **page_run(mode)}
        row["headless_steps_per_s"] = headless
        row["share_of_headless"] = float(row["steps_per_s"]) / headless
        rows.append(row)
    print("Training page while training (offscreen), BatchNorm 64-100-100-100-10, batch 60")
    print(f"{'worker':<8} {'timer late p95':>15} {'steps/s':>8} {'headless':>9} {'share':>6}")
    for r in rows:
        print(
            f"{r['worker']:<8} {r['timer_late_p95_ms']:>12.1f} ms {r['steps_per_s']:>8.0f} "
            f"{r['headless_steps_per_s']:>9.0f} {r['share_of_headless']:>6.0%}"
        )
    return rows


if __name__ == "__main__":
    page_rows()
