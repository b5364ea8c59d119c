"""The Training page's frames while a network trains: a look at the worker that brings a new
step only redraws the Now plot (its points at that step), never the plots of the records; a
new record reaches those one a frame, and each paints it once, also when it moves the plot's
range; paused, everything is drawn at once."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.state import State
from normgui.core.training.preset import RunConfig
from normgui.core.training.runner import WORKER_NICENESS, Batch, RunSet
from normgui.core.training.setup import TrainingSetup
from normgui.qt.store import Store
from normgui.qt.training import TrainingPage, TrainingWorker
from normgui.qt.training._base import SteadyRange

SMALL = RunConfig(hidden=(16, 12), lr=0.5, batch_size=30)
SETUP = TrainingSetup(
    dataset="iris", a=SMALL, b=replace(SMALL, norm="batchnorm"), steps=1000, record_every=10
)
RECORDS = ("learning", "drift", "layers")


@pytest.fixture
def page(qtbot: QtBot) -> Iterator[TrainingPage]:
    """The page on screen, fed by a RunSet here in place of its worker (the same messages)."""
    page = TrainingPage(Store(State(training_setup=SETUP)), "process")
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    qtbot.waitExposed(page)
    page.controller.worker.stop()  # (the first look's setup: replaced by the runs below)
    page.controller.applied = SETUP
    yield page
    page.close_run()


def look(page: TrainingPage, runs: RunSet, steps: int) -> None:
    """What a look at the worker brings after `steps` more slices of training (a step each, or
    the records due); stopped, the records a slice left due too, as the worker's Pause does."""
    batch: Batch = {}
    for _ in range(steps):
        merge(batch, runs.work(0.0))
    running = page.controller.running
    if not running and runs.pending:
        merge(batch, runs.to_next_record())
    now = runs.now(within_share=False)
    page.controller._on_worker_progress(batch, now, runs.step, running, False)
    QApplication.processEvents()


def merge(batch: Batch, more: Batch) -> None:
    for run, items in more.items():
        batch.setdefault(run, []).extend(items)


def test_a_new_step_redraws_the_now_plot_only_and_a_record_comes_one_plot_a_frame(
    page: TrainingPage,
) -> None:
    runs = RunSet(SETUP)
    page.controller._on_worker_started(runs.info, runs.start())
    page.controller.running = True
    look(page, runs, 2)
    plots = page.training_plots
    drawn = {name: plots[name]._drawn for name in RECORDS}  # type: ignore[attr-defined]
    now_points = plots["now"].marks["A"].getData()[0]  # type: ignore[attr-defined]
    look(page, runs, 2)  # step 4: no record
    assert {name: plots[name]._drawn for name in RECORDS} == drawn  # type: ignore[attr-defined]
    moved = plots["now"].marks["A"].getData()[0]  # type: ignore[attr-defined]
    assert moved is not now_points and "step 4" in plots["now"].step.toPlainText()  # type: ignore[attr-defined]
    look(page, runs, 6)  # step 10: A's record (B's comes with a later look)
    history = page.controller.history
    while len(history.records["B"]) < 2:
        # A's record waits for B's: nothing new to draw yet.
        assert all(plots[name].shows(page.view()) for name in RECORDS)
        look(page, runs, 1)
    assert [plots[name].shows(page.view()) for name in RECORDS] == [True, False, False]
    look(page, runs, 1)
    assert [plots[name].shows(page.view()) for name in RECORDS] == [True, True, False]
    look(page, runs, 1)
    assert all(plots[name].shows(page.view()) for name in RECORDS)


def test_paused_a_record_is_drawn_by_every_plot_at_once(page: TrainingPage) -> None:
    runs = RunSet(SETUP)
    page.controller._on_worker_started(runs.info, runs.start())
    page.controller.running = True
    look(page, runs, 3)
    page.controller.running = False
    look(page, runs, 7)  # step 10, paused (a Step)
    plots = page.training_plots
    assert all(plots[name].shows(page.view()) for name in RECORDS)
    learning = plots["learning"]
    x, _ = learning.lines[learning.loss, "B"].getData()  # type: ignore[attr-defined]
    assert list(x) == [0, 10]


def test_a_run_ahead_of_the_other_waits_for_it_while_training(page: TrainingPage) -> None:
    """A's record at step 10 comes before B's: the plots of the records draw it with B's."""
    runs = RunSet(SETUP)
    page.controller._on_worker_started(runs.info, runs.start())
    page.controller.running = True
    look(page, runs, 10)  # to step 10, and A's record there (B's left due)
    history = page.controller.history
    assert [len(history.records[run]) for run in ("A", "B")] == [2, 1]
    assert page.view().records("A")[-1].step == 0
    page.controller.running = False
    assert page.view().records("A")[-1].step == 10


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="process priorities are POSIX's")
def test_the_worker_trains_at_a_lower_priority_than_the_window(qtbot: QtBot) -> None:
    """The window's frames come first: the worker process takes the CPU they leave."""
    worker = TrainingWorker("process")
    try:
        with qtbot.waitSignal(worker.started, timeout=20_000):
            worker.setup(SETUP)
        runner = worker._runner
        assert isinstance(runner, multiprocessing.process.BaseProcess) and runner.pid
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, runner.pid) == min(19, mine + WORKER_NICENESS)
    finally:
        worker.stop()


def test_ranges_follow_points_drifting_outwards_now_and_then_not_at_every_frame(
    qtbot: QtBot,
) -> None:
    """The Now plot's range grows with room to spare when its points leave it (each change
    repaints the whole plot); a plot over training keeps the x range of the run's steps."""
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    plot = widget.getPlotItem()
    now = SteadyRange(plot, headroom=0.25, steady_x=True)
    changes = 0
    shown = []
    for reach in np.linspace(6.0, 9.0, 60):  # points drifting out over a second of frames
        across = now.steady_x((-reach, reach))  # what the Now plot draws its curves across
        now.show(across, (0.0, 1.0))
        x = tuple(plot.getViewBox().viewRange()[0])
        assert x == pytest.approx(across)  # the curves reach the plot's edges
        changes += not shown or x != shown[-1]
        shown.append(x)
        assert x[0] <= -reach and reach <= x[1]
    assert changes <= 3, shown
    steps = SteadyRange(plot)
    steps.show((0.0, 3000.0), (0.0, 1.0))
    steps.show((0.0, 2000.0), (0.0, 0.9))  # fewer steps after a Reset; y fits still
    (x0, x1), (y0, y1) = plot.getViewBox().viewRange()
    assert (x0, x1) == pytest.approx((0.0, 2000.0)) and (y0, y1) == pytest.approx((0.0, 1.0))


class PaintCounter(QObject):
    """Counts the paint events of the widget it watches."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def turns(counter: PaintCounter, n: int) -> list[int]:
    """The paints `counter` sees in each of `n` turns of the event loop."""
    counts = []
    for _ in range(n):
        counter.count = 0
        QApplication.processEvents()
        counts.append(counter.count)
    return counts


@pytest.mark.parametrize("name", ["drift", "learning"])
def test_a_plot_over_training_paints_once_per_record_while_training(
    page: TrainingPage, name: str
) -> None:
    """pyqtgraph moves a view onto a new range at its next paint: a transform changed while
    painting made the plot paint a second time a turn later."""
    runs = RunSet(SETUP)
    page.controller._on_worker_started(runs.info, runs.start())
    page.controller.running = True
    look(page, runs, 3)
    plot = page.training_plots[name]
    item = plot.plot if name == "drift" else plot.loss  # type: ignore[attr-defined]
    view_box = item.getViewBox()
    counter = PaintCounter()
    plot.widget.viewport().installEventFilter(counter)
    paints: list[int] = []  # per record drawn: the paints until the next one is
    moved = 0  # records that moved the plot's range
    while len(paints) < 8 and runs.step < SETUP.steps:
        drawn, shown = plot._drawn, view_box.viewRange()  # type: ignore[attr-defined]
        look(page, runs, 1)
        if plot._drawn is not drawn:  # type: ignore[attr-defined]
            paints.append(0)
            moved += view_box.viewRange() != shown
        if paints:
            paints[-1] += counter.count
        counter.count = 0
    paints[-1] += sum(turns(counter, 3))  # what the last record still had to paint
    assert moved >= 1, "no record moved the range: nothing here tells one paint from two"
    assert paints == [1] * len(paints)


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
    turns(counter, 3)  # the first paints, of the plot shown
    widget.viewport().installEventFilter(counter)
    for top in (2.0, 4.0, 8.0):
        assert ranges.show((0.0, 2.0), (0.0, top))
        assert turns(counter, 3) == [1, 0, 0]
