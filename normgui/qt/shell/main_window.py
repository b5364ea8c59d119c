"""The main window: data on the left, normalization on the right, the plots in the middle."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from normgui.core.pipeline import Frame
from normgui.core.state import State
from normgui.qt.analysis import AnalysisDock
from normgui.qt.data_panel import InputPanel
from normgui.qt.lecture import Lecture, PresentationMode
from normgui.qt.norm_panel import NormalizationPanel
from normgui.qt.plots import PlotArea
from normgui.qt.sessions import Autosaver, SessionActions, start_autosave
from normgui.qt.shell.about import app_icon, show_about, show_about_qt
from normgui.qt.shell.docks import PanelDock
from normgui.qt.shell.first_start import ScenesHint, place_first_window
from normgui.qt.shell.look import apply_look, name_dock_buttons
from normgui.qt.shell.pages import Pages
from normgui.qt.shell.training_parts import TrainingParts
from normgui.qt.shell.window_settings import restore_window_settings, save_window_settings
from normgui.qt.store import Store
from normgui.qt.theme import DARK, LIGHT, Theme
from normgui.qt.widgets.banner import Banner

if TYPE_CHECKING:
    from normgui.qt.training import TrainingPage

REDO_ALSO = "Ctrl+Y"
DEFAULT_SIZE = QSize(1320, 720)  # fits a 1366×768 laptop with its taskbar
NOTICE_MS = 6_000
ERROR_MS = 10_000
# What is said while the window is being built (the last session restored, autosave off) is
# read once the window shows, perhaps not at once: it stays longer.
START_MESSAGE_MS = 20_000


class MainWindow(QMainWindow):
    """The whole app window. `window.store` holds the State and the Frame, for scripting.

    Built without a `state`, it comes back to the autosaved one (where the last run left off);
    with one (a session or scene from the command line, a test), it shows that. `persist=False`
    (headless export) neither restores, autosaves nor remembers the window's layout.
    """

    def __init__(
        self, state: State | None = None, parent: QWidget | None = None, *, persist: bool = True
    ) -> None:
        super().__init__(parent)
        self._building = True
        self.headless = not persist  # a picture drawn without a window: train here, at once
        self.store = Store(state, self)
        self.store.error.connect(self._on_store_error)
        self.store.notice.connect(self._on_store_notice)
        self.statusBar().showMessage("Ready", 3000)  # until the first thing worth saying
        if QApplication.windowIcon().isNull():  # else the window shows the app's (create_app)
            self.setWindowIcon(app_icon())
        self.theme: Theme = LIGHT

        self.plots = PlotArea(self.store)
        self._training = TrainingParts(self.store, lambda: self.theme, self._on_training_changed)
        self._build_centre()
        self._build_docks()
        self._build_pages()
        self._build_actions()
        self.sessions = SessionActions(self.store, self)
        self.sessions.history_source = self._training.kept_history
        self.sessions.history_opened.connect(lambda h: self.training.controller.show_history(h))
        self._build_menus()
        self._build_toolbars()
        # Every shortcut is also an action of the window itself, so that it works with the menu
        # bar hidden in presentation mode.
        self.addActions([*self.lecture.shortcut_actions, self.undo_action, self.redo_action])
        self.addActions(self.pages.actions)

        self.store.frame_changed.connect(self._on_store_frame_changed)
        self.store.state_changed.connect(self._on_store_state_changed)
        self.store.undo_stack.cleanChanged.connect(self._update_title)
        self.sessions.path_changed.connect(self._update_title)
        self.resize(DEFAULT_SIZE)
        self._apply_theme(LIGHT)
        self._update_title()
        self.autosaver: Autosaver | None = None
        self.scenes_hint = ScenesHint(self.statusBar(), remember=persist)
        self.lecture.scene_shown.connect(self.scenes_hint.on_scene_shown)
        if persist and not restore_window_settings(self, self.dark_action):
            place_first_window(self)  # nothing remembered: the first start
        if persist:
            self.autosaver = start_autosave(
                self.store, self.sessions, restore=state is None, parent=self
            )
        # The keyboard starts where work starts: typing the input (not on a toolbar's box).
        self.input_panel.entries["A"].line_edit.setFocus()
        self._building = False

    # --- construction -------------------------------------------------------------------------

    def _build_centre(self) -> None:
        """The caption of a scene, the warnings, and the plots; and lecture mode (scenes,
        presentation mode, Play, export and copy), whose menus and toolbar are placed later."""
        self._warning_label = Banner("Warnings")
        self.presentation = PresentationMode(
            self, lambda: self.theme, self._apply_theme, enlarge=[self._warning_label]
        )
        self.lecture = Lecture(self.store, self.plots, self.presentation, self)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.lecture.caption)
        self._layer_page = QWidget()
        self._layer_page.setAccessibleName("Layer")
        page_layout = QVBoxLayout(self._layer_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self._warning_label)
        page_layout.addWidget(self.plots, 1)
        self._centre_layout = layout
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        self.input_panel = InputPanel(self.store)
        self.norm_panel = NormalizationPanel(self.store)
        self.data_dock = PanelDock("Data", lambda: self.input_panel, self, left)
        self.norm_dock = PanelDock("Normalization", lambda: self.norm_panel, self, right)
        # The analysis dock starts closed (the toolbar's Analysis opens it): the plots keep the
        # whole height of a laptop screen, and the window opens sooner. Once opened, the layout
        # kept from the last run opens it again.
        self.analysis_dock = AnalysisDock(self.store, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.analysis_dock)
        name_dock_buttons(self.analysis_dock)
        self.analysis_dock.hide()
        # The Training page's docks start hidden: their panels are made when they first show.
        training = self._training
        self.training_data_dock = PanelDock(
            "Training data", training.make_data_setup, self, left, later=True
        )
        self.networks_dock = PanelDock(
            "Networks", training.make_network_setup, self, right, later=True
        )

    def _build_pages(self) -> None:
        """Layer and Training, each with its docks (Ctrl+1, Ctrl+2); the caption above both."""
        self.pages = Pages(
            self,
            ("Layer", "Training"),
            (self._layer_page, self._training.make_page),
            (
                (self.data_dock, self.norm_dock, self.analysis_dock, self.lecture.animation_bar),
                (self.training_data_dock, self.networks_dock),
            ),
            lambda: not self.presentation.active,
        )
        self._centre_layout.addWidget(self.pages.stack, 1)
        self.pages.changed.connect(self._on_pages_changed)
        self.presentation.toggled.connect(self._on_presentation_toggled)
        self.lecture.scene_shown.connect(self._on_lecture_scene_shown)

    def _build_actions(self) -> None:
        stack = self.store.undo_stack
        self.undo_action = stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = stack.createRedoAction(self, "&Redo")
        # Ctrl+Y as well as the platform's own (Ctrl+Shift+Z on Linux and macOS).
        redo_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)
        if QKeySequence(REDO_ALSO) not in redo_keys:
            redo_keys.append(QKeySequence(REDO_ALSO))
        self.redo_action.setShortcuts(redo_keys)
        # The menu names what Undo and Redo would do ("Undo Scene: LayerNorm cannot tell…");
        # the toolbar keeps short words, and the whole text is in the tooltip.
        for action, word in ((self.undo_action, "Undo"), (self.redo_action, "Redo")):
            action.setIconText(word)

        self.import_a_action = QAction("Import data into &A…", self)
        self.import_a_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_a_action.triggered.connect(lambda: self.input_panel.open_import_dialog("A"))
        self.import_b_action = QAction("Import data into &B…", self)
        self.import_b_action.triggered.connect(lambda: self.input_panel.open_import_dialog("B"))
        self.export_action = QAction("&Export plots…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(self._on_export_action_triggered)
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)

        self.show_raw_action = QAction("Show &raw inputs", self)
        self.show_raw_action.setCheckable(True)
        self.show_raw_action.setToolTip("Show the un-normalized inputs as faint ghost points")
        self.show_raw_action.toggled.connect(self._on_show_raw_action_toggled)
        self.dark_action = QAction("&Dark theme", self)
        self.dark_action.setCheckable(True)
        self.dark_action.toggled.connect(self._on_dark_action_toggled)

        self.about_action = QAction("&About normgui", self)
        self.about_action.triggered.connect(lambda: show_about(self))
        self.about_qt_action = QAction("About &Qt", self)
        self.about_qt_action.triggered.connect(lambda: show_about_qt(self))

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.sessions.fill_file_menu(file_menu)
        file_menu.addActions([self.import_a_action, self.import_b_action])
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addMenu(self.lecture.resolution_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addAction(self.lecture.copy_action)
        view_menu = bar.addMenu("&View")
        view_menu.addActions(self.pages.actions)
        view_menu.addSeparator()
        view_menu.addAction(self.show_raw_action)
        view_menu.addAction(self.dark_action)
        view_menu.addSeparator()
        view_menu.addAction(self.data_dock.toggleViewAction())
        view_menu.addAction(self.norm_dock.toggleViewAction())
        view_menu.addAction(self.analysis_dock.toggleViewAction())
        view_menu.addAction(self.training_data_dock.toggleViewAction())
        view_menu.addAction(self.networks_dock.toggleViewAction())
        view_menu.addSeparator()
        view_menu.addAction(self.lecture.presentation_action)
        view_menu.addAction(self.lecture.animation_bar.toggleViewAction())
        bar.addMenu(self.lecture.scenes_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.about_action, self.about_qt_action])

    def _build_toolbars(self) -> None:
        toolbar = QToolBar("Main", self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.addActions(self.pages.actions)
        toolbar.addSeparator()
        toolbar.addActions([self.undo_action, self.redo_action])
        toolbar.addSeparator()
        toolbar.addActions([self.show_raw_action, self.export_action])
        analysis = self.analysis_dock.toggleViewAction()
        analysis.setToolTip("Show the analysis tabs: invariances, A vs B, sensitivity, explain")
        toolbar.addAction(analysis)
        self.addToolBar(toolbar)
        self.addToolBar(self.lecture.animation_bar)  # before the saved layout is restored

    # --- store -> window ----------------------------------------------------------------------

    def _on_store_frame_changed(self, frame: Frame) -> None:
        if frame.warnings:
            self._warning_label.setText("⚠ " + "\n⚠ ".join(frame.warnings))
            self._warning_label.show()
        else:
            self._warning_label.hide()

    def _on_store_state_changed(self, state: State) -> None:
        self.show_raw_action.blockSignals(True)
        self.show_raw_action.setChecked(state.show_raw)
        self.show_raw_action.blockSignals(False)
        self._update_title()

    def _on_store_error(self, message: str) -> None:
        self._show_message(f"⚠ {message}", ERROR_MS)

    def _on_store_notice(self, message: str) -> None:
        self._show_message(message, NOTICE_MS)

    def _show_message(self, message: str, ms: int) -> None:
        self.statusBar().showMessage(message, START_MESSAGE_MS if self._building else ms)

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.sessions.name}[*] — normgui")  # (Qt skips the same title)
        modified = not self.store.undo_stack.isClean()
        if modified != self.isWindowModified():  # each call tells the window system again
            self.setWindowModified(modified)

    # --- actions ------------------------------------------------------------------------------

    def _on_show_raw_action_toggled(self, checked: bool) -> None:
        self.store.update("Show raw inputs" if checked else "Hide raw inputs", show_raw=checked)

    def _on_dark_action_toggled(self, checked: bool) -> None:
        self._apply_theme(DARK if checked else LIGHT)

    def _apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        apply_look(theme, dark=theme is DARK)
        if theme is not self.plots.theme:  # (restyling the plots costs some 20 ms)
            self.plots.set_theme(theme)
        self.analysis_dock.set_theme(theme)
        if self._training.page is not None:
            self._training.page.set_theme(theme)
        self.lecture.set_theme(theme)
        self._warning_label.set_theme(theme)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.sessions.confirm_discard("closing"):
            event.ignore()  # cancelled: everything stays as it was, presentation mode too
            return
        self.lecture.end()
        if self._training.page is not None:  # training stops now; its setup is in the State
            self._training.page.close_run()
        self.pages.show_page(0)  # the layout saved is the Layer page's, its docks as they are
        if self.autosaver is not None:
            save_window_settings(self, self.dark_action)
            self.autosaver.finish(discard=self.sessions.discarded)
        # A floating dock is a window of its own: it goes with this one (its place is saved).
        for dock in self.findChildren(QDockWidget):
            if dock.isFloating():
                dock.hide()
        super().closeEvent(event)

    def export_plots(self, path: str | Path, scale: float = 2.0) -> None:
        """Save the plots as an image (PNG, JPEG…) or, for a .svg path, as an SVG drawing; with
        a scene open, as presentation mode shows it: its title, caption and readouts above the
        scene's plots; on the Training page, its plots. OSError/ValueError say what failed."""
        self.lecture.export_plots(path, scale)

    # --- pages --------------------------------------------------------------------------------

    @property
    def training(self) -> TrainingPage:
        """The Training page's centre (its controller runs the training), made on first use."""
        self.pages.page(1)  # (made by self._training)
        assert self._training.page is not None
        return self._training.page

    def _training_picture(self) -> tuple[PlotArea, QWidget | None]:
        """The Training page's plots, under a training scene's caption with its run's numbers,
        for a picture of the page (Export, Copy, --export)."""
        from normgui.core.training.summary import summaries
        from normgui.qt.lecture.caption import caption_picture

        scene, index = self.lecture.scene, self.lecture.index
        if scene is None or scene.training is None or index is None:
            return self.training.plots, None
        said = summaries(self.training.controller.history, scene.training.summary)
        header = caption_picture(scene, index, len(self.lecture.scenes), said, self.theme)
        return self.training.plots, header

    def _on_pages_changed(self, index: int) -> None:
        # Space plays the Layer page's animation, or runs and pauses the training.
        training = index == 1
        self.lecture.caption.set_compact(training)  # the training plots need the room
        self.lecture.play_or_pause = (
            self.training.controller.toggle if training else self.lecture.animator.toggle
        )
        self.lecture.exporter.page_picture = self._training_picture if training else None

    def _on_presentation_toggled(self, active: bool) -> None:
        if not active:  # the layout put back is the one presentation mode began on
            self.pages.hide_other_docks()

    def _on_lecture_scene_shown(self, key: int) -> None:
        scene = self.lecture.scenes[key]
        self.pages.show_page(0 if scene.training is None else 1)
        if scene.training is not None and self.headless:
            self.training.controller.train_here()  # to the scene's last step, deterministic
        elif scene.training is not None and not self._building:
            self.training.controller.reset()
            self.training.controller.run()

    def _on_training_changed(self) -> None:
        from normgui.core.training.summary import summaries

        scene = self.lecture.scene
        if scene is not None and scene.training is not None:
            history = self.training.controller.history
            self.lecture.caption.set_readouts(summaries(history, scene.training.summary))

    def _on_export_action_triggered(self) -> None:
        self.lecture.export_dialog()  # PNG at the resolution chosen in File, or SVG
