"""A quick look at the analysis dock on its own:
python -m normgui.qt.analysis [TAB] [--method NAME] [--dark]

TAB is invariance, compare, sensitivity, running or explain. The data is a 6×4 batch with B
beside it and a few Steps of BatchNorm's running statistics.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from PySide6.QtWidgets import QApplication

from normgui.core.normalize import METHODS, RunningStats, update_running_stats
from normgui.core.state import State
from normgui.qt.analysis.dock import AnalysisDock
from normgui.qt.store import Store
from normgui.qt.theme import DARK

TABS = ("invariance", "compare", "sensitivity", "running", "explain")


def preview_state(method: str) -> State:
    a = np.random.default_rng(1).normal(2.0, 1.5, (6, 4)).round(2)
    history = []
    stats = RunningStats.initial(4)
    for _ in range(5):
        stats = update_running_stats(stats, a, 0.3)
        history.append(stats)
    return State(
        inputs_a=a,
        inputs_b=a * 1.5 + 1.0,
        compare=True,
        method=method,
        momentum=0.3,
        running_history=tuple(history),
        selected_sample=1,
        selected_feature=2,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m normgui.qt.analysis")
    parser.add_argument("tab", nargs="?", choices=TABS, default="invariance")
    parser.add_argument("--method", choices=METHODS, default="batchnorm")
    parser.add_argument("--dark", action="store_true")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    store = Store(preview_state(args.method))
    store.notice.connect(lambda message: print("notice:", message))
    store.error.connect(lambda message: print("error:", message))
    dock = AnalysisDock(store)
    dock.tabs.setCurrentWidget(getattr(dock, args.tab))
    if args.dark:
        dock.set_theme(DARK)
    dock.resize(1300, 300)
    dock.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
