"""Start-up: the window opens on the Layer page without making, or importing, what it does not
show (the Training page, its docks' panels, the training engine and the worker that runs it, the
analysis tabs, the SVG export), and each of them works as before when first shown, however it is
opened. (QtSvg is not among them: pyqtgraph imports it with itself.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from test_keyboard_focus import region, walk  # (pytest puts this folder on the path)

from normgui.qt.shell.main_window import MainWindow

# A start as `make bench` times it, in a fresh interpreter: the modules loaded once the window
# is painted, then after the analysis dock is opened, then after the Training page is.
SCRIPT = """
import json, sys
from PySide6.QtCore import QStandardPaths
QStandardPaths.setTestModeEnabled(True)
from normgui.qt.shell.app import create_app
from normgui.qt.shell.main_window import MainWindow

def loaded():
    return sorted(m for m in sys.modules if m.startswith("normgui"))

app = create_app()
window = MainWindow()
window.show()
window.store.flush()
app.processEvents()
window.grab()
report = {
    "start": loaded(),
    "made": [window.pages.made(1), window.training_data_dock.made, window.networks_dock.made,
             window.analysis_dock.built],
}
window.analysis_dock.toggleViewAction().trigger()
app.processEvents()
report["analysis"] = loaded()
report["analysis shown"] = window.analysis_dock.isVisible() and window.analysis_dock.built
window.pages.actions[1].trigger()  # View -> Training, Ctrl+2
app.processEvents()
report["training"] = loaded()
report["training shown"] = [
    window.pages.stack.currentWidget() is window.training and window.training.isVisible(),
    window.training_data_dock.isVisible() and window.training_data_dock.panel().isVisible(),
    window.networks_dock.isVisible() and window.networks_dock.panel().isVisible(),
]
window.store.undo_stack.setClean()
window.close()
print(json.dumps(report))
"""

TRAINING_MODULES = {
    "normgui.qt.training",
    "normgui.qt.training.page",
    "normgui.qt.training.setup_panel",
    "normgui.qt.training.worker",
    "normgui.core.training.runner",
    "normgui.core.training.history",  # (the State and the scenes name a run without these)
    "normgui.core.training.loop",
    "normgui.core.training.network",
}
ANALYSIS_MODULES = {"normgui.qt.analysis.invariance_tab", "normgui.core.analysis"}
EXPORT_MODULES = {"normgui.qt.lecture.svg_flatten"}


def run_start(home: Path) -> dict[str, Any]:
    env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.update(XDG_CONFIG_HOME=str(home), XDG_DATA_HOME=str(home))
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return report


def test_the_first_window_loads_only_what_it_shows(tmp_path: Path) -> None:
    report = run_start(tmp_path)
    start, analysis, training = (set(report[k]) for k in ("start", "analysis", "training"))
    assert not (TRAINING_MODULES | ANALYSIS_MODULES | EXPORT_MODULES) & start
    assert report["made"] == [False, False, False, False]
    # Each part, shown, is made then, and works.
    assert analysis >= ANALYSIS_MODULES and not TRAINING_MODULES & analysis
    assert report["analysis shown"] is True
    assert training >= TRAINING_MODULES
    assert report["training shown"] == [True, True, True]


def test_the_view_menu_opens_a_training_dock_on_the_layer_page(qtbot: QtBot) -> None:
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    dock = window.networks_dock
    assert not dock.made and not dock.isVisible()
    dock.toggleViewAction().trigger()  # View -> Networks
    assert dock.made and dock.isVisible() and dock.panel().isVisible()
    assert dock.widget() is dock.panel()
    assert not window.pages.made(1)  # the page itself waits for its own first show
    dock.toggleViewAction().trigger()
    assert not dock.isVisible()


def test_a_training_dock_made_later_takes_its_place_in_the_tab_order(
    active_window: MainWindow, qtbot: QtBot
) -> None:
    window = active_window
    window.training_data_dock.toggleViewAction().trigger()  # made now, after the window
    visited = walk(window, qtbot, Qt.Key.Key_Tab)  # from Input A round to it
    regions = [region(window, w) for w in visited]
    order = [r for i, r in enumerate(regions) if i == 0 or r != regions[i - 1]]
    # Where the dock's panel was when it was made with the window: after the Normalization
    # dock, before the plots (Qt would have put it last, after the Animation toolbar).
    assert order == [
        "Data",
        "Normalization",
        "Training data",
        "plots",
        "toolbar Animation",
        "Data",  # (the controls above Input A)
    ]
