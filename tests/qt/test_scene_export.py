"""A scene's export draws what presentation mode shows (its title, caption with live readouts,
the table it is about, only its plots) as vector text in SVG; a failed export says why."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from normgui.__main__ import main
from normgui.qt.shell.main_window import MainWindow
from normgui.scenes import load_scenes, scene_by_id

SVG = "{http://www.w3.org/2000/svg}"
SCENES = load_scenes()


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    w = MainWindow(persist=False)
    qtbot.addWidget(w)
    return w


def svg_text(path: Path, between: str = " ") -> str:
    """The SVG's texts, one after the other (a line of mixed scripts, "weights × δ", is written
    as several: join them with "" to read it whole)."""
    root = ET.parse(path).getroot()
    assert "image" not in {e.tag.removeprefix(SVG) for e in root.iter()}  # vector only
    return between.join(t.text or "" for t in root.iter(f"{SVG}text"))


def test_the_command_line_draws_a_scene_as_presentation_mode_shows_it(tmp_path: Path) -> None:
    scene = scene_by_id(SCENES, "invariances")
    out = tmp_path / "t.svg"
    assert main(["--scene", "invariances", "--export", str(out)]) == 0
    text = svg_text(out)
    assert scene.title.split(":")[0] in text
    assert "recomputed here by experiment" in text  # the caption
    assert "A and B coincide after LayerNorm" in text  # its live readout
    cells = svg_text(out, between="")
    for cell in ("weights × δ", "data + c", "Layer norm", "Batch norm", "✓", "✗"):
        assert cell in cells  # the table the scene is about
    # Only the scene's plots: stages and activation, not the gradient or the histograms.
    assert "Stages" in text and "Through the activation" in text
    assert "Gradient" not in text and "Distributions" not in text


def test_a_scene_picture_is_taller_than_the_plots_and_the_window_is_left_as_it_was(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    window.show()  # pictures of the plots as they are on screen
    qtbot.waitExposed(window)
    window.export_plots(tmp_path / "plain.png", 1.0)
    plain = QImage(str(tmp_path / "plain.png"))
    window.lecture.show_scene("linear-regime")
    window.export_plots(tmp_path / "scene.png", 1.0)
    scene = QImage(str(tmp_path / "scene.png"))
    assert scene.width() == plain.width() == window.plots.width()
    assert scene.height() > window.plots.height() + 40  # the caption above the plots
    # At the desk the window still shows all four plots, and the caption keeps its buttons.
    assert all(not w.isHidden() for w in window.plots.plot_widgets)
    assert not window.lecture.caption.next_button.isHidden()


def test_the_export_dialog_draws_the_open_scene_and_says_what_it_wrote(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "normgui.qt.lecture.exporting.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(tmp_path / "slide.svg"), "SVG drawing (*.svg)"),
    )
    window.lecture.show_scene("layernorm-same")
    window.export_action.trigger()
    assert SCENES[0].title.split(" ")[0] in svg_text(tmp_path / "slide.svg")
    assert window.statusBar().currentMessage() == "Plots saved to slide.svg (an SVG drawing)"


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_a_failed_export_gives_the_systems_reason(
    window: MainWindow, tmp_path: Path, suffix: str
) -> None:
    with pytest.raises(OSError, match="No such file or directory"):
        window.export_plots(tmp_path / "missing" / f"plots{suffix}")
    with pytest.raises(ValueError, match=r"\.png or \.svg"):
        window.export_plots(tmp_path / "plots.docx")


def test_the_export_dialog_reports_a_failure_with_its_reason(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "missing" / "plots.png"
    monkeypatch.setattr(
        "normgui.qt.lecture.exporting.QFileDialog.getSaveFileName",
        lambda *args, **kwargs: (str(target), "PNG image (*.png)"),
    )
    window.export_action.trigger()
    message = window.statusBar().currentMessage()
    assert "Plots not saved" in message and "No such file or directory" in message
