"""The Training page and its docks' panels, made on first use: the window opens on the Layer
page, and these (with the training engine their modules import) would cost its start for
nothing. Made, they are what they would have been if made with the window: in its theme, and
wired to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from normgui.qt.store import Store
from normgui.qt.theme import Theme

if TYPE_CHECKING:
    from normgui.core.training.history import History
    from normgui.qt.training import TrainingPage


class TrainingParts:
    """Makers of the Training page (`make_page`) and of its docks' panels over `store`; the page
    takes the window's `theme()` and calls `on_changed` whenever its run changes."""

    def __init__(
        self, store: Store, theme: Callable[[], Theme], on_changed: Callable[[], None]
    ) -> None:
        self._store = store
        self._theme = theme
        self._on_changed = on_changed
        self.page: TrainingPage | None = None  # until made

    def make_page(self) -> QWidget:
        from normgui.qt.training import TrainingPage

        self.page = TrainingPage(self._store)
        self.page.set_theme(self._theme())
        self.page.controller.changed.connect(self._on_changed)
        return self.page

    def make_data_setup(self) -> QWidget:
        from normgui.qt.training import DataSetupPanel

        return DataSetupPanel(self._store)

    def make_network_setup(self) -> QWidget:
        from normgui.qt.training import NetworkSetupPanel

        return NetworkSetupPanel(self._store)

    def kept_history(self) -> History | None:
        """The training history a saved session keeps: none before the page was made."""
        return None if self.page is None else self.page.controller.kept_history()
