"""Pictures as inputs: File → Import reads PNG, JPEG, BMP and GIF through Qt, as one row per
pixel (channels as features) or one row per image (pixels as features), scales large ones down
with a note, and the Distributions plot shows the picture at each stage."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot

from normgui.core.images import MAX_PIXELS, picture
from normgui.qt.data_panel import InputPanel
from normgui.qt.plots import PlotArea
from normgui.qt.store import Store


def _image(path: Path, width: int = 6, height: int = 4, grey: bool = False) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    for y in range(height):
        for x in range(width):
            level = (40 * x + 25 * y) % 256
            colour = QColor(level, level, level) if grey else QColor(level, 255 - level, 7 * y)
            image.setPixelColor(x, y, colour)
    assert image.save(str(path))
    return image


def _panel(qtbot: QtBot) -> tuple[InputPanel, Store, list[str]]:
    store = Store()
    panel = InputPanel(store)
    qtbot.addWidget(panel)
    said: list[str] = []
    store.notice.connect(said.append)
    store.error.connect(said.append)
    return panel, store, said


@pytest.mark.parametrize("suffix", [".png", ".bmp"])
def test_a_picture_becomes_one_row_per_pixel(qtbot: QtBot, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"picture{suffix}"
    image = _image(path)
    panel, store, said = _panel(qtbot)
    assert panel.import_file(path)
    data, layout = store.state.inputs_a, store.state.image_shown
    assert layout is not None and (layout.height, layout.width) == (4, 6)
    assert data.shape == (24, 3) and layout.channels == 3 and not layout.per_image
    # Row y·width + x holds pixel (x, y)'s red, green and blue.
    colour = image.pixelColor(5, 2)
    assert data[2 * 6 + 5].tolist() == [colour.red(), colour.green(), colour.blue()]
    assert "a picture: 6 × 4 pixels" in said[-1]


# A GIF of one red pixel (Qt reads GIF but does not write it).
RED_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\x00\x00\x00\x00\x00!\xf9\x04\x00\x00\x00"
    b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def test_a_gif_is_read_too(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "red.gif"
    path.write_bytes(RED_GIF)
    panel, store, _ = _panel(qtbot)
    assert panel.import_file(path)
    assert store.state.inputs_a.tolist() == [[255.0, 0.0, 0.0]]


def test_a_grey_jpeg_has_one_channel_and_a_row_per_image(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "grey.jpg"
    _image(path, grey=True)
    panel, store, _ = _panel(qtbot)
    assert panel.import_file(path, per_image=True)
    layout = store.state.image_shown
    assert layout is not None and layout.channels == 1 and layout.per_image
    assert store.state.inputs_a.shape == (1, 24)
    assert picture(store.state.inputs_a, layout).shape == (4, 6, 1)


def test_a_large_picture_is_scaled_down_with_a_note(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "large.png"
    large = QImage(400, 300, QImage.Format.Format_RGB32)
    large.fill(QColor("teal"))
    assert large.save(str(path))
    panel, store, said = _panel(qtbot)
    assert panel.import_file(path)
    layout = store.state.image_shown
    assert layout is not None and layout.height * layout.width <= MAX_PIXELS
    assert abs(layout.width / layout.height - 4 / 3) < 0.05
    assert "scaled down from 400 × 300" in said[-1]


def test_a_damaged_picture_is_refused_in_plain_words(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    panel, store, said = _panel(qtbot)
    before = store.state
    assert not panel.import_file(path)
    assert store.state is before and "broken.png" in said[-1] and "picture" in said[-1]


def test_the_distributions_show_the_picture_at_each_stage(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "picture.png"
    _image(path)
    panel, store, _ = _panel(qtbot)
    area = PlotArea(store)
    qtbot.addWidget(area)
    pictures = area.plots["distributions"].pictures
    assert not pictures.shown  # numbers are not a picture
    panel.import_file(path)
    store.update("Standardize", method="standardize")
    store.flush()
    assert pictures.shown
    raw, normalized, activated = (image.image for image in pictures.images)
    assert raw.shape == normalized.shape == activated.shape == (4, 6, 3)
    # Standardizing each channel changes its numbers, not the order of its pixels' brightness.
    for channel in range(3):
        assert (
            np.array_equal(
                np.argsort(raw[:, :, channel], axis=None, kind="stable"),
                np.argsort(normalized[:, :, channel], axis=None, kind="stable"),
            )
            or np.ptp(raw[:, :, channel]) == 0
        )
    # A reshaped A is numbers again: the pictures go.
    store.update("Edit", inputs_a=[[1.0, 2.0, 3.0]])
    store.flush()
    assert not pictures.shown


def test_the_import_dialog_asks_how_to_lay_a_picture_out(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "picture.png"
    _image(path)
    panel, store, _ = _panel(qtbot)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    asked: list[list[str]] = []

    def choose(
        parent: object, title: str, label: str, items: list[str], *rest: object
    ) -> tuple[str, bool]:
        asked.append(items)
        return items[1], True  # one row per image

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    assert panel.open_import_dialog()
    assert "pixel" in asked[0][0] and store.state.inputs_a.shape == (1, 72)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: ("", False))  # cancelled
    before = store.state
    assert not panel.open_import_dialog() and store.state is before
