"""A quick look at the data panel on its own: python -m normgui.qt.data_panel"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from normgui.qt.data_panel import InputPanel
from normgui.qt.store import Store


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    store = Store()
    store.error.connect(lambda message: print("error:", message))
    panel = InputPanel(store)
    panel.setWindowTitle("normgui — data")
    panel.resize(330, 720)
    panel.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
