"""A quick look at the plot area on its own: python -m normgui.qt.plots [--big] [--compare]
[--raw] [--theme NAME] [--activation NAME]."""

from __future__ import annotations

import argparse
import sys

import numpy as np
from PySide6.QtWidgets import QApplication

from normgui.core.state import State
from normgui.qt.plots import PlotArea
from normgui.qt.store import Store
from normgui.qt.theme import THEMES


def preview_state(big: bool, compare: bool, raw: bool, activation: str) -> State:
    rng = np.random.default_rng(0)
    if big:
        a = rng.normal(0.0, 1.0, (1000, 1000))
        b = rng.integers(0, 256, (1000, 1000)).astype(np.float64)
    else:
        a = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 4.0, 8.0, 16.0]])
        b = np.array([[4.0, 5.0, 6.0, 7.0], [0.0, 50.0, 100.0, 255.0]])
    return State(
        inputs_a=a,
        inputs_b=b,
        compare=compare,
        method="layernorm",
        gamma=2.5,
        beta=0.5,
        show_raw=raw,
        activation=activation,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m normgui.qt.plots")
    parser.add_argument("--big", action="store_true", help="1000×1000 inputs")
    parser.add_argument("--compare", action="store_true", help="show B")
    parser.add_argument("--raw", action="store_true", help="show the raw inputs as ghosts")
    parser.add_argument("--theme", choices=sorted(THEMES), default="light")
    parser.add_argument("--activation", default="sigmoid")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    store = Store(preview_state(args.big, args.compare, args.raw, args.activation))
    area = PlotArea(store)
    area.set_theme(THEMES[args.theme])
    area.setWindowTitle("normgui plots")
    area.resize(1400, 900)
    area.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
