"""Fixtures for widget tests: a store, and a guard against top-level widgets left behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QApplication

from normgui.qt.store import Store


@pytest.fixture(autouse=True)
def _isolated_paths(qapp: QApplication) -> None:
    # Qt's test mode points QStandardPaths at a test location: never the user's own data.
    QStandardPaths.setTestModeEnabled(True)


@pytest.fixture(autouse=True)
def _no_leaked_widgets(qapp: QApplication) -> Iterator[None]:
    before = {id(w) for w in QApplication.topLevelWidgets()}
    yield
    QApplication.processEvents()
    leaked = [
        w
        for w in QApplication.topLevelWidgets()
        if id(w) not in before and w.isVisible() and w.objectName() != "qt_tooltip_label"
    ]
    for w in leaked:
        w.close()
    assert not leaked, f"top-level widgets left open: {[type(w).__name__ for w in leaked]}"


@pytest.fixture
def store(qapp: QApplication) -> Store:
    return Store()
