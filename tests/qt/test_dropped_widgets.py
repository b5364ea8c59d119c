"""Every window, page, panel, dock, dialog and plot area, dropped while the app lives, is deleted
by Qt with all it holds, and leaves no widget for Python's cycle collector to delete.

The collector runs at whatever allocation comes next: inside a Qt call that walks a list of
widgets (QApplication.topLevelWidgets() turning its pointers into Python objects, a palette
change sent to every widget), or in another Python thread (the training worker's, the autosave
writer's). A widget it deletes there leaves Qt reading freed memory: the widget tests crashed at
random places when they shared one process. The widgets it found were pyqtgraph's "Plot Options"
menus: a parentless QMenu (and its six submenus) made for every plot, owned by the plot's Python
object, which outlives the plot in a reference cycle.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from normgui.core.state import State
from normgui.qt.analysis import AnalysisDock
from normgui.qt.data_panel import InputPanel
from normgui.qt.norm_panel import NormalizationPanel
from normgui.qt.plots import PlotArea
from normgui.qt.shell.about import AboutDialog
from normgui.qt.store import Store
from normgui.qt.training import DataSetupPanel, NetworkSetupPanel, TrainingPage


def _main_window(store: Store) -> QWidget:
    """The whole window, with every part made: both pages, all docks, the analysis tabs."""
    from normgui.qt.shell.main_window import MainWindow

    window = MainWindow(State(compare=True, inputs_b=[[4.0, 5.0, 6.0, 7.0]]), persist=False)
    window.analysis_dock.show()
    window.pages.show_page(1)  # the Training page, its plots and its docks' panels
    window.pages.show_page(0)
    return window


def _training_page(store: Store) -> QWidget:
    page = TrainingPage(store)
    assert page.plots.plot_widgets  # (made on first use)
    return page


MAKERS: dict[str, Callable[[Store], QWidget]] = {
    "main window": _main_window,
    "plot area": PlotArea,
    "training page": _training_page,
    "analysis dock": AnalysisDock,
    "input panel": InputPanel,
    "normalization panel": NormalizationPanel,
    "training data panel": DataSetupPanel,
    "networks panel": NetworkSetupPanel,
    "about box": lambda store: AboutDialog(),
}


def widgets_left_to_the_collector() -> list[str]:
    """The live widgets that only Python's cycle collector would delete now, by class. The
    garbage is kept aside to be looked at (DEBUG_SAVEALL), then collected here, at a known
    point, rather than by whichever allocation comes next."""
    flags = gc.get_debug()
    gc.set_debug(flags | gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        found = sorted(
            type(o).__name__
            for o in gc.garbage
            if isinstance(o, QWidget) and shiboken6.isValid(o) and shiboken6.ownedByPython(o)
        )
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()
    gc.collect()
    return found


def drop(widget: QWidget) -> None:
    """Close `widget` and let Qt delete it, as the event loop does after deleteLater (which a
    test's own event loops leave waiting: their deferred deletions are sent here)."""
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def made(name: str, qtbot: QtBot, store: Store) -> Iterator[Callable[[], QWidget]]:
    """A function making the widget of the test's `name` and showing it; the garbage of earlier
    tests is collected first, so that what is found afterwards is this widget's."""
    gc.collect()
    made: list[weakref.ref[QWidget]] = []  # (a strong reference would keep what it holds)

    def make() -> QWidget:
        widget = MAKERS[name](store)
        widget.show()
        qtbot.waitExposed(widget)
        made.append(weakref.ref(widget))
        return widget

    yield make
    for ref in made:
        widget = ref()
        if widget is not None and shiboken6.isValid(widget):  # (the test failed before drop)
            drop(widget)


@pytest.mark.parametrize("name", MAKERS)
def test_a_dropped_widget_is_deleted_by_qt_with_all_it_holds(
    name: str, made: Callable[[], QWidget]
) -> None:
    widget = made()
    pointer = shiboken6.getCppPointer(widget)[0]
    drop(widget)
    assert not shiboken6.isValid(widget), f"the {name} outlived deleteLater"
    del widget
    assert widgets_left_to_the_collector() == []
    tops = [shiboken6.getCppPointer(w)[0] for w in QApplication.topLevelWidgets()]
    assert pointer not in tops
