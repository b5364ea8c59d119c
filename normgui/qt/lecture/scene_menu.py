"""The lecture's scenes and their entries in the Scenes menu, read when first needed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

from normgui.scenes import Scene, SceneError, load_scenes

# When the scenes are read if nothing asked for them sooner: after the window's first paint.
READ_SCENES_AFTER_MS: Final = 500


class SceneMenu(QObject):
    """The scenes (given, or read from their files), one checkable entry each in `menu` before
    `end`, in one exclusive `group`; an entry triggered asks `show` for its scene's position.
    What goes wrong reading them is said through `error`, and in the menu.

    Reading them took some 12 ms of the window's start, before it showed: they are read the
    first time anything needs them (the menu opened, a scene key, an export), or
    READ_SCENES_AFTER_MS after this is made, when the window has long been painted. (Not only
    when the menu opens: a desktop's global menu bar may show it before asking.)
    """

    def __init__(
        self,
        menu: QMenu,
        end: QAction,
        show: Callable[[int], None],
        error: Callable[[str], None],
        parent: QWidget,
        scenes: tuple[Scene, ...] | None = None,
    ) -> None:
        super().__init__(parent)
        self._menu, self._end, self._show, self._error = menu, end, show, error
        self._scenes = scenes
        self._actions: list[QAction] | None = None
        self._problem = ""  # why there are none, if reading them failed
        self.group = QActionGroup(parent)
        self.group.setExclusive(True)
        menu.aboutToShow.connect(self._on_menu_about_to_show)
        QTimer.singleShot(READ_SCENES_AFTER_MS, self._on_menu_about_to_show)

    def _on_menu_about_to_show(self) -> None:
        self.actions  # noqa: B018  (the entries, made and put in the menu if need be)

    @property
    def scenes(self) -> tuple[Scene, ...]:
        """The scenes, read now if they were not yet. A broken file costs the scenes, not the
        app, and says so."""
        if self._scenes is None:
            self._scenes = ()
            try:
                self._scenes = load_scenes()
            except SceneError as exc:
                self._problem = f"Scenes are not available: {exc}"
                self._error(self._problem)
        return self._scenes

    @property
    def actions(self) -> list[QAction]:
        """One checkable entry per scene, made (and put in the menu) now if they were not yet."""
        if self._actions is None:
            self._actions = []
            owner = self.parent()
            assert isinstance(owner, QWidget)
            for i, scene in enumerate(self.scenes):
                title = scene.title.replace("&", "&&")  # a title's & is not a keyboard mnemonic
                action = QAction(f"&{i + 1}  {title}" if i < 9 else title, owner)
                action.setCheckable(True)
                action.setData(scene.id)
                action.triggered.connect(lambda _checked=False, i=i: self._show(i))
                self.group.addAction(action)
                self._actions.append(action)
            self._menu.insertActions(self._end, self._actions)
            if self._problem:  # the menu says why it has none (the status bar forgets)
                problem = QAction(self._problem, owner)
                problem.setEnabled(False)
                self._menu.insertAction(self._end, problem)
        return self._actions
