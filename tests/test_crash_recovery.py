"""A real crash: a normgui process is killed with SIGKILL after typing a vector; the next one
comes back with that vector by itself. And a hard crash of the interpreter leaves its traceback
in the log. Every process here has its own data folder (HOME, XDG_*) in tmp_path."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

DRIVER = Path(__file__).parent / "crash_driver.py"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and XDG are POSIX")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONFAULTHANDLER="1",
    )
    return env


def test_work_comes_back_after_sigkill(tmp_path: Path) -> None:
    env = _env(tmp_path)
    typed = "1.5, -2, 3e3; 4, 5, 6"
    first = subprocess.Popen(
        [sys.executable, str(DRIVER), "type", typed],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None
        line = first.stdout.readline()  # blocks until the autosave holds the vector
        assert line.startswith("saved"), first.stderr.read() if first.stderr else line
        seconds = float(line.split()[1])
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        if first.stdout:
            first.stdout.close()
        if first.stderr:
            first.stderr.close()
    assert first.returncode == -signal.SIGKILL
    # Debounced by 0.5 s, written soon after (tests/qt/test_autosave.py times it closely); here
    # a loaded machine running the suite in parallel gets some slack.
    assert seconds < 3.0

    data = tmp_path / "data" / "normgui" / "normgui"
    assert (data / "running.lock").exists()  # left behind: that is how the crash is known
    assert sorted(p.name for p in data.iterdir()) == ["autosave.normgui", "running.lock"]

    second = subprocess.run(
        [sys.executable, str(DRIVER), "report"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert second.returncode == 0, second.stderr
    report = json.loads(second.stdout.strip().splitlines()[-1])
    assert report["inputs_a"] == [[1.5, -2.0, 3000.0], [4.0, 5.0, 6.0]]
    assert "ended unexpectedly" in report["status"]
    assert report["can_undo"]
    assert report["after_undo"] == [[1.0, 2.0, 3.0, 4.0]]  # Undo takes the restore back
    assert not (data / "running.lock").exists()  # this one quit cleanly


def test_a_hard_crash_leaves_its_traceback_in_the_log(tmp_path: Path) -> None:
    code = (
        "from normgui.qt.shell.app import create_app\n"
        "app = create_app()\n"
        "from normgui.qt.shell import crash_reporting\n"
        "reporter = crash_reporting.install()\n"
        "print(reporter.log_path, flush=True)\n"
        "import faulthandler\n"
        "faulthandler._sigsegv()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(tmp_path), capture_output=True, text=True
    )
    assert result.returncode != 0
    log = Path(result.stdout.strip())
    assert log.is_relative_to(tmp_path)
    text = log.read_text()
    assert "normgui started" in text
    assert "Fatal Python error: Segmentation fault" in text
