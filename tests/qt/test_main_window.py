"""The whole window: scripting API, title, menus, warnings, command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from normgui.__main__ import main
from normgui.core.state import State
from normgui.qt.shell.main_window import MainWindow
from normgui.session import save


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    w = MainWindow()
    qtbot.addWidget(w)
    return w


def _by_name(window: QWidget, name: str) -> QWidget:
    (widget,) = (w for w in window.findChildren(QWidget) if w.accessibleName() == name)
    return widget


def test_scripting_api(window: MainWindow) -> None:
    window.store.set_state(State(method="rmsnorm"))
    assert window.store.state.method == "rmsnorm"
    assert window.store.frame.state is window.store.state


@pytest.mark.parametrize(
    "name",
    ["Input A", "Normalization method", "Gamma", "Beta", "Epsilon", "Activation", "Compare"],
)
def test_controls_have_accessible_names(window: MainWindow, name: str) -> None:
    assert _by_name(window, name) is not None


def test_typing_a_vector_updates_every_plot(window: MainWindow, qtbot: QtBot) -> None:
    entry = _by_name(window, "Input A")
    assert isinstance(entry, QLineEdit)
    entry.setFocus()
    entry.selectAll()
    qtbot.keyClicks(entry, "4, 5, 6, 7")
    qtbot.keyClick(entry, "\r")
    assert window.store.state.inputs_a.tolist() == [[4.0, 5.0, 6.0, 7.0]]
    window.store.flush()
    np.testing.assert_allclose(
        window.store.frame.a.normalized[0],
        [-1.3416355, -0.4472118, 0.4472118, 1.3416355],
        atol=1e-7,
    )


def test_bad_input_keeps_the_state_and_says_why(window: MainWindow, qtbot: QtBot) -> None:
    before = window.store.state
    entry = _by_name(window, "Input A")
    assert isinstance(entry, QLineEdit)
    entry.setText("1, two, 3")
    qtbot.keyClick(entry, "\r")
    assert window.store.state is before
    assert "two" in window.statusBar().currentMessage()


def test_title_shows_the_modified_mark(window: MainWindow) -> None:
    assert window.windowTitle().startswith("Untitled")
    assert not window.isWindowModified()
    window.store.update("Change γ", gamma=2.0)
    assert window.isWindowModified()
    window.undo_action.trigger()
    assert not window.isWindowModified()
    assert window.store.state.gamma == 1.0
    window.redo_action.trigger()
    assert window.store.state.gamma == 2.0


def test_warnings_are_shown_above_the_plots(window: MainWindow, qtbot: QtBot) -> None:
    window.show()
    window.store.update("Method", method="batchnorm")
    window.store.flush()
    assert window._warning_label.isVisible()
    assert "two samples" in window._warning_label.text()
    window.store.update("Method", method="layernorm")
    window.store.flush()
    assert not window._warning_label.isVisible()
    window.close()


def test_show_raw_action_writes_the_state(window: MainWindow) -> None:
    window.show_raw_action.trigger()
    assert window.store.state.show_raw
    window.store.update("Hide", show_raw=False)
    assert not window.show_raw_action.isChecked()


def test_export_writes_a_non_blank_png(window: MainWindow, tmp_path: Path) -> None:
    out = tmp_path / "plots.png"
    window.export_plots(out)
    image = QImage(str(out))
    assert image.width() > 500 and image.height() > 300
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 20


def test_export_to_an_impossible_path_says_so(window: MainWindow, tmp_path: Path) -> None:
    with pytest.raises(OSError):
        window.export_plots(tmp_path / "missing-folder" / "plots.png")


def test_command_line_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli.png"
    assert main(["--export", str(out)]) == 0
    assert out.stat().st_size > 5000


def test_command_line_selftest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--selftest"]) == 0
    assert "selftest passed" in capsys.readouterr().out


def test_command_line_opens_a_session(tmp_path: Path) -> None:
    path = tmp_path / "demo.normgui"
    save(State(method="minmax"), path)
    assert main([str(path), "--export", str(tmp_path / "demo.png")]) == 0


def test_command_line_reports_a_bad_session(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.normgui"
    path.write_text("not json")
    assert main([str(path), "--export", str(tmp_path / "x.png")]) == 2
    assert "bad.normgui" in capsys.readouterr().err


def test_command_line_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert "normgui" in capsys.readouterr().out
