"""What `make bench` measures on a real X server: frames painted per second in presentation mode.

Xvfb (a virtual X server) with a window manager (openbox, when installed: full screen and focus
then behave as on a desktop) stands in for a projector's screen; Qt draws through its xcb
platform, as on a Linux desktop. The bench installs nothing: without Xvfb it says so and skips.

The count is of paint events of one plot's viewport while Play sweeps γ back and forth (Loop on),
and of the Training page's Now plot while Ioffe & Szegedy's network trains, A and B: frames
actually painted, not frames computed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FPS_SECONDS = 3.0
WARM_UP_S = 0.7  # Play's first frames fix the plots' ranges and fill caches: not counted
SCREEN = (1920, 1080)
FPS_SIZES = (4, 1_000_000)
FPS_RUNS = 2
# The Training page's looks at its worker: the app's (a screen's 60 a second), and 30 a second
# (as it was) to compare the steps the worker trains meanwhile.
LOOKS_MS = (16, 33)


@dataclass
class XServer:
    """A running Xvfb (and its window manager): `env` draws on it; stop() ends both."""

    display: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    window_manager: bool = False

    @property
    def env(self) -> dict[str, str]:
        env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def stop(self) -> None:
        for process in reversed(self.processes):  # the window manager, then the server
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_x_server(size: tuple[int, int] = SCREEN) -> XServer | str:
    """A virtual X screen of `size`, or why there is none (a line to print)."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        return "no Xvfb here (apt-get install xvfb openbox): frames per second not measured"
    read, write = os.pipe()
    server = subprocess.Popen(
        [
            xvfb,
            "-displayfd",
            str(write),
            "-screen",
            "0",
            f"{size[0]}x{size[1]}x24",
            "-nolisten",
            "tcp",
        ],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    # Xvfb writes the display number it took once it accepts clients.
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.terminate()
        server.wait()
        return "Xvfb did not start: frames per second not measured"
    x = XServer(f":{number}", [server])
    openbox = shutil.which("openbox")
    if openbox is not None:
        x.processes.append(
            subprocess.Popen(
                [openbox], env=x.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        )
        x.window_manager = True
        time.sleep(0.5)  # until it manages windows: a full-screen request goes through it
    return x


def child_fps(n: int) -> dict[str, Any]:
    """In a child on the X server: the window with n values, F11, Play sweeping γ with Loop on;
    paint events of the activation plot's viewport counted over FPS_SECONDS."""
    import numpy as np
    from bench import shape_for  # (run as a script: its folder is on the path)

    from normgui.core.state import State

    data = np.random.default_rng(0).normal(size=shape_for(n))
    app, window = presented(State(inputs_a=data, method="layernorm"))
    lecture = window.lecture
    lecture.animation_bar.loop.setChecked(True)
    counter = PaintCounter({"activation": window.plots.plot_widgets[0].viewport()})
    lecture.play_action.trigger()
    run_for(app, WARM_UP_S)
    counter.zero()
    ticks = lecture.animator.frames
    cpu, start = time.process_time(), time.perf_counter()
    run_for(app, FPS_SECONDS)
    elapsed = time.perf_counter() - start
    count = counter.counts["activation"]
    result = {
        "fps": count / elapsed,
        "ticks_per_s": (lecture.animator.frames - ticks) / elapsed,
        "cpu_ms_per_frame": (time.process_time() - cpu) * 1000 / max(1, count),
        "window": f"{window.width()}x{window.height()}",
        "running": lecture.animator.running,
    }
    lecture.animator.stop()
    closed(window)
    return result


def child_fps_training(look_ms: int) -> dict[str, Any]:
    """In a child on the X server: the window on the Training page, F11, training Ioffe &
    Szegedy's network without (A) and with (B) BatchNorm, Compare on, the worker looked at
    every `look_ms`; paint events of each plot's viewport counted over FPS_SECONDS (the Now
    plot's are the frames: its points are new at each), and the steps trained meanwhile."""
    from normgui.core.state import State
    from normgui.core.training.setup import TrainingSetup
    from normgui.qt.training import TrainingPage, worker

    worker.LOOK_MS = look_ms
    app, window = presented(State(training_setup=TrainingSetup(steps=1_000_000)), page=1)
    page = window.findChild(TrainingPage)  # (made when first shown)
    counter = PaintCounter({n: p.widget.viewport() for n, p in page.training_plots.items()})
    looks = [0]
    page.controller.worker.progress.connect(lambda *_: looks.__setitem__(0, looks[0] + 1))
    page.controller.run()
    run_for(app, WARM_UP_S)
    counter.zero()
    looks[0], steps, records = 0, page.controller.step, len(page.controller.history)
    runner = page.controller.worker._runner
    worker_cpu = process_cpu_s(getattr(runner, "pid", None))
    cpu, start = time.process_time(), time.perf_counter()
    run_for(app, FPS_SECONDS)
    elapsed = time.perf_counter() - start
    worker_cpu = process_cpu_s(getattr(runner, "pid", None)) - worker_cpu
    trained = page.controller.step - steps
    fps = {name: count / elapsed for name, count in counter.counts.items()}
    result = {
        "look_ms": look_ms,
        "fps": fps["now"],
        "fps_plots": fps,
        "looks_per_s": looks[0] / elapsed,
        "steps_per_s": trained / elapsed,
        # Steps per second of the worker's own CPU time: the same at both rates when a frame
        # costs the worker nothing, whatever share of the CPU the shared machine leaves it.
        "steps_per_worker_cpu_s": trained / worker_cpu if worker_cpu > 0 else 0.0,
        "worker_cpu_share": worker_cpu / elapsed,
        "records_per_s": (len(page.controller.history) - records) / elapsed,
        "cpu_ms_per_frame": (time.process_time() - cpu) * 1000 / max(1, counter.counts["now"]),
        "window": f"{window.width()}x{window.height()}",
        "running": page.controller.running,
    }
    page.close_run()
    closed(window)
    return result


def process_cpu_s(pid: int | None) -> float:
    """The CPU time process `pid` has used, in seconds (Linux's /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def presented(state: Any, page: int = 0) -> tuple[Any, Any]:
    """The app and its window showing `state` on `page`, in presentation mode (F11) and full
    screen once the window manager has made it so."""
    from PySide6.QtCore import QStandardPaths

    from normgui.qt.shell.app import create_app
    from normgui.qt.shell.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)
    app = create_app()
    window = MainWindow(state)
    window.show()
    window.store.flush()
    window.pages.show_page(page)
    run_for(app, 0.5)
    window.lecture.presentation_action.trigger()  # F11
    deadline = time.monotonic() + 5.0
    screen = window.screen().size()
    while time.monotonic() < deadline and window.size() != screen:
        run_for(app, 0.05)
    run_for(app, 0.3)
    return app, window


def closed(window: Any) -> None:
    """Close `window` without a question (nothing to save)."""
    from PySide6.QtWidgets import QApplication

    window.store.undo_stack.setClean()
    window.close()
    QApplication.processEvents()


class PaintCounter:
    """Paint events of some widgets (plots' viewports), each counted apart."""

    def __init__(self, widgets: dict[str, Any]) -> None:
        from PySide6.QtCore import QEvent, QObject

        counts = dict.fromkeys(widgets, 0)

        class Filter(QObject):
            def __init__(self, name: str) -> None:
                super().__init__()
                self.name = name

            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    counts[self.name] += 1
                return False

        self.counts = counts
        self._filters = [Filter(name) for name in widgets]
        for f, widget in zip(self._filters, widgets.values(), strict=True):
            widget.installEventFilter(f)

    def zero(self) -> None:
        for name in self.counts:
            self.counts[name] = 0


def run_for(app: Any, seconds: float) -> None:
    """Turn the event loop for `seconds`, as the app does while nobody touches it."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(round(seconds * 1000), loop.quit)
    loop.exec()


def fps_lines() -> list[dict[str, Any]]:
    """Frames painted per second in presentation mode on a virtual X server, if there is one:
    the Layer page while Play sweeps γ, and the Training page while a network trains."""
    from bench import run_child

    x = start_x_server()
    if isinstance(x, str):
        print(f"\n{x}")
        return []
    print(
        f"\nframes painted per second, presentation mode at {SCREEN[0]}×{SCREEN[1]} on Xvfb"
        f"{' with openbox' if x.window_manager else ' (no window manager)'} (best of "
        f"{FPS_RUNS} runs taken in turns; floor: ≥ 55):"
    )
    runs: dict[int | str, list[dict[str, Any]]] = {}
    try:
        for _ in range(FPS_RUNS):
            for n in FPS_SIZES:
                runs.setdefault(n, []).append(run_child("fps", str(n), env=x.env))
            for look_ms in LOOKS_MS:
                found = run_child("fps_training", str(look_ms), env=x.env)
                runs.setdefault(f"training {look_ms} ms", []).append(found)
    finally:
        x.stop()
    rows = [
        {
            "n": n,
            **max(found, key=lambda run: float(run["fps"])),
            # The steps trained in the same runs, best of them too: the shared machine slows
            # one run or another, whichever rate it is taken at.
            "best_steps_per_s": max(float(run.get("steps_per_s", 0.0)) for run in found),
        }
        for n, found in runs.items()
    ]
    for row in rows:
        if isinstance(row["n"], int):
            print(
                f"Layer page, Play sweeping γ, {row['n']:>9,} values: {row['fps']:5.1f} "
                f"frames/s ({row['ticks_per_s']:.1f} computed), "
                f"{row['cpu_ms_per_frame']:.1f} ms of CPU a frame, window {row['window']}"
            )
    training = [row for row in rows if not isinstance(row["n"], int)]
    for row in training:
        print(
            f"Training page, Ioffe & Szegedy's A and B training, looked at every "
            f"{row['look_ms']} ms: {row['fps']:5.1f} frames/s (the Now plot; "
            f"{row['records_per_s']:.1f} records drawn a second), "
            f"{row['best_steps_per_s']:.0f} steps/s ({row['steps_per_worker_cpu_s']:.0f} a "
            f"second of the worker's CPU, which had {row['worker_cpu_share']:.0%} of a core), "
            f"{row['cpu_ms_per_frame']:.1f} ms of CPU a frame"
        )
    if len(training) == 2:
        ratio = training[0]["best_steps_per_s"] / training[1]["best_steps_per_s"]
        print(f"  steps/s at {LOOKS_MS[0]} ms against {LOOKS_MS[1]} ms: {ratio - 1:+.0%}")
    return rows
