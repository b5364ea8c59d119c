"""normgui's performance benchmark: `make bench` (offscreen). It reports; it asserts nothing.

For N activations (LayerNorm and BatchNorm, sigmoid) it measures the update latency from a
parameter change (γ set on its control, as a drag moves the slider) to every plot item holding
the new Frame ("drawn"), to the four plots painted ("plots": the plot area grabbed offscreen),
and to the whole window painted ("window": the window grabbed), then the start-up time to a
painted window and the peak memory. Beside each, measured in the same run, the floors: the plain
numpy pipeline a notebook would run (normalize, sigmoid, histogram, float64), the window painted
again with nothing changed, four bare pyqtgraph plots of the same size painted, and a bare
PySide6 + pyqtgraph window's start-up, beside a bare window holding the same widgets as
normgui's (same_widgets.py).

Then what a person sees: the plot area (the central widget) painted after a γ change, in a
1366×768 window and full screen at 1920×1080 (presentation mode), against four plain pyqtgraph
plots of the same size holding the same items (bare_plots.py), measured in turns in one process;
and the frames painted per second in presentation mode while Play sweeps γ, on a virtual X
server (screen.py; skipped, with a line saying so, where there is no Xvfb). Prints tables and
writes bench.json.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QSlider, QWidget

SIZES = (16, 1_000, 10_000, 100_000, 1_000_000)
METHODS = ("layernorm", "batchnorm")
CHANGES = 20  # γ changes per measurement; the first two warm up and are dropped
STARTUP_RUNS = 9
OUT = Path("bench.json")


def shape_for(n: int) -> tuple[int, int]:
    """A batch of n values: at least two samples (BatchNorm trains), at most 1000 features."""
    cols = min(1000, max(2, n // 2))
    return n // cols, cols


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- measurements that run in a child process (clean memory and start-up each time) ----------


def child_update(method: str, n: int) -> dict[str, Any]:
    import resource

    import numpy as np
    from PySide6.QtCore import QStandardPaths, Qt

    from normgui.core.state import State
    from normgui.qt.shell.app import create_app
    from normgui.qt.shell.main_window import MainWindow

    QStandardPaths.setTestModeEnabled(True)  # autosave and settings away from the user's own
    app = create_app()
    data = np.random.default_rng(0).normal(size=shape_for(n))
    window = MainWindow(State(inputs_a=data, method=method))  # as run: autosave and all
    window.show()
    # The same window whatever the screen a first start fits it to (maximized on a small one).
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1320, 720)
    window.store.flush()
    app.processEvents()

    slider, steps = drag_steps(window)

    def drag(painted: QWidget) -> tuple[list[float], list[float]]:
        to_drawn, to_painted = [], []
        for step in steps:
            # What the last change left for the screen is painted here, outside the timing:
            # each change below is then painted exactly once, by the grab.
            app.processEvents()
            start = time.perf_counter()
            slider.setValue(slider.value() + step)
            # The store computes the Frame at the next turn of the event loop; flush() is that
            # turn, without waiting for it: every plot item then holds the new Frame.
            window.store.flush()
            drawn = time.perf_counter()
            painted.grab()  # painted as the screen would show it
            to_drawn.append((drawn - start) * 1000)
            to_painted.append((time.perf_counter() - start) * 1000)
        return to_drawn[2:], to_painted[2:]  # the first two warm up

    to_drawn, to_plots = drag(window.plots)
    more_drawn, to_window = drag(window)
    to_drawn += more_drawn
    app.processEvents()
    repaint = [_timed(window.grab) for _ in range(CHANGES)]
    result = {
        "drawn_median_ms": statistics.median(to_drawn),
        "drawn_p95_ms": _p95(to_drawn),
        "plots_median_ms": statistics.median(to_plots),
        "plots_p95_ms": _p95(to_plots),
        "median_ms": statistics.median(to_window),
        "p95_ms": _p95(to_window),
        "window_repaint_ms": statistics.median(repaint),
        "bare_plots_ms": _bare_plots_paint(window.plots.size()),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "window": f"{window.width()}x{window.height()}",
    }
    window.store.undo_stack.setClean()  # nothing to save: close without asking
    window.close()
    return result


def drag_steps(window: QWidget) -> tuple[QSlider, list[int]]:
    """The γ slider and the steps a drag moves it by: every step writes a new State. Up and
    back down, so that the plots' ranges grow and shrink as they do under a hand."""
    from PySide6.QtWidgets import QSlider

    slider = next(w for w in window.findChildren(QSlider) if w.accessibleName() == "Gamma slider")
    return slider, [1, 3] * (CHANGES // 4) + [-1, -3] * (CHANGES // 4)


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def _bare_plots_paint(size: QSize) -> float:
    """Four pyqtgraph plots with a grid and a sigmoid each, as pyqtgraph draws them by default,
    in a widget the size of normgui's plot area: painted, in ms (the median of several)."""
    import numpy as np
    import pyqtgraph as pg
    from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

    bare = QWidget()
    grid = QGridLayout(bare)
    z = np.linspace(-6.0, 6.0, 801)
    for i in range(4):
        plot = pg.PlotWidget()
        plot.plot(z, 1.0 / (1.0 + np.exp(-z)))
        plot.showGrid(x=True, y=True)
        grid.addWidget(plot, i // 2, i % 2)
    bare.resize(size)
    bare.show()
    QApplication.processEvents()
    times = [_timed(bare.grab) for _ in range(CHANGES)]
    bare.close()
    return statistics.median(times)


def child_numpy_floor(n: int) -> dict[str, Any]:
    import numpy as np

    data = np.random.default_rng(0).normal(size=shape_for(n))
    times = []
    for i in range(CHANGES):
        gamma = 1.0 + 0.05 * (i + 1)
        start = time.perf_counter()
        mean = data.mean(axis=1, keepdims=True)
        var = data.var(axis=1, keepdims=True)
        y = (data - mean) / np.sqrt(var + 1e-5) * gamma
        act = 1.0 / (1.0 + np.exp(-y))
        np.histogram(y, bins=60)
        np.histogram(act, bins=60)
        times.append((time.perf_counter() - start) * 1000)
    times = times[2:]
    return {"median_ms": statistics.median(times), "p95_ms": _p95(times)}


STARTUP_APP = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtCore import QStandardPaths
QStandardPaths.setTestModeEnabled(True)
from normgui.qt.shell.app import create_app
from normgui.qt.shell.main_window import MainWindow
app = create_app()
w = MainWindow()
w.show()
w.store.flush()
app.processEvents()
w.grab()
print((time.time() - t0) * 1000)
"""

STARTUP_BARE = """
import time, sys
t0 = float(sys.argv[1])
from PySide6.QtWidgets import QApplication
import pyqtgraph as pg
app = QApplication([])
w = pg.PlotWidget()
w.plot([1, 2, 3, 4])
w.resize(1320, 720)
w.show()
app.processEvents()
w.grab()
print((time.time() - t0) * 1000)
"""


def run_isolated(args: list[str], env: dict[str, str] | None = None) -> str:
    """Run a child with a home of its own and return what it printed: nothing autosaved by an
    earlier child (a million values, say) is restored, nothing reaches the user's settings."""
    with tempfile.TemporaryDirectory(prefix="normgui-bench-") as home:
        env = {**(env or os.environ), "HOME": home, "XDG_CONFIG_HOME": home, "XDG_DATA_HOME": home}
        out = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    return out.stdout


def startups(children: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Start each child STARTUP_RUNS times, taking them in turns (a busy spell of this shared
    machine then falls on all of them), and return the medians and minima of the milliseconds
    each printed: from the moment it was started to its window painted."""
    times: dict[str, list[float]] = {name: [] for name in children}
    for _ in range(STARTUP_RUNS):
        for name, args in children.items():
            # The clock starts here, in this process: the child's interpreter start-up counts.
            stdout = run_isolated([sys.executable, *args, repr(time.time())])
            times[name].append(float(stdout.strip().splitlines()[-1]))
    return {
        name: {"median_ms": statistics.median(t), "min_ms": min(t)} for name, t in times.items()
    }


def run_child(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    stdout = run_isolated([sys.executable, __file__, "--child", *args], env)
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    results: dict[str, Any] = {"update": [], "startup": {}}
    print(
        f"{'N':>9} {'method':>9} {'drawn':>13} {'plots':>13} {'window':>13} {'peak MB':>8} "
        f"{'numpy floor':>11}   (ms: median / p95)"
    )
    row: dict[str, Any] = {}
    for n in SIZES:
        floor = run_child("floor", str(n))
        for method in METHODS:
            row = {
                "n": n,
                "method": method,
                **run_child("update", method, str(n)),
                "numpy_floor_ms": floor["median_ms"],
            }
            results["update"].append(row)
            print(
                f"{n:>9,} {method:>9} "
                f"{row['drawn_median_ms']:>6.1f} {row['drawn_p95_ms']:>6.1f} "
                f"{row['plots_median_ms']:>6.1f} {row['plots_p95_ms']:>6.1f} "
                f"{row['median_ms']:>6.1f} {row['p95_ms']:>6.1f} "
                f"{row['peak_mb']:>8.0f} {floor['median_ms']:>11.1f}",
                flush=True,
            )
    print(
        f"\nwindow {row['window']}: painted again with nothing changed "
        f"{row['window_repaint_ms']:.1f} ms; four bare pyqtgraph plots the size of the plot "
        f"area painted {row['bare_plots_ms']:.1f} ms"
    )
    started = startups(
        {
            "normgui": ["-c", STARTUP_APP],
            "bare_window": ["-c", STARTUP_BARE],
            "same_widgets": [str(Path(__file__).with_name("same_widgets.py"))],
        }
    )
    app, bare, same = (started[k]["median_ms"] for k in ("normgui", "bare_window", "same_widgets"))
    results["startup"] = {**started, "ratio": app / bare, "same_widgets_ratio": same / bare}
    print(
        f"\nstart-up to a painted window (medians of {STARTUP_RUNS} starts each, in turns): "
        f"normgui {app:.0f} ms, a bare PySide6 + pyqtgraph window {bare:.0f} ms (ratio "
        f"{app / bare:.2f}); a bare window holding normgui's widgets (same_widgets.py) "
        f"{same:.0f} ms (ratio {same / bare:.2f}; normgui to it {app / same:.2f})"
    )
    from painted import painted_table  # (run as a script: its folder is on the path)
    from screen import fps_lines

    results["painted"] = painted_table()
    results["fps"] = fps_lines()
    OUT.write_text(json.dumps(results, indent=2))
    print(f"written to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind = sys.argv[2]
        if kind == "update":
            print(json.dumps(child_update(sys.argv[3], int(sys.argv[4]))))
        elif kind == "painted":
            from painted import child_painted

            print(json.dumps(child_painted(int(sys.argv[3]), sys.argv[4])))
        elif kind == "fps":
            from screen import child_fps

            print(json.dumps(child_fps(int(sys.argv[3]))))
        elif kind == "fps_training":
            from screen import child_fps_training

            print(json.dumps(child_fps_training(int(sys.argv[3]))))
        else:
            print(json.dumps(child_numpy_floor(int(sys.argv[3]))))
    else:
        main()
