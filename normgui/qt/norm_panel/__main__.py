"""A quick look at the normalization panel on its own:
python -m normgui.qt.norm_panel [METHOD] [--per-feature] [--width=320]"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from PySide6.QtWidgets import QApplication

from normgui.core.state import State
from normgui.qt.norm_panel import NormalizationPanel
from normgui.qt.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m normgui.qt.norm_panel")
    parser.add_argument("method", nargs="?", default="layernorm")
    parser.add_argument("--per-feature", action="store_true", help="γ and β per feature")
    parser.add_argument("--width", type=int, default=320, help="the panel's width in pixels")
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    data = np.random.default_rng(0).normal(3.0, 2.0, size=(5, 3)).round(2)
    state = State(
        inputs_a=data,
        method=args.method,
        per_feature=args.per_feature,
        gamma_features=(1.5, 1.0, 0.5),
        beta_features=(0.0, 0.25, -0.5),
    )
    store = Store(state)
    store.error.connect(lambda message: print("error:", message))
    store.notice.connect(lambda message: print("notice:", message))
    panel = NormalizationPanel(store)
    panel.setWindowTitle("normgui — normalization panel")
    panel.resize(args.width, 980)
    panel.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
