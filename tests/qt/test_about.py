"""Help → About: the icon, the versions and the licences."""

from __future__ import annotations

import re

import numpy
import pyqtgraph
import PySide6
import pytest
from PySide6.QtCore import QTimer, qVersion
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from normgui import __version__
from normgui.qt.shell.about import (
    APP_ID,
    ICON_SIZES,
    AboutDialog,
    about_html,
    app_icon,
    icon_image,
    show_about,
    show_about_qt,
    versions,
)


def test_versions_name_everything_normgui_runs_on() -> None:
    v = versions()
    assert v["normgui"] == __version__
    assert v["Qt"] == qVersion()
    assert v["PySide6"] == PySide6.__version__
    assert v["pyqtgraph"] == pyqtgraph.__version__
    assert v["numpy"] == numpy.__version__


def test_about_text_has_versions_and_licences() -> None:
    text = about_html()
    for value in versions().values():
        assert value in text
    for licence in ("MIT", "LGPL", "BSD-3-Clause"):
        assert licence in text
    # Qt's LGPL note: it may be replaced, and where its source is
    assert "replace" in text
    assert "https://download.qt.io/" in text


def test_show_about_opens_and_copies_versions(qtbot: QtBot) -> None:
    dialog = show_about()
    qtbot.addWidget(dialog)
    assert isinstance(dialog, AboutDialog)
    assert dialog.isVisible()
    assert f"normgui {__version__}" in dialog.title.text()
    assert re.search(rf"numpy\s+{re.escape(numpy.__version__)}", dialog.text.toPlainText())
    dialog.copy_button.click()
    assert f"numpy: {numpy.__version__}" in QGuiApplication.clipboard().text()
    with qtbot.waitSignal(dialog.finished):
        dialog.reject()
    assert dialog.result() == QDialog.DialogCode.Rejected


@pytest.mark.parametrize("size", [16, 32, 256])
def test_icon_renders_opaque_centre_and_transparent_corner(size: int) -> None:
    image = icon_image(size)
    assert (image.width(), image.height()) == (size, size)
    assert image.pixelColor(size // 2, size // 2).alpha() == 255
    assert image.pixelColor(0, 0).alpha() < 128  # the rounded corner


def test_app_icon_has_every_size(qapp: QApplication) -> None:
    icon = app_icon()
    sizes = {s.width() for s in icon.availableSizes()}
    assert set(ICON_SIZES) <= sizes
    assert not icon.pixmap(16, 16).toImage().isNull()
    assert isinstance(icon.pixmap(48, 48).toImage(), QImage)


def test_app_id_is_reverse_dns_lower_case() -> None:
    assert APP_ID.lower() == APP_ID
    assert APP_ID.count(".") >= 2


def test_about_qt_shows_qts_own_box(qapp: QApplication) -> None:
    seen: list[str] = []

    def close_box() -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            seen.append(box.windowTitle())
            box.close()

    QTimer.singleShot(0, close_box)
    show_about_qt(None)  # modal: returns once the box is closed
    assert seen == ["About Qt"]
