"""A quick look at the Training page on its own, with its setup beside it:
python -m normgui.qt.training [--thread]"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from normgui.qt.store import Store
from normgui.qt.training import DataSetupPanel, NetworkSetupPanel, TrainingPage


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    store = Store()
    store.error.connect(lambda message: print("error:", message))
    window = QWidget()
    window.setWindowTitle("normgui — training")
    page = TrainingPage(store, "thread" if "--thread" in sys.argv else "process")
    side = QVBoxLayout()
    side.addWidget(DataSetupPanel(store))
    side.addWidget(NetworkSetupPanel(store))
    layout = QHBoxLayout(window)
    layout.addLayout(side)
    layout.addWidget(page, 1)
    window.resize(1366, 740)
    window.show()
    app.aboutToQuit.connect(page.close_run)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
