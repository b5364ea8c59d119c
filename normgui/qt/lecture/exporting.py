"""File → Export plots, File → PNG resolution and Edit → Copy plots.

A picture shows what the audience sees: with a scene open, what presentation mode shows — the
scene's title, its caption with the live readouts (the invariance table among them), and only
the plots the scene asks for; without one, the plots as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from normgui.core.readouts import readouts_for
from normgui.qt.lecture.caption import caption_picture
from normgui.qt.lecture.export import (
    DEFAULT_SCALE,
    FORMATS,
    PNG_SCALES,
    copy_to_clipboard,
    save_plots,
    with_suffix,
)
from normgui.qt.plots import PlotArea
from normgui.qt.store import Store
from normgui.scenes import Scene

SceneShown = Callable[[], "tuple[Scene, int] | None"]


class Exporter(QObject):
    """Exports and copies of `plots`. `scene_shown` says which scene is open, if any (and where
    it is among `count()` scenes); `arrange_plots` puts the plots back as the window shows them."""

    def __init__(
        self,
        store: Store,
        plots: PlotArea,
        scene_shown: SceneShown,
        count: Callable[[], int],
        arrange_plots: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._store = store
        self._plots = plots
        self._scene_shown = scene_shown
        self._count = count
        self._arrange_plots = arrange_plots
        self.scale = DEFAULT_SCALE
        # The window's page in front when it is not these plots' (the Training page): its plots
        # and the caption to draw above them. The window sets it as the pages change, so that
        # Export and Copy take what is on screen.
        self.page_picture: Callable[[], tuple[PlotArea, QWidget | None]] | None = None

        self.copy_action = QAction("&Copy plots", parent)
        self.copy_action.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_action.setToolTip("Copy the plots to the clipboard, as an image and as SVG")
        self.copy_action.triggered.connect(self._on_copy_action_triggered)
        self.scale_group = QActionGroup(parent)
        self.scale_actions: list[QAction] = []
        for scale in PNG_SCALES:
            text = f"{scale:g}× the size on screen" + ("  (for slides)" if scale == 2 else "")
            action = QAction(text, parent)
            action.setCheckable(True)
            action.setChecked(scale == self.scale)
            action.setData(scale)
            action.triggered.connect(lambda _checked=False, s=scale: self._set_scale(s))
            self.scale_group.addAction(action)
            self.scale_actions.append(action)
        self.resolution_menu = QMenu("PNG &resolution", parent)
        self.resolution_menu.addActions(self.scale_actions)

    @contextmanager
    def _as_shown(self) -> Iterator[tuple[PlotArea, QWidget | None]]:
        """The plots to draw and the caption above them (None: no scene, the plots as they
        are). While inside, the plots are arranged as presentation mode shows the open scene."""
        if self.page_picture is not None:
            plots, page_header = self.page_picture()
            try:
                yield plots, page_header
            finally:
                if page_header is not None:
                    page_header.close()
                    page_header.deleteLater()
            return
        shown = self._scene_shown()
        if shown is None:
            yield self._plots, None
            return
        scene, index = shown
        frame = self._store.frame
        readouts = readouts_for(frame, scene.readouts) if scene.readouts else ()
        header = caption_picture(scene, index, self._count(), readouts, self._plots.theme)
        self._plots.arrange(scene.plots or None)
        # The window lays its centre out again now, not halfway through drawing the picture.
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        try:
            yield self._plots, header
        finally:
            self._arrange_plots()
            header.close()
            header.deleteLater()

    def save(self, path: str | Path, scale: float | None = None) -> None:
        """Save what is shown to `path` (PNG, or SVG for a .svg path) at `scale` (the chosen
        resolution by default). OSError and ValueError say what failed."""
        self._store.flush()
        with self._as_shown() as (plots, header):
            save_plots(plots, path, self.scale if scale is None else scale, header)

    def export_dialog(self) -> None:
        """Ask where to save the plots (PNG or SVG) and save them there."""
        filters = ";;".join(FORMATS.values())
        path, chosen = QFileDialog.getSaveFileName(
            self._parent, "Export plots", "normgui-plots.png", filters, FORMATS[".png"]
        )
        if not path:
            return
        path = with_suffix(path, chosen)
        try:
            self.save(path)
        except (OSError, ValueError) as exc:
            self._store.error.emit(f"Plots not saved: {exc}")
        else:
            name = Path(path).name
            if path.lower().endswith(".svg"):
                self._store.notice.emit(f"Plots saved to {name} (an SVG drawing)")
            else:
                self._store.notice.emit(f"Plots saved to {name} (an image, {self.scale:g}×)")

    def _set_scale(self, scale: float) -> None:
        self.scale = scale

    def _on_copy_action_triggered(self) -> None:
        self._store.flush()
        with self._as_shown() as (plots, header):
            copy_to_clipboard(plots, self.scale, header)
        self._store.notice.emit("Plots copied to the clipboard")
