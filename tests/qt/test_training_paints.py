"""A plot over training paints once per record while a network trains, also when the record
moves its range: pyqtgraph moves a view onto a new range at its next paint, and a transform
changed while painting made the plot paint a second time a turn later."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.state import State
from normgui.core.training.preset import RunConfig
from normgui.core.training.runner import Batch, RunSet
from normgui.core.training.setup import TrainingSetup
from normgui.qt.store import Store
from normgui.qt.training import TrainingPage
from normgui.qt.training._base import SteadyRange

SMALL = RunConfig(hidden=(16, 12), lr=0.5, batch_size=30)
SETUP = TrainingSetup(
    dataset="iris", a=SMALL, b=replace(SMALL, norm="batchnorm"), steps=1000, record_every=10
)


class PaintCounter(QObject):
    """Counts the paint events of the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[TrainingPage]:
    """The page on screen, training: fed by a RunSet here in place of its worker."""
    page = TrainingPage(Store(State(training_setup=SETUP)), "process")
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.controller.worker.stop()  # (the first look's setup: replaced by the runs below)
    page.controller.applied = SETUP
    yield page
    page.close_run()


def look(page: TrainingPage, runs: RunSet) -> None:
    """A look at the worker a step on, then one turn of the event loop (a frame)."""
    batch: Batch = {}
    for run, items in runs.work(0.0).items():
        batch.setdefault(run, []).extend(items)
    page.controller._on_worker_progress(batch, runs.now(within_share=False), runs.step, True, False)
    QApplication.processEvents()


@pytest.mark.parametrize("name", ["drift", "learning"])
def test_a_plot_over_training_paints_once_per_record_while_training(
    page: TrainingPage, name: str
) -> None:
    runs = RunSet(SETUP)
    page.controller._on_worker_started(runs.info, runs.start())
    page.controller.running = True
    for _ in range(3):
        look(page, runs)
    plot = page.training_plots[name]
    view_box = plot.plot.getViewBox() if name == "drift" else plot.loss.getViewBox()  # type: ignore[attr-defined]
    counter = PaintCounter()
    plot.widget.viewport().installEventFilter(counter)
    paints: list[int] = []  # per record drawn: the paints until the next one is
    moved = 0  # records that moved the plot's range
    while len(paints) < 8 and runs.step < SETUP.steps:
        drawn, shown = plot._drawn, view_box.viewRange()  # type: ignore[attr-defined]
        look(page, runs)
        if plot._drawn is not drawn:  # type: ignore[attr-defined]
            paints.append(0)
            moved += view_box.viewRange() != shown
        if paints:
            paints[-1] += counter.count
        counter.count = 0
    paints[-1] += sum(_turns(counter, 3))  # what the last record still had to paint
    assert moved >= 1, "no record moved the range: nothing here tells one paint from two"
    assert paints == [1] * len(paints)


def _turns(counter: PaintCounter, n: int) -> list[int]:
    counts = []
    for _ in range(n):
        counter.count = 0
        QApplication.processEvents()
        counts.append(counter.count)
    return counts


def test_a_steady_range_that_changes_is_painted_in_one_paint(qtbot: QtBot) -> None:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    qtbot.waitExposed(widget)
    plot = widget.getPlotItem()
    plot.getAxis("left").setWidth(48)  # (labels of another width lay the plot out again)
    plot.addItem(pg.PlotDataItem([0.0, 1.0, 2.0], [0.0, 1.0, 0.5]))
    ranges = SteadyRange(plot)
    ranges.show((0.0, 2.0), (0.0, 1.0))
    counter = PaintCounter()
    _turns(counter, 3)  # the first paints, of the plot shown
    widget.viewport().installEventFilter(counter)
    for top in (2.0, 4.0, 8.0):
        assert ranges.show((0.0, 2.0), (0.0, top))
        assert _turns(counter, 3) == [1, 0, 0]
