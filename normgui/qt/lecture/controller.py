"""Lecture mode: scenes stepped with PageDown/PageUp, presentation mode, Play, export and copy.

`Lecture` makes the Scenes menu, the caption bar, the Animation toolbar, View → Presentation
mode (F11, Esc leaves), File → PNG resolution and Edit → Copy plots; the window places them
(its menus, its layout, its toolbars) and adds `shortcut_actions` to itself, so that every
shortcut works with the menu bar hidden in presentation mode. Lecture drives only what it is
given: the store, the plot area and presentation mode.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMenu,
    QStyle,
    QWidget,
)

from normgui.core.pipeline import Frame
from normgui.core.readouts import Readout, readouts_for
from normgui.core.state import State
from normgui.qt.lecture.animation import DEFAULT_SWEEP, AnimationBar, Animator, sweep_frames
from normgui.qt.lecture.caption import CaptionBar
from normgui.qt.lecture.exporting import Exporter
from normgui.qt.lecture.presentation import PresentationMode
from normgui.qt.lecture.scene_keys import SceneSteps, keeps_page_keys, same_inputs
from normgui.qt.lecture.scene_menu import SceneMenu
from normgui.qt.plots import PlotArea
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, Theme
from normgui.scenes import Scene


class Lecture(QObject):
    """Scenes, presentation mode, animation and export over `store` and `plots`.

    `parent` is the window: it owns the actions and menus, and its dialogs. `presentation`
    toggles that window's projector look; the window calls `set_theme` with every theme it
    takes, presentation's included.
    """

    scene_shown = Signal(int)  # a scene was opened: its position

    def __init__(
        self,
        store: Store,
        plots: PlotArea,
        presentation: PresentationMode,
        parent: QWidget,
        scenes: tuple[Scene, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._store = store
        self._plots = plots
        self._theme: Theme = LIGHT
        self.presentation = presentation
        self.index: int | None = None  # the scene shown, if any
        self._steps = SceneSteps()
        self._opening = False

        self.animator = Animator(store, self)
        self.exporter = Exporter(
            store, plots, self._scene_shown, lambda: len(self.scenes), self._arrange_plots, parent
        )
        self.copy_action = self.exporter.copy_action
        self.scale_actions = self.exporter.scale_actions
        self.resolution_menu = self.exporter.resolution_menu
        # What Space plays or pauses where no control claims it: the animation, or what the
        # window's page in front runs (its training).
        self.play_or_pause: Callable[[], None] = self.animator.toggle
        self._build_actions()
        self.caption = CaptionBar(self.play_action)
        self.animation_bar = AnimationBar(self.animator, self.play_action, parent)
        self._build_menus(scenes)

        self.caption.previous_requested.connect(self.previous_scene)
        self.caption.next_requested.connect(self.next_scene)
        self.caption.close_requested.connect(self.close_scene)
        self._holding = False  # the plots keep the ranges of the last sweep (see below)
        self.animator.running_changed.connect(self._on_animator_running_changed)
        store.state_changed.connect(self._on_store_state_changed)
        self.presentation.toggled.connect(self._on_presentation_toggled)
        store.frame_changed.connect(self._on_store_frame_changed)
        self._on_animator_running_changed(False)
        self.caption.set_look(self._theme, large=False)

    # --- construction -------------------------------------------------------------------------

    def _build_actions(self) -> None:
        w = self._parent
        # The menu's entries step at once; the keys (actions of their own, on the window) step
        # only when no control that uses them has the keyboard (see _on_page_key). The menu
        # still names the keys.
        self.next_action = QAction("&Next scene\tPage Down", w)
        self.next_action.triggered.connect(self.next_scene)
        self.previous_action = QAction("&Previous scene\tPage Up", w)
        self.previous_action.triggered.connect(self.previous_scene)
        self.next_key_action = QAction("Next scene", w)
        self.next_key_action.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.next_key_action.triggered.connect(lambda: self._on_page_key(Qt.Key.Key_PageDown))
        self.previous_key_action = QAction("Previous scene", w)
        self.previous_key_action.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.previous_key_action.triggered.connect(lambda: self._on_page_key(Qt.Key.Key_PageUp))
        self.close_scene_action = QAction("&Close the caption", w)
        self.close_scene_action.triggered.connect(self.close_scene)

        self.presentation_action = QAction("&Presentation mode", w)
        self.presentation_action.setCheckable(True)
        self.presentation_action.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.presentation_action.setToolTip("Full screen, large type, only the plots (Esc leaves)")
        self.presentation_action.toggled.connect(self._on_presentation_action_toggled)
        self.leave_presentation_action = QAction("Leave presentation mode", w)
        self.leave_presentation_action.triggered.connect(self._on_leave_presentation_triggered)

        # Space is its own action, only on the window: it must not press Play when it belongs
        # to the focused button. The menu still names it as Play's key.
        self.play_action = QAction("Play\tSpace", w)
        self.play_action.setIconText("Play")
        self.play_action.setToolTip("Play or pause the animation (Space)")
        self.play_action.triggered.connect(self.animator.toggle)
        self.space_action = QAction("Play or pause", w)
        self.space_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.space_action.triggered.connect(self._on_space_action_triggered)
        self.stop_action = QAction("Stop animation", w)
        self.stop_action.triggered.connect(self.animator.stop)

    @property
    def shortcut_actions(self) -> list[QAction]:
        """The actions whose keys must work anywhere in the window, menus hidden or not."""
        return [
            self.next_key_action,
            self.previous_key_action,
            self.presentation_action,
            self.leave_presentation_action,
            self.space_action,
            self.copy_action,
        ]

    def _build_menus(self, scenes: tuple[Scene, ...] | None) -> None:
        menu = QMenu("&Scenes", self._parent)
        menu.addActions([self.next_action, self.previous_action])
        menu.addSeparator()
        end = menu.addSeparator()  # the scenes go above it, once read
        menu.addActions([self.play_action, self.stop_action, self.close_scene_action])
        self.scenes_menu = menu
        self._scene_menu = SceneMenu(
            menu, end, self.show_scene, self._store.error.emit, self._parent, scenes
        )
        self.scene_group = self._scene_menu.group

    # --- scenes -------------------------------------------------------------------------------

    @property
    def scenes(self) -> tuple[Scene, ...]:
        """The lecture's scenes (read now if they were not yet: see SceneMenu)."""
        return self._scene_menu.scenes

    @property
    def scene_actions(self) -> list[QAction]:
        """The Scenes menu's entry for each scene."""
        return self._scene_menu.actions

    def show_scene(self, key: int | str) -> None:
        """Open the scene at this position or with this id (KeyError if there is none)."""
        if isinstance(key, str):
            ids = [s.id for s in self.scenes]
            if key not in ids:
                raise KeyError(f"no scene {key!r}; the scenes are: {', '.join(ids)}")
            key = ids.index(key)
        scene = self.scenes[key]
        before, shown_before = self._store.state, self.index
        self._opening = True  # the step below is the scene's: no caption to bring back
        try:
            self._store.set_state(scene.state, f"Scene: {scene.title}")
        finally:
            self._opening = False
        self._steps.record(before, shown_before, self._store.state, key)
        self._show_caption(key)
        message = f"Scene {key + 1}: {scene.title}"
        if not same_inputs(before, self._data_of(shown_before)):
            message += " — it replaced your data: Undo (Ctrl+Z) brings it back"
        self._store.notice.emit(message)
        self.scene_shown.emit(key)

    def _show_caption(self, key: int) -> None:
        """Show scene `key` as the scene in force: its caption, plots and animation (the State
        is the caller's business)."""
        scene = self.scenes[key]
        self.animator.stop()
        self.index = key
        # Everything the scene shows is the scene's, its animation too: one without its own
        # plays the default sweep, not what the scene before left in the bar.
        self.animator.set_sweep(scene.animation or DEFAULT_SWEEP)
        self.scene_actions[key].setChecked(True)
        self.caption.show_scene(scene, key, len(self.scenes))
        self._arrange_plots()
        self._update_readouts(self._store.frame)

    def _data_of(self, shown: int | None) -> State:
        """The State whose data was the app's own, not the user's: the scene shown, else the
        defaults."""
        return State() if shown is None else self.scenes[shown].state

    def _on_page_key(self, key: Qt.Key) -> None:
        """PageDown or PageUp: the next or previous scene, unless the focused control uses the
        key itself (a table, a slider, a spin box) or the user is typing; in presentation mode
        always the scene."""
        focus = QApplication.focusWidget()
        if self.presentation.active or not keeps_page_keys(focus):
            (self.next_scene if key == Qt.Key.Key_PageDown else self.previous_scene)()
            return
        assert focus is not None
        # Sent on to the widget; Qt tries shortcuts again for a key sent to a widget, so the
        # keys' own actions are off meanwhile.
        keys = (self.next_key_action, self.previous_key_action)
        for action in keys:
            action.setEnabled(False)
        try:
            event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(focus, event)
        finally:
            for action in keys:
                action.setEnabled(True)
        if isinstance(focus, QLineEdit) and self.scenes:  # a text field has no use for the key
            self._store.notice.emit(
                "Page Down and Page Up step through the scenes once the keyboard is not in a "
                "text field: click a plot first, or use the Scenes menu"
            )

    def next_scene(self) -> None:
        if not self.scenes:
            return
        self.show_scene(0 if self.index is None else min(self.index + 1, len(self.scenes) - 1))

    def previous_scene(self) -> None:
        if not self.scenes:
            return
        self.show_scene(0 if self.index is None else max(self.index - 1, 0))

    def close_scene(self) -> None:
        self.animator.stop()
        self.index = None
        checked = self.scene_group.checkedAction()
        if checked is not None:
            checked.setChecked(False)
        self.caption.hide()
        self._arrange_plots()

    def _arrange_plots(self) -> None:
        """On a projector, only the plots the scene needs, large; at the desk, all four."""
        scene = self.scene
        wanted = scene.plots if scene is not None and self.presentation.active else ()
        self._plots.arrange(wanted or None)

    @property
    def scene(self) -> Scene | None:
        return None if self.index is None else self.scenes[self.index]

    def _scene_shown(self) -> tuple[Scene, int] | None:
        return None if self.index is None else (self.scenes[self.index], self.index)

    def _update_readouts(self, frame: Frame) -> None:
        scene = self.scene
        readouts: tuple[Readout, ...] = ()
        if scene is not None and scene.training is not None:
            return  # a training scene's readouts come from its run, not from the Frame
        if scene is not None and scene.readouts:
            readouts = readouts_for(frame, scene.readouts)
        self.caption.set_readouts(readouts)

    # --- export -------------------------------------------------------------------------------

    def export_plots(self, path: str | Path, scale: float | None = None) -> None:
        """Save what is shown: with a scene open, as presentation mode shows it (see
        exporting); OSError and ValueError say what failed."""
        self.exporter.save(path, scale)

    def export_dialog(self) -> None:
        self.exporter.export_dialog()

    @property
    def export_scale(self) -> float:
        """The PNG resolution chosen in File → PNG resolution, as a multiple of the screen's."""
        return self.exporter.scale

    # --- presentation, animation --------------------------------------------------------------

    def _on_presentation_action_toggled(self, checked: bool) -> None:
        self.presentation.set_active(checked)

    def _on_leave_presentation_triggered(self) -> None:
        self.presentation_action.setChecked(False)

    def _on_presentation_toggled(self, active: bool) -> None:
        self.presentation_action.setChecked(active)
        # Esc leaves presentation mode, and only then is it a shortcut: elsewhere it belongs to
        # dialogs, popups and editors.
        self.leave_presentation_action.setShortcut(
            QKeySequence(Qt.Key.Key_Escape) if active else QKeySequence()
        )
        self.caption.set_look(self._theme, large=active)
        self._arrange_plots()
        if active:
            self._parent.setFocus()  # away from hidden panels: Space plays, not a button

    def _on_space_action_triggered(self) -> None:
        # Text fields keep their spaces (they claim the key before any shortcut); a focused
        # button or combo box still gets what Space does to it; anywhere else Space plays.
        # click(), not animateClick(): that holds the button down for 100 ms, and the key's
        # release, which reaches the button, clicked it a second time (Run, then Pause).
        focus = QApplication.focusWidget()
        if isinstance(focus, QAbstractButton) and focus.isVisible():
            focus.click()
        elif isinstance(focus, QComboBox) and focus.isVisible():
            focus.showPopup()
        else:
            self.play_or_pause()

    def _on_animator_running_changed(self, running: bool) -> None:
        if running:
            # The axes stand still while the points move: that is what students should see,
            # and a plot whose axes do not change is redrawn about twice as fast.
            sweep = self.animator.sweep
            self._plots.hold_ranges(sweep_frames(self._store.state, sweep))
            self._holding = True
        style = self._parent.style()
        icon = (
            QStyle.StandardPixmap.SP_MediaPause if running else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_action.setIcon(style.standardIcon(icon))
        word = "Pause" if running else "Play"
        self.play_action.setText(f"{word}\tSpace")
        self.play_action.setIconText(word)

    def _on_store_state_changed(self, state: State) -> None:
        # Undo back over a scene step brings back the caption shown before it (or none); redo,
        # the scene's.
        if not self._opening:
            known, shown = self._steps.scene_at(state)
            if known and shown != self.index:
                self.close_scene() if shown is None else self._show_caption(shown)
        # After a sweep the picture stays as it ended; the next change of anything else lets
        # the plots fit their ranges to the data again.
        if self._holding and not self.animator.running:
            self._holding = False
            self._plots.hold_ranges(None)

    def _on_store_frame_changed(self, frame: Frame) -> None:
        if self.index is not None:
            self._update_readouts(frame)

    def set_theme(self, theme: Theme) -> None:
        """The window's look changed (light, dark, or presentation's): the caption follows."""
        self._theme = theme
        self.caption.set_look(theme, large=self.presentation.active)

    def end(self) -> None:
        """The window is closing (the user confirmed it): stop any animation and leave
        presentation mode, so that what is saved of the window (its size, docks, theme) is the
        window as it was, not full screen and bare."""
        self.animator.stop()
        if self.presentation.active:
            self.presentation.leave()
