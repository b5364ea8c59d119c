"""Play: sweep γ, β, ε, the input scale or shift smoothly between two values.

The Animator drives the store from a precise ~60 Hz timer. The value at each tick comes from the
time since Play (not from a count of ticks), so a slow frame delays nothing: the sweep still
ends on time. Each tick computes its Frame at once (store.flush), so every tick is a drawn frame
rather than an update the store coalesces away; all the ticks of one Play are one undo step.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QElapsedTimer, QObject, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QLabel, QToolBar, QWidget

from normgui.core.pipeline import Frame, compute
from normgui.core.state import State
from normgui.qt.store import Store
from normgui.qt.widgets import CompactComboBox, NumberSpinBox
from normgui.scenes import ANIMATABLE, Segment, Sweep

FRAME_MS: Final = 16  # ~60 frames a second
SAMPLES: Final = 13  # frames along a sweep that fix the plots' ranges before it plays
DEFAULT_SWEEP: Final = Sweep((Segment("gamma", 1.0, 5.0, 3.0),))
LOG_STEP: Final = 10.0**0.5  # the arrows of an ε box: half a decade a click
# Where a sweep of each parameter starts and ends when it is picked in the bar.
DEFAULT_ENDS: Final = {
    "gamma": (1.0, 5.0),
    "beta": (0.0, 4.0),
    "eps": (1e-8, 1e-2),
    "input_scale": (1.0, 10.0),
    "input_shift": (0.0, 5.0),
}


class Animator(QObject):
    """Plays a Sweep into the store: play, pause (resume where it was), stop."""

    running_changed = Signal(bool)
    sweep_changed = Signal(object)  # Sweep

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._sweep = DEFAULT_SWEEP
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._clock = QElapsedTimer()
        self._played = 0.0  # seconds played before the last Play or resume
        self.frames = 0  # ticks drawn since the last Play from the start: for tests and fps

    @property
    def sweep(self) -> Sweep:
        return self._sweep

    def set_sweep(self, sweep: Sweep) -> None:
        """Play `sweep` from now on (stopping one that is playing)."""
        self.stop()
        self._sweep = sweep
        self.sweep_changed.emit(sweep)

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    @property
    def elapsed(self) -> float:
        """Seconds into the sweep."""
        extra = self._clock.elapsed() / 1000.0 if self.running else 0.0
        return self._played + extra

    def play(self) -> None:
        """Play from where it was paused, or from the start."""
        if self.running:
            return
        if self._played == 0.0:
            self.frames = 0
        self._timer.start()
        self.running_changed.emit(True)  # its slots may take a while (the plots get ready):
        self._clock.start()  # the sweep's time starts after them
        self._apply(self._played)

    def pause(self) -> None:
        if not self.running:
            return
        self._played += self._clock.elapsed() / 1000.0
        self._timer.stop()
        self.running_changed.emit(False)

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.play()

    def stop(self) -> None:
        """Stop and go back to the start for the next Play (the values stay where they are)."""
        was_running = self.running
        self._timer.stop()
        self._played = 0.0
        if was_running:
            self.running_changed.emit(False)

    def _on_timer_timeout(self) -> None:
        elapsed = self.elapsed
        if not self._apply(elapsed) or self._sweep.finished(elapsed):
            self.stop()

    def _apply(self, elapsed: float) -> bool:
        values = self._sweep.values_at(elapsed)
        label = "Animate " + ", ".join(ANIMATABLE[p] for p in values)
        if not self._store.update(label, merge=True, **values):
            return False
        self._store.flush()  # draw this tick now: the store would otherwise coalesce ticks
        self.frames += 1
        return True


def sweep_frames(state: State, sweep: Sweep) -> list[Frame]:
    """Frames along `sweep` from `state`: what the plots must have room for while it plays.

    A few samples suffice (the ranges grow smoothly with the values); fewer for large inputs,
    where each one costs a full computation.
    """
    size = state.inputs_a.size + (0 if state.inputs_b is None else state.inputs_b.size)
    count = SAMPLES if size <= 20_000 else 3
    times = [sweep.duration * k / (count - 1) for k in range(count)]
    frames = []
    for t in times:
        try:
            frames.append(compute(state.replace(**sweep.values_at(t))))
        except (ValueError, TypeError):  # a value the State refuses: Play will say so
            continue
    return frames


class SweepValueBox(NumberSpinBox):
    """A number box for one end of a sweep: linear steps, or half a decade a click for ε."""

    def __init__(self, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(-1e6, 1e6, 0.1, widest="-1.259e-05", parent=parent)
        self.setAccessibleName(accessible)
        self.log = False

    def stepBy(self, steps: int) -> None:
        if not self.log or self.value() <= 0.0:
            super().stepBy(steps)
            return
        value = self.value() * LOG_STEP**steps
        self.setValue(min(max(value, 1e-12), 1.0))


class AnimationBar(QToolBar):
    """The Play button and what it sweeps: a parameter, from, to, over how long, loop.

    A scene's animation (which may be several segments) shows here as its first segment; any
    edit makes a new one-segment sweep of what the bar shows.
    """

    def __init__(self, animator: Animator, play_action: QAction, parent: QWidget | None = None):
        super().__init__("Animation", parent)
        self.setObjectName("animationToolbar")
        self._animator = animator
        self.addAction(play_action)
        self.param = CompactComboBox("Animated parameter")
        self.param.setMinimumContentsLength(6)
        for key, symbol in ANIMATABLE.items():
            self.param.addItem(symbol, key)
        self.start = SweepValueBox("Animation from")
        self.end = SweepValueBox("Animation to")
        self.seconds = NumberSpinBox(0.1, 120.0, 0.5, widest="120.0 s")
        self.seconds.setAccessibleName("Animation duration")
        self.seconds.setSuffix(" s")
        self.param.setToolTip("What Play sweeps: γ, β, ε, or the input's scale or shift")
        self.start.setToolTip("The value the sweep starts from")
        self.end.setToolTip("The value the sweep ends at")
        self.seconds.setToolTip("How long the sweep takes, in seconds")
        self.loop = QCheckBox("Loop")
        self.loop.setAccessibleName("Loop the animation")
        self.loop.setToolTip("back and forth until paused")
        self.more = QLabel()
        self.more.setAccessibleName("Rest of the animation")
        for text, widget in (
            ("", self.param),
            (" from ", self.start),
            (" to ", self.end),
            (" in ", self.seconds),
            ("", self.loop),
            ("", self.more),
        ):
            if text:
                self.addWidget(QLabel(text))
            self.addWidget(widget)
        self.param.currentIndexChanged.connect(self._on_param_current_index_changed)
        for box in (self.start, self.end, self.seconds):
            box.valueChanged.connect(self._on_box_value_changed)
        self.loop.toggled.connect(self._on_loop_toggled)
        animator.sweep_changed.connect(self.set_sweep)
        self.set_sweep(animator.sweep)

    def set_sweep(self, sweep: Sweep) -> None:
        """Show `sweep` (its first segment; the rest is named beside it)."""
        first = sweep.segments[0]
        with (
            QSignalBlocker(self.param),
            QSignalBlocker(self.start),
            QSignalBlocker(self.end),
            QSignalBlocker(self.seconds),
            QSignalBlocker(self.loop),
        ):
            self.param.setCurrentIndex(list(ANIMATABLE).index(first.param))
            self._set_log(first.param == "eps")
            self.start.setValue(first.start)
            self.end.setValue(first.end)
            self.seconds.setValue(first.seconds)
            self.loop.setChecked(sweep.loop)
        rest = sweep.segments[1:]
        self.more.setText(" then " + ", ".join(s.describe() for s in rest) if rest else "")

    def _set_log(self, log: bool) -> None:
        for box in (self.start, self.end):
            box.log = log

    def _edited_sweep(self) -> Sweep | None:
        param = str(self.param.currentData())
        try:
            segment = Segment(param, self.start.value(), self.end.value(), self.seconds.value())
        except ValueError:
            return None
        return Sweep((segment,), self.loop.isChecked())

    def _on_param_current_index_changed(self, _index: int) -> None:
        param = str(self.param.currentData())
        log = param == "eps"
        self._set_log(log)
        with QSignalBlocker(self.start), QSignalBlocker(self.end):
            self.start.setValue(DEFAULT_ENDS[param][0])
            self.end.setValue(DEFAULT_ENDS[param][1])
        self._commit()

    def _on_box_value_changed(self, _value: float) -> None:
        self._commit()

    def _on_loop_toggled(self, _checked: bool) -> None:
        self._commit()

    def _commit(self) -> None:
        sweep = self._edited_sweep()
        if sweep is not None:
            self._animator.set_sweep(sweep)
