"""The Training page's centre: Run / Pause, Step, Reset, the step, the history slider, the layer
looked into, what the page has to say, and the four live plots."""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from normgui.qt.plots import Plot, PlotArea
from normgui.qt.store import Store
from normgui.qt.theme import Theme
from normgui.qt.training._base import LAYER_MODES, TrainingPlot, View
from normgui.qt.training.controller import TrainingController
from normgui.qt.widgets.banner import Banner

# The Training page's plots by name, in their places (two a row).
TRAINING_PLOTS: Final = ("learning", "drift", "layers", "now")
# Four plots share the screen here, the Layer page's look on a projector is for two or three:
# its text and lines a little smaller, so that the data keep most of each plot.
PROJECTOR_FONT_PT: Final = 14
PROJECTOR_LINE_WIDTH: Final = 3.5
PROJECTOR_MARKER_SIZE: Final = 14
# The least height of a row of the four plots: less than the Layer page's, so that a training
# scene's caption (its question and the run's numbers) and the page fit a laptop's screen.
MIN_ROW_HEIGHT: Final = 150
OPEN_TEXT: Final = "Open in Layer view"
OPEN_TIP: Final = (
    "Put the tracked layer's batch u = h·W + b (before its normalization) into input A "
    "of the Layer page, with its normalization, γ, β and running statistics"
)


class TrainingPage(QWidget):
    """The centre of the Training page (accessible name "Training"); its setup docks are made
    by normgui.qt.training.setup_panel. `mode`: where the worker trains ("process", "thread")."""

    def __init__(self, store: Store, mode: str = "process", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Training")
        self.store = store
        self.controller = TrainingController(store, mode, self)
        # The plots are made when first shown or asked for (see `plots`): the window opens on
        # the Layer page, and four plots more would cost its start some 0.1 s.
        self._plots: PlotArea | None = None
        self._training_plots: dict[str, TrainingPlot] = {}
        self._theme: Theme | None = None
        self._stale = False  # the plots lag the controller (the page was hidden)
        self._build_controls()
        self.status = Banner("Training status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self._controls)
        layout.addWidget(self.status)
        self._plot_room = QVBoxLayout()
        self._plot_room.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._plot_room, 1)
        self.controller.changed.connect(self.refresh)
        # The window's centre is as wide, at least, as the page in front needs: the controls'
        # rows must not make the window wider than the Layer page's does (see shell/pages).
        # The least height is the page's own (its controls and plots): a smaller one let a
        # scene's caption squeeze the page below it, and its plots ran out of the window.
        self.setMinimumWidth(200)
        self.refresh()

    @property
    def plots(self) -> PlotArea:
        """The page's plot area, made on first use and up to date with the controller."""
        return self._ready_plots()

    def _ready_plots(self, in_turns: bool = False) -> PlotArea:
        """The plot area, made if need be, drawing the controller's view: all of it, or
        (`in_turns`, while training) the Now plot and at most one plot of the records, so that
        a record comes to the screen over a few frames, none of them late (see _draw)."""
        if self._plots is None:
            from normgui.qt.training._over_training import LayersPlot, LearningPlot
            from normgui.qt.training._regimes import DriftPlot, NowPlot

            self._training_plots = {
                "learning": LearningPlot(),
                "drift": DriftPlot(),
                "layers": LayersPlot(),
                "now": NowPlot(),
            }
            plots: dict[str, Plot] = dict(self._training_plots)
            self._plots = PlotArea(self.store, plots)
            self._plots.setMinimumHeight(2 * MIN_ROW_HEIGHT)
            if self._theme is not None:
                self._plots.set_theme(self._theme)
            self._plot_room.addWidget(self._plots)
            self._stale = True
        if self._stale:
            self._stale = not self._draw(self.view(), in_turns)
        return self._plots

    def _draw(self, view: View, in_turns: bool) -> bool:
        """Draw `view`; whether every plot shows it. In turns: the Now plot (its points are
        new at every look) and the first plot of the records behind — at 1920×1080 a record
        drawn by the three at once took some 25 ms, a frame and a half at 60 a second."""
        now = self._training_plots["now"]
        behind = [p for p in self._training_plots.values() if p is not now and not p.shows(view)]
        drawn = behind[:1] if in_turns else behind
        for plot in (now, *drawn):
            plot.show(view)
        return len(drawn) == len(behind)

    @property
    def training_plots(self) -> dict[str, TrainingPlot]:
        """The four plots by name (made, and brought up to date, as `plots` is)."""
        self._ready_plots()
        return self._training_plots

    def showEvent(self, event: QShowEvent) -> None:
        self._ready_plots()  # made, or brought up to date, before the page is painted
        super().showEvent(event)
        if self.controller.applied is None:
            # The first look: the worker builds the network at step 0, so that the plots show
            # its first record and pre-activations rather than nothing (a session's or a
            # scene's run, already shown, is kept).
            self.controller.reset()

    def _build_controls(self) -> None:
        self.run_button = self._button("Run", "Run training", "Train on (Space)")
        self.run_button.clicked.connect(self.controller.toggle)
        self.setFocusProxy(self.run_button)  # the page entered: Space trains (see shell/pages)
        self.step_button = self._button("Step", "Step training", "Train up to the next record")
        self.step_button.clicked.connect(self.controller.step_once)
        self.reset_button = self._button(
            "Reset", "Reset training", "Start again from new initial weights drawn from the seed"
        )
        self.reset_button.clicked.connect(self.controller.reset)
        self.step_label = QLabel()
        self.step_label.setAccessibleName("Training step")
        width = self.step_label.fontMetrics().horizontalAdvance("Step 000000 of 000000  (done)")
        self.step_label.setMinimumWidth(width)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Training history")
        self.slider.setToolTip("Pause, then drag to look back through the recorded history")
        self.slider.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.layer_combo = QComboBox()
        self.layer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.layer_combo.setAccessibleName("Tracked layer")
        self.layer_combo.setToolTip("The hidden layer the unit and the Now plot look into")
        self.layer_combo.activated.connect(self._on_layer_combo_activated)
        self.mode_combo = QComboBox()
        self.mode_combo.setAccessibleName("Layers plot shows")
        self.mode_combo.setToolTip("What the layers plot shows of every hidden layer")
        for key, words in LAYER_MODES.items():
            self.mode_combo.addItem(words, key)
        # As wide as its longest item, even in a crowded row: "linear and satura" reads badly.
        self.mode_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.mode_combo.setMinimumWidth(self.mode_combo.sizeHint().width())
        self.mode_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.open_button = self._button(OPEN_TEXT, "Open in Layer view", OPEN_TIP)
        self.open_button.clicked.connect(lambda: self.controller.open_in_layer_view("A"))
        # Two rows, each narrower than the page beside both docks at 1366×768 (in one row the
        # layer's label ran over the step's "(done)"): what to do, then what to look at.
        row = QHBoxLayout()
        row.setContentsMargins(4, 2, 4, 0)
        for widget in (self.run_button, self.step_button, self.reset_button, self.step_label):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.open_button)
        history = QHBoxLayout()
        history.setContentsMargins(4, 0, 4, 0)
        history.addWidget(QLabel("history"))
        history.addWidget(self.slider, 1)
        for text, combo in (("layer", self.layer_combo), ("layers plot", self.mode_combo)):
            history.addSpacing(8)
            history.addWidget(QLabel(text))
            history.addWidget(combo)
        self._controls = QVBoxLayout()
        self._controls.setSpacing(2)
        self._controls.addLayout(row)
        self._controls.addLayout(history)

    def _button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        return button

    # --- the page drawn from the controller ---------------------------------------------------

    def view(self) -> View:
        c = self.controller
        mode = str(self.mode_combo.currentData())
        return View(c.history, c.upto, c.setup.layer, mode, c.live, lockstep=c.running)

    def refresh(self) -> None:
        """Controls and plots from the controller (at most ~60 times a second while training:
        the worker's replies are merged before they come here; each plot draws only what
        changed)."""
        c = self.controller
        running = c.running
        self.run_button.setText("Pause" if running else "Run")
        self.run_button.setAccessibleName("Pause training" if running else "Run training")
        again = c.pending or c.from_file  # Run starts a new run
        self._enable(self.run_button, running or not (c.finished or bool(c.error)) or again)
        self._enable(self.step_button, not running and (not c.finished or c.from_file))
        total = (c.applied or c.setup).steps
        shown = c.history.last("A", c.upto)
        at = shown.step if (c.upto is not None and shown is not None) else c.step
        self.step_label.setText(f"Step {at} of {total}" + ("  (done)" if c.finished else ""))
        self._set_slider(len(c.history), running)
        self._set_layers()
        self._set_open_button(at)
        lines = c.status()
        self.status.setText("\n".join(lines))
        self.status.setVisible(bool(lines))
        # A hidden page's plots wait until shown or asked for: the Layer page's frames (Play
        # at 60 a second) change the State, and each change comes here.
        self._stale = True
        if self._plots is not None and self.isVisible():
            self._ready_plots(in_turns=running)

    def _set_open_button(self, shown: int) -> None:
        """The button says which step it takes when the slider shows an older one: the network
        is kept as it is now, not at every record."""
        c = self.controller
        older = c.upto is not None and shown != c.step
        self.open_button.setText(f"Open step {c.step} in Layer view" if older else OPEN_TEXT)
        tip = OPEN_TIP
        if older:
            tip += (
                f". It takes the network as it is now, at step {c.step}: the slider shows "
                f"step {shown}, whose weights are not kept"
            )
        if c.from_file:
            tip = "Run the training first: a run opened from a session file has no weights"
        self.open_button.setToolTip(tip)

    def _enable(self, button: QPushButton, enabled: bool) -> None:
        """Enable or disable `button`. Disabled with the keyboard on it (Run, when a run ends),
        Qt would hand the keyboard to the next button, Reset, and the Space a lecturer presses
        to run or pause would reset the run instead. The window takes it: there Space is the
        window's own (run or pause; nothing, the run done), and so are Page Down and Page Up
        (the next scene; the history slider would have taken them to scrub)."""
        if not enabled and button.hasFocus():
            self.window().setFocus(Qt.FocusReason.OtherFocusReason)
        button.setEnabled(enabled)

    def _set_slider(self, count: int, running: bool) -> None:
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, count - 1))
        upto = self.controller.upto
        self.slider.setValue(max(0, count - 1) if upto is None else upto)
        self.slider.setEnabled(not running and count > 1)
        self.slider.blockSignals(False)

    def _set_layers(self) -> None:
        setup = self.controller.setup
        n = len(setup.a.hidden)
        if self.layer_combo.count() != n:
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            for k in range(n):
                self.layer_combo.addItem(f"{k + 1}" + (" (last)" if k == n - 1 else ""), k)
            self.layer_combo.blockSignals(False)
        self.layer_combo.setCurrentIndex(setup.layer_index(n))

    def _on_slider_value_changed(self, value: int) -> None:
        self.controller.scrub(value)

    def _on_layer_combo_activated(self, index: int) -> None:
        setup = self.controller.setup
        layer = -1 if index == self.layer_combo.count() - 1 else index
        if layer != setup.layer:
            self.store.update(f"Track layer {index + 1}", training_setup=setup.replace(layer=layer))

    def set_theme(self, theme: Theme) -> None:
        self._theme = training_look(theme)
        theme = self._theme
        if self._plots is not None:
            self._plots.set_theme(theme)
        self.status.set_theme(theme)
        self.refresh()

    def close_run(self) -> None:
        """Stop training now (the window closes)."""
        self.controller.close()


def training_look(theme: Theme) -> Theme:
    """`theme` as the Training page's plots use it (see PROJECTOR_FONT_PT)."""
    if theme.font_pt <= PROJECTOR_FONT_PT:
        return theme
    return replace(
        theme,
        font_pt=PROJECTOR_FONT_PT,
        line_width=PROJECTOR_LINE_WIDTH,
        marker_size=min(theme.marker_size, PROJECTOR_MARKER_SIZE),
    )
