"""The Training page: it builds, Run / Pause / Step / Reset work, records arrive and are drawn,
the window stays responsive while it trains, Open in Layer view, the setup in the State (undo),
a diverging run said in words, and closing while training."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from normgui.core.state import State
from normgui.core.training.preset import RunConfig
from normgui.core.training.setup import TrainingSetup
from normgui.qt.shell.main_window import MainWindow
from normgui.qt.store import Store
from normgui.qt.training import DataSetupPanel, NetworkSetupPanel, TrainingPage

SMALL = RunConfig(hidden=(16, 12), lr=0.5, batch_size=30)
TIMEOUT_MS = 20_000


def small_setup(**changes: object) -> TrainingSetup:
    setup = TrainingSetup(
        dataset="iris",
        a=SMALL,
        b=replace(SMALL, norm="batchnorm"),
        steps=60,
        record_every=10,
    )
    return setup.replace(**changes)


# The worker in a process, as the app runs it: in a thread of this process, Python's cycle
# collector may run in that thread and free the widgets of earlier tests there, which Qt does not
# survive (the suite crashed at random places).
@pytest.fixture(params=["process"])
def page(request: pytest.FixtureRequest, qtbot: QtBot) -> Iterator[TrainingPage]:
    store = Store(State(training_setup=small_setup()))
    page = TrainingPage(store, request.param)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    yield page
    page.close_run()


def wait_for_step(qtbot: QtBot, page: TrainingPage, step: int) -> None:
    qtbot.waitUntil(lambda: page.controller.step >= step, timeout=TIMEOUT_MS)


def test_the_page_builds_with_its_controls_named(page: TrainingPage) -> None:
    assert page.accessibleName() == "Training"
    assert page.run_button.accessibleName() == "Run training"
    assert page.step_label.accessibleName() == "Training step"
    assert "Step 0 of 60" in page.step_label.text()
    assert set(page.plots.plots) == {"learning", "drift", "layers", "now"}


def test_run_trains_to_the_end_and_the_plots_draw_every_record(
    qtbot: QtBot, page: TrainingPage
) -> None:
    page.run_button.click()
    assert page.run_button.accessibleName() == "Pause training"
    qtbot.waitUntil(lambda: page.controller.finished, timeout=TIMEOUT_MS)
    assert page.run_button.accessibleName() == "Run training"
    assert "60" in page.step_label.text()
    history = page.controller.history
    assert [r.step for r in history.records["B"]] == [0, 10, 20, 30, 40, 50, 60]
    learning = page.training_plots["learning"]
    x, y = learning.lines[learning.accuracy, "B"].getData()  # type: ignore[attr-defined]
    assert list(x) == [0, 10, 20, 30, 40, 50, 60] and np.all((y >= 0) & (y <= 1))
    now = page.training_plots["now"]
    assert now.marks["A"].isVisible() and "linear" in now.readout.textItem.toPlainText()  # type: ignore[attr-defined]


def test_step_trains_to_the_next_record_and_reset_starts_over(
    qtbot: QtBot, page: TrainingPage
) -> None:
    page.step_button.click()
    wait_for_step(qtbot, page, 10)
    assert not page.controller.running and len(page.controller.history) == 2
    first = repr(page.controller.history.records["A"][1])
    page.reset_button.click()
    assert page.controller.step == 0 and len(page.controller.history) == 0
    page.step_button.click()
    wait_for_step(qtbot, page, 10)
    assert repr(page.controller.history.records["A"][1]) == first  # the same seed, the same run


def test_pause_stops_within_100_ms_and_the_slider_scrubs_the_history(
    qtbot: QtBot, page: TrainingPage
) -> None:
    page.store.set_state(page.store.state.replace(training_setup=small_setup(steps=100_000)))
    page.controller.run()
    wait_for_step(qtbot, page, 30)
    clock = QElapsedTimer()
    clock.start()
    page.run_button.click()
    assert not page.controller.running
    qtbot.wait(150)  # the worker's last reply
    step = page.controller.step
    qtbot.wait(200)
    assert page.controller.step == step, "training went on after Pause"
    assert page.slider.isEnabled() and page.slider.maximum() >= 3
    page.slider.setValue(1)
    assert page.controller.upto == 1 and "Step 10 of" in page.step_label.text()


def test_the_window_stays_responsive_while_training(qtbot: QtBot) -> None:
    # In the worker process the page uses by default (a thread of the window's process was
    # measured late by some 150 ms on this machine: see the worker's module).
    page = TrainingPage(Store(State(training_setup=small_setup(steps=100_000))))
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    page.controller.run()
    wait_for_step(qtbot, page, 10)
    delays: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        delays.append(now - last[0] - 0.010)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()
    qtbot.wait(1500)
    timer.stop()
    page.close_run()
    p95 = float(np.percentile(delays, 95))
    # 33 ms is the target, which the benchmark measures (tests/perf/bench_training_page.py);
    # this test says only that the window keeps answering while the worker trains (a worker
    # thread in this process was late by some 150 ms and more), with slack for a loaded machine.
    assert p95 < 0.25, f"the 10 ms timer was late by {p95 * 1000:.0f} ms (p95)"


def test_a_change_while_trained_waits_for_reset_and_says_so(
    qtbot: QtBot, page: TrainingPage
) -> None:
    page.step_button.click()
    wait_for_step(qtbot, page, 10)
    store = page.store
    store.set_state(
        store.state.replace(training_setup=store.state.training_setup.with_run("A", lr=0.1))
    )
    assert page.status.isVisibleTo(page) and "next Reset" in page.status.text()
    assert page.controller.applied is not None and page.controller.applied.a.lr == 0.5
    page.reset_button.click()
    assert page.controller.applied is not None and page.controller.applied.a.lr == 0.1
    assert not page.status.isVisibleTo(page)


def test_a_change_before_the_first_step_applies_at_once(page: TrainingPage) -> None:
    page.controller.reset()
    store = page.store
    store.set_state(store.state.replace(training_setup=small_setup(steps=30)))
    assert page.controller.applied == small_setup(steps=30)
    assert "of 30" in page.step_label.text()


def test_a_diverging_run_is_reported_in_words_on_the_page(
    qtbot: QtBot, page: TrainingPage, tmp_path: Path
) -> None:
    # Values near 1e150 and a large rate: the first update makes the logits overflow.
    rng = np.random.default_rng(0)
    rows = [f"{a:.6e},{b:.6e},{int(a > b)}" for a, b in rng.normal(size=(120, 2)) * 1e150]
    path = tmp_path / "huge.csv"
    path.write_text("x1,x2,label\n" + "\n".join(rows) + "\n", encoding="utf-8")
    wild = replace(SMALL, hidden=(16,), lr=100.0, activation="relu", init="xavier")
    huge = small_setup(dataset="csv", csv_path=str(path), label_column="label")
    page.store.set_state(
        page.store.state.replace(training_setup=huge.replace(a=wild, compare=False, steps=200))
    )
    page.controller.run()
    qtbot.waitUntil(lambda: page.controller.finished, timeout=TIMEOUT_MS)
    assert page.status.isVisibleTo(page)
    assert "diverged" in page.status.text() and "learning rate" in page.status.text()


def test_open_in_layer_view_puts_the_layer_batch_into_input_a(
    qtbot: QtBot, page: TrainingPage
) -> None:
    store = page.store
    store.set_state(
        store.state.replace(
            training_setup=small_setup(
                a=SMALL.__class__(hidden=(16, 12), norm="batchnorm", lr=0.5, batch_size=30), layer=0
            )
        )
    )
    page.step_button.click()
    wait_for_step(qtbot, page, 10)
    depth = store.undo_stack.count()
    page.open_button.click()
    qtbot.waitUntil(lambda: store.state.inputs_a.shape[1] == 16, timeout=TIMEOUT_MS)
    state = store.state
    assert state.method == "batchnorm" and state.per_feature and len(state.gamma_features) == 16
    assert state.running.count == 10 and state.training
    assert state.inputs_a.shape[0] > 30  # the probe batch
    assert store.undo_stack.count() == depth + 1  # one undo step
    store.undo_stack.undo()
    assert store.state.inputs_a.shape == (1, 4)


def test_undo_covers_the_setup_and_the_docks_follow(qtbot: QtBot) -> None:
    store = Store(State(training_setup=small_setup()))
    data, network = DataSetupPanel(store), NetworkSetupPanel(store)
    qtbot.addWidget(data)
    qtbot.addWidget(network)
    data.steps.setValue(500)
    assert store.state.training_setup.steps == 500
    combo = network.controls["B", "norm"]
    combo.setCurrentIndex(combo.findData("layernorm"))  # type: ignore[attr-defined]
    combo.activated.emit(combo.currentIndex())  # type: ignore[attr-defined]
    assert store.state.training_setup.b.norm == "layernorm"
    store.undo_stack.undo()
    assert store.state.training_setup.b.norm == "batchnorm"
    assert combo.currentData() == "batchnorm"  # type: ignore[attr-defined]
    store.undo_stack.undo()
    assert data.steps.value() == 60
    data.compare.setChecked(False)
    assert not network.controls["B", "lr"].isEnabled()


def test_a_bad_hidden_size_is_refused_in_words(qtbot: QtBot) -> None:
    store = Store(State(training_setup=small_setup()))
    network = NetworkSetupPanel(store)
    qtbot.addWidget(network)
    line = network.controls["A", "hidden"]
    with qtbot.waitSignal(store.error) as said:
        line.setText("100, lots")  # type: ignore[attr-defined]
        line.editingFinished.emit()  # type: ignore[attr-defined]
    assert "hidden layers" in said.args[0]
    assert line.text() == "16, 12"  # type: ignore[attr-defined]


def test_the_worker_process_trains_and_closing_ends_it(qtbot: QtBot) -> None:
    store = Store(State(training_setup=small_setup(steps=100_000)))
    page = TrainingPage(store, "process")
    qtbot.addWidget(page)
    page.controller.run()
    wait_for_step(qtbot, page, 20)
    worker = page.controller.worker
    runner = worker._runner
    assert runner is not None and runner.is_alive()
    start = time.perf_counter()
    page.close_run()
    assert time.perf_counter() - start < 1.5 and not runner.is_alive()
    QApplication.processEvents()


def test_the_window_switches_pages_with_their_docks(qtbot: QtBot) -> None:
    from normgui.qt.shell.main_window import MainWindow

    window = MainWindow(State(training_setup=small_setup()), persist=False)
    qtbot.addWidget(window)
    window.show()
    assert window.pages.index == 0 and window.data_dock.isVisible()
    assert not window.training_data_dock.isVisible()
    window.pages.actions[1].trigger()  # View → Training, Ctrl+2
    assert window.pages.actions[1].shortcut().toString() == "Ctrl+2"
    assert window.pages.stack.currentWidget() is window.training
    assert window.training_data_dock.isVisible() and window.networks_dock.isVisible()
    assert not window.data_dock.isVisible() and not window.norm_dock.isVisible()
    window.networks_dock.close()  # each page keeps its own docks
    window.pages.actions[0].trigger()
    assert window.data_dock.isVisible() and not window.training_data_dock.isVisible()
    window.pages.show_page(1)
    assert window.training_data_dock.isVisible() and not window.networks_dock.isVisible()
    layout = window.saveState()
    assert window.restoreState(layout)
    # Space runs the training on this page
    window.setFocus()
    window.lecture.space_action.trigger()
    assert window.training.controller.running
    window.lecture.space_action.trigger()
    assert not window.training.controller.running


def test_closing_the_window_while_training_stops_at_once(qtbot: QtBot) -> None:
    from normgui.qt.shell.main_window import MainWindow

    window = MainWindow(State(training_setup=small_setup(steps=100_000)), persist=False)
    qtbot.addWidget(window)
    window.show()
    window.pages.show_page(1)
    window.training.controller.run()
    wait_for_step(qtbot, window.training, 20)
    runner = window.training.controller.worker._runner
    start = time.perf_counter()
    assert window.close()
    assert time.perf_counter() - start < 1.5
    assert runner is not None and not runner.is_alive()
    assert window.pages.index == 0  # the layout kept is the Layer page's


def test_a_session_and_the_autosave_keep_the_training_setup(qtbot: QtBot, tmp_path: object) -> None:
    from pathlib import Path

    from normgui.session import load, save

    store = Store(State(training_setup=small_setup()))
    store.update("Seed", training_setup=small_setup(seed=5))
    path = Path(str(tmp_path)) / "run.normgui"
    save(store.state, path)
    assert load(path).training_setup.seed == 5
    store.undo_stack.undo()
    assert store.state.training_setup.seed == 0


def test_the_page_opens_on_the_network_at_step_0(qtbot: QtBot, page: TrainingPage) -> None:
    page.show()
    qtbot.waitUntil(lambda: len(page.controller.history) == 1, timeout=TIMEOUT_MS)
    learning = page.training_plots["learning"]
    x, y = learning.lines[learning.accuracy, "A"].getData()  # type: ignore[attr-defined]
    assert list(x) == [0] and 0 <= y[0] <= 1
    assert learning.lines[learning.accuracy, "A"].opts["symbol"] == "o"  # type: ignore[attr-defined]
    now = page.training_plots["now"]
    assert now.marks["A"].isVisible() and now.marks["B"].isVisible()  # type: ignore[attr-defined]
    assert "Step 0 of 60" in page.step_label.text()


def test_open_in_layer_view_says_which_step_it_takes_when_scrubbed(
    page: TrainingPage,
) -> None:
    page.controller.train_here()
    assert page.open_button.text() == "Open in Layer view"
    page.slider.setValue(2)
    assert page.open_button.text() == "Open step 60 in Layer view"
    assert "at step 60" in page.open_button.toolTip()
    assert "step 20" in page.open_button.toolTip()


def test_a_history_from_a_session_shows_at_once_and_says_run_starts_again(
    qtbot: QtBot, page: TrainingPage
) -> None:
    from normgui.core.training.runner import train_all
    from normgui.session import dumps, loads_session

    history = train_all(small_setup())
    state, kept = loads_session(dumps(State(training_setup=small_setup()), history))
    assert kept is not None
    page.store.reset(state)
    page.controller.show_history(kept)
    assert page.controller.from_file and page.controller.finished
    assert "Step 60 of 60" in page.step_label.text()
    assert "session file" in page.status.text() and "step 0" in page.status.text()
    learning = page.training_plots["learning"]
    x, _ = learning.lines[learning.accuracy, "B"].getData()  # type: ignore[attr-defined]
    assert list(x) == [0, 10, 20, 30, 40, 50, 60]
    assert page.run_button.isEnabled() and page.step_button.isEnabled()
    with qtbot.waitSignal(page.store.error) as said:
        page.open_button.click()
    assert "without its network's weights" in said.args[0]
    page.step_button.click()  # trains again, from step 0
    assert not page.controller.from_file
    wait_for_step(qtbot, page, 10)
    assert repr(page.controller.history.records["A"][1]) == repr(history.records["A"][1])


def test_a_csv_label_column_is_chosen_and_a_bad_one_said_in_words(
    qtbot: QtBot, tmp_path: object
) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "flowers.csv"
    rows = [f"{'ab'[i % 2]},{i * 0.37 % 5:.2f},{i * 0.91 % 3:.2f}" for i in range(40)]
    path.write_text("kind,length,width\n" + "\n".join(rows) + "\n", encoding="utf-8")
    store = Store(State(training_setup=small_setup()))
    data = DataSetupPanel(store)
    qtbot.addWidget(data)
    data.choose_csv(str(path))
    # The last column is tried first: its numbers are no classes.
    assert [data.label_column.itemText(i) for i in range(3)] == ["kind", "length", "width"]
    assert data.label_column.currentText() == "width"
    assert data.csv_problem.isVisibleTo(data) and "flowers.csv" in data.csv_problem.text()
    assert store.state.training_setup.dataset == "iris"  # nothing changed yet
    assert data.dataset.currentData() == "csv" and data.label_column.isVisibleTo(data)
    data.label_column.activated.emit(0)
    setup = store.state.training_setup
    assert (setup.dataset, setup.csv_path, setup.label_column) == ("csv", str(path), "kind")
    assert not data.csv_problem.isVisibleTo(data)
    store.undo_stack.undo()
    assert data.dataset.currentData() == "iris" and not data.label_column.isVisibleTo(data)


def test_run_right_after_pause_keeps_running(qtbot: QtBot, page: TrainingPage) -> None:
    """Space pressed twice quickly: Pause's reply (running: no) reaches the window after Run
    was sent; the page must not then show a paused run while the worker trains on."""
    page.controller.store.update("Longer", training_setup=small_setup(steps=100_000))
    page.controller.reset()
    page.controller.run()
    wait_for_step(qtbot, page, 10)
    page.controller.pause()
    time.sleep(0.1)  # the worker has read Pause and sent its reply before Run is pressed
    page.controller.run()
    step = page.controller.step
    qtbot.waitUntil(lambda: page.controller.step > step + 10, timeout=TIMEOUT_MS)
    assert page.controller.running
    assert page.run_button.text() == "Pause"


def test_the_now_plot_puts_each_run_on_its_own_activation(page: TrainingPage) -> None:
    """B with tanh beside A with the sigmoid: B's points are tanh of its inputs, on a curve of
    its own, not the sigmoid of them."""
    setup = small_setup(b=replace(SMALL, norm="batchnorm", activation="tanh"))
    page.store.set_state(page.store.state.replace(training_setup=setup))
    page.controller.train_here()
    now = page.training_plots["now"]
    for run, function in (("A", lambda y: 1 / (1 + np.exp(-y))), ("B", np.tanh)):
        y, out = now.marks[run].getData()  # type: ignore[attr-defined]
        assert y.size > 0
        np.testing.assert_allclose(out, function(y), rtol=1e-12, atol=1e-12)
    assert now.curve_b.isVisible()  # type: ignore[attr-defined]
    page.store.set_state(page.store.state.replace(training_setup=small_setup()))
    page.controller.train_here()
    now = page.training_plots["now"]  # (brought up to date: the page is not shown)
    assert not now.curve_b.isVisible()  # type: ignore[attr-defined]


def test_export_and_copy_on_the_training_page_draw_its_plots(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """File → Export plots and Edit → Copy plots take the page in front: on the Training page,
    the training plots, not the Layer page's."""
    from normgui.qt.lecture import exporting
    from normgui.qt.shell.main_window import MainWindow

    drawn: list[object] = []
    monkeypatch.setattr(exporting, "save_plots", lambda plots, *a: drawn.append(plots))
    monkeypatch.setattr(exporting, "copy_to_clipboard", lambda plots, *a: drawn.append(plots))
    monkeypatch.setattr(
        exporting.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / "plots.png"), exporting.FORMATS[".png"]),
    )
    window = MainWindow(State(training_setup=small_setup()), persist=False)
    qtbot.addWidget(window)
    window.show()
    window.pages.show_page(1)
    window.export_action.trigger()
    window.lecture.copy_action.trigger()
    window.pages.show_page(0)
    window.export_action.trigger()
    assert drawn == [window.training.plots, window.training.plots, window.plots]
    window.training.close_run()


def test_space_and_page_down_after_a_scene_s_run_ends(qtbot: QtBot) -> None:
    """A training scene's run ends with the keyboard on Run, which is then disabled: the keyboard
    goes to the window, not on to the next button (Reset), so the Space that ran and paused the
    run does nothing to it now, and Page Down opens the next scene (not a record before)."""
    window = MainWindow(persist=False)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    lecture = window.lecture
    index = next(i for i, s in enumerate(lecture.scenes) if s.training is not None)
    lecture.show_scene(index)  # opens the Training page, which trains the scene's run
    page = window.training
    qtbot.waitUntil(lambda: page.controller.finished, timeout=TIMEOUT_MS)
    assert QApplication.focusWidget() is window
    step = page.controller.step
    qtbot.keyClick(window, Qt.Key.Key_Space)
    qtbot.wait(200)
    assert page.controller.finished and page.controller.step == step
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert lecture.index == index + 1
    page.close_run()
