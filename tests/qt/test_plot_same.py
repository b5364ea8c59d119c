"""When A and B coincide after the normalization, the plots say so and B stays in sight: an
outline around each A, on the curves and along the stages; when they differ, nothing is said."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from normgui.qt.plots import PlotArea
from normgui.qt.plots._same import ab_same
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT

A = [[1.0, 2.0, 3.0, 4.0]]
B = [[4.0, 5.0, 6.0, 7.0]]


def _colour_pixels(image: QImage, colour: str) -> int:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    bgr = pixels[:, : width * 4].reshape(height, width, 4)[:, :, :3].astype(int)
    c = QColor(colour)
    return int(np.count_nonzero(np.abs(bgr - [c.blue(), c.green(), c.red()]).sum(axis=2) < 60))


def _area(qtbot: QtBot, method: str, b: list[list[float]] = B) -> PlotArea:
    store = Store(Store().state.replace(inputs_a=A, inputs_b=b, compare=True, method=method))
    area = PlotArea(store)
    qtbot.addWidget(area)
    area.resize(900, 700)
    return area


def test_layernorm_makes_a_and_b_one_and_the_plots_say_so(qtbot: QtBot) -> None:
    area = _area(qtbot, "layernorm")
    frame = area.frame
    assert frame is not None and ab_same(frame)
    activation, gradient = area.plots["activation"], area.plots["gradient"]
    stages = area.plots["stages"]
    assert "A and B coincide after LayerNorm" in activation.readout.html()
    assert "meet" in stages.strip.html()
    # B is an outline around A, bigger than A's mark, on both curves and along the stages.
    styles = [(m[0].points.style, m[1].points.style) for m in (activation.marks, gradient.marks)]
    styles.append((stages.marks[0].style, stages.marks[1].style))
    for a, b in styles:
        assert b.hollow and not a.hollow and b.size > a.size
    # ... and so it can be seen: where B's squares sat under A's, B's colour is drawn.
    image = activation.widget.grab().toImage()
    assert _colour_pixels(image, LIGHT.series[1]) > 150


def test_apart_or_the_same_to_the_eye(qtbot: QtBot) -> None:
    # BatchNorm over A and B as one batch tells them apart: nothing is said, B is drawn as usual.
    batchnorm = _area(qtbot, "batchnorm")
    assert batchnorm.frame is not None and not ab_same(batchnorm.frame)
    assert "coincide" not in batchnorm.plots["activation"].readout.html()
    assert batchnorm.plots["stages"].strip.html() == ""
    assert not batchnorm.plots["activation"].marks[1].points.style.hollow
    # B = 1000·A: ε weighs on A's small variance only, so their x̂ differ in the sixth figure,
    # which no plot can show: the same to the eye, and said so.
    scaled = _area(qtbot, "layernorm", b=[[1000.0, 2000.0, 3000.0, 4000.0]])
    frame = scaled.frame
    assert frame is not None and frame.b is not None
    assert 1e-7 < np.max(np.abs(frame.a.normalized - frame.b.normalized)) < 1e-4
    assert ab_same(frame) and "coincide" in scaled.plots["activation"].readout.html()
