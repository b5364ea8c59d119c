"""The window's pages, Layer and Training: one centre each in a stack, and docks of their own.

Switching hides the docks of the page left (remembering which were open) and opens those of the
page entered as they were when it was left, so each page keeps its own layout and
QMainWindow.saveState/restoreState keep working (the window saves on the Layer page).

A page's centre may be given as a function that makes it: it is made when the page is first
shown or asked for (`page`), so that a page the window does not open on costs its start nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import shiboken6
from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLayoutItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from normgui.qt.shell.tab_order import take_place_in_tab_order


class PageStack(QStackedWidget):
    """A stack of pages as large, at least, as the page in front needs: Qt's asks for the
    least size of the largest page, shown or not, so the window on the Training page could not
    be made smaller than the Layer page's four plots need. The page's size is what Qt's layouts
    take it to be (its own minimum size, where it set one, over its hint)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The window's layout asks again when another page comes in front.
        self.currentChanged.connect(self._on_current_changed)

    def _on_current_changed(self, _index: int) -> None:
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        item = self._current_item()
        return super().minimumSizeHint() if item is None else item.minimumSize()

    def sizeHint(self) -> QSize:
        item = self._current_item()
        return super().sizeHint() if item is None else item.sizeHint()

    def _current_item(self) -> QLayoutItem | None:
        layout = self.layout()
        index = self.currentIndex()
        return None if layout is None or index < 0 else layout.itemAt(index)


class Pages(QObject):
    """Pages `names` of `window`, each a centre widget (or a function making it on first use)
    and its docks (and toolbars of its own); actions with Ctrl+1, Ctrl+2… for the View menu and
    the toolbar. `docks_shown()` says whether docks may show now (not in presentation mode)."""

    changed = Signal(int)

    def __init__(
        self,
        window: QMainWindow,
        names: Sequence[str],
        centres: Sequence[QWidget | Callable[[], QWidget]],
        docks: Sequence[Sequence[QWidget]],
        docks_shown: Callable[[], bool],
    ) -> None:
        super().__init__(window)
        self.stack = PageStack()
        self._makers: dict[int, Callable[[], QWidget]] = {}
        for i, centre in enumerate(centres):
            if isinstance(centre, QWidget):
                self.stack.addWidget(centre)
            else:
                self._makers[i] = centre
                self.stack.addWidget(QWidget())  # holds the page's place until it is made
        self._docks = [list(d) for d in docks]
        self._open = [set(d) for d in self._docks]  # open when the page is entered
        self._docks_shown = docks_shown
        self._focus: dict[int, QWidget] = {}  # what had the keyboard when a page was left
        self.group = QActionGroup(window)
        self.actions: list[QAction] = []
        for i, name in enumerate(names):
            action = QAction(f"&{name}", window)
            action.setCheckable(True)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.setToolTip(f"The {name} page (Ctrl+{i + 1})")
            action.triggered.connect(lambda _checked=False, i=i: self.show_page(i))
            self.group.addAction(action)
            self.actions.append(action)
        self.actions[0].setChecked(True)
        for dock in (d for page in self._docks[1:] for d in page):
            dock.hide()

    @property
    def index(self) -> int:
        return self.stack.currentIndex()

    def made(self, index: int) -> bool:
        """Whether page `index`'s centre exists yet."""
        return index not in self._makers

    def page(self, index: int) -> QWidget:
        """The centre of page `index`, made now if it was not yet."""
        make = self._makers.pop(index, None)
        holder = self.stack.widget(index)
        assert holder is not None, f"no page {index}"
        if make is None:
            return holder
        centre = make()
        self.stack.insertWidget(index, centre)  # (the page in front stays in front)
        take_place_in_tab_order(centre, holder)
        self.stack.removeWidget(holder)
        holder.deleteLater()
        return centre

    def show_page(self, index: int) -> None:
        old = self.index
        self.actions[index].setChecked(True)
        if index == old:
            return
        self.page(index)
        focused = QApplication.focusWidget()
        if focused is not None:
            self._focus[old] = focused
        if self._docks_shown():
            self._open[old] = {d for d in self._docks[old] if not d.isHidden()}
        self.stack.setCurrentIndex(index)
        shown = self._docks_shown()
        for dock in self._docks[index]:
            dock.setVisible(shown and dock in self._open[index])
        self.hide_other_docks()
        self._give_focus(index)
        self.changed.emit(index)

    def _give_focus(self, index: int) -> None:
        """The keyboard back where it was when page `index` was left, or to its centre (its
        focus proxy: the Training page's Run button, so that Space trains as its tooltip says)
        on a first visit. Left to Qt, it went to the next control of the Tab order, a drop-down
        list of a dock, which Space opened."""
        back = self._focus.get(index)
        if back is not None and shiboken6.isValid(back) and back.isVisible():
            back.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.page(index).setFocus(Qt.FocusReason.OtherFocusReason)

    def hide_other_docks(self) -> None:
        """Hide the docks of the pages not in front (a layout put back after presentation mode
        may be one saved on another page); those in front stay as they are."""
        for i, docks in enumerate(self._docks):
            if i != self.index:
                for dock in docks:
                    dock.hide()
