"""Readouts, keys and legends never cover a point: they sit in strips outside the data area, at
any γ and β, in the window's theme and in presentation mode, on screen and in a picture."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtWidgets import QApplication, QGraphicsTextItem
from pytestqt.qtbot import QtBot

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.qt.plots import PlotArea
from normgui.qt.plots._marks import MarkCloud
from normgui.qt.plots._strip import Strip
from normgui.qt.store import Store
from normgui.qt.theme import LIGHT, PRESENTATION, Theme


def _strips(area: PlotArea) -> list[Strip]:
    return [
        item
        for widget in area.plot_widgets
        for item in widget.scene().items()
        if isinstance(item, Strip) and item.isVisible()
    ]


def _texts_and_legends(widget: pg.PlotWidget) -> list[QRectF]:
    """The scene rectangles of every visible text and legend drawn over a plot, other than its
    axes' own labels and its title."""
    rects = []
    for item in widget.scene().items():
        if not item.isVisible() or isinstance(item.parentItem(), (pg.AxisItem, pg.LabelItem)):
            continue
        if isinstance(item, (QGraphicsTextItem, pg.LegendItem, pg.TextItem)):
            rects.append(item.sceneBoundingRect())
    return rects


def _marks_in_scene(widget: pg.PlotWidget) -> list[QPointF]:
    points = []
    for item in widget.scene().items():
        if isinstance(item, MarkCloud) and item.isVisible():
            x, y = item.getData()
            view = item.getViewBox()
            points += [view.mapViewToScene(QPointF(a, b)) for a, b in zip(x, y, strict=True)]
        elif isinstance(item, pg.PlotDataItem) and item.opts["stepMode"] and item.isVisible():
            edges, counts = item.getOriginalDataset()  # a bar's top, middle and foot
            view = item.getViewBox()
            for left, right, count in zip(edges[:-1], edges[1:], counts, strict=True):
                for level in (count, count / 2, 0.0) if count else ():
                    for x in (left, 0.5 * (left + right), right):
                        points.append(view.mapViewToScene(QPointF(x, level)))
    return points


def _views(widget: pg.PlotWidget) -> list[QRectF]:
    return [
        item.sceneBoundingRect()
        for item in widget.scene().items()
        if isinstance(item, pg.ViewBox) and item.isVisible()
    ]


# The plot area at 1366×768 in the window, and full screen in presentation mode.
@pytest.mark.parametrize(
    ("theme", "size"), [(LIGHT, (730, 620)), (PRESENTATION, (1366, 700))], ids=["window", "big"]
)
@pytest.mark.parametrize(("gamma", "beta"), [(10.0, 0.0), (-10.0, -10.0)])
def test_no_point_lies_under_a_readout_key_or_legend(
    qtbot: QtBot, gamma: float, beta: float, theme: Theme, size: tuple[int, int]
) -> None:
    state = Store().state.replace(
        gamma=gamma, beta=beta, compare=True, inputs_b=[[4.0, 5.0, 6.0, 7.0]], show_raw=True
    )
    store = Store(state)
    area = PlotArea(store)
    qtbot.addWidget(area)
    area.set_theme(theme)
    area.resize(*size)
    area.show()
    qtbot.waitExposed(area)
    area.render_image()  # laid out as a picture is
    QApplication.processEvents()
    texts = 0
    for widget in area.plot_widgets:
        points, views = _marks_in_scene(widget), _views(widget)
        assert points, "every plot shows marks"
        for rect in _texts_and_legends(widget):
            texts += 1
            covered = [p for p in points if rect.contains(p)]
            assert not covered, f"a text at {rect} covers points at {covered}"
            # Nothing read lies in a data area: whatever comes there later stays clear of it.
            assert not any(rect.intersects(view) for view in views), f"a text at {rect}"
        # ... and what it takes leaves the data room to be seen.
        for view in views:
            assert view.height() >= 40
    assert texts >= 4, "the readout, the keys and the legends are drawn"
    readout = area.plots["activation"].readout
    assert "<b>B</b>" in readout.html() and readout.text.boundingRect().height() > 0
    # A strip is as tall as what it holds and no taller: the data area keeps the rest.
    for strip in _strips(area):
        content = max(
            (
                child.mapRectToParent(child.boundingRect()).height()
                for child in strip.childItems()
                if child.isVisible()
            ),
            default=0.0,
        )
        assert strip.size().height() == pytest.approx(content, abs=1.0)
