"""What a start needs of the training package is what a run is (its setup, presets, scenes,
sessions without a history), not the engine that trains it: that loads on first use, and every
name the package offers still works."""

from __future__ import annotations

import subprocess
import sys

import normgui.core.training as training

ENGINE = (
    "normgui.core.training.loop",
    "normgui.core.training.network",
    "normgui.core.training.optim",
    "normgui.core.training.params",
    "normgui.core.training.records",
    "normgui.core.training.history",
    "normgui.core.training.history_file",
    "normgui.core.training.runner",
)

SCRIPT = """
import sys
from normgui.core.state import State
from normgui.scenes import load_scenes
from normgui.session import dumps, loads_session

state = State()
scenes = load_scenes()
assert loads_session(dumps(state)).state.same_as(state)
print(",".join(sorted(m for m in sys.modules if m.startswith("normgui.core.training"))))
from normgui.core.training import Trainer
print(Trainer.__module__)
"""


def test_states_scenes_and_sessions_load_no_training_engine() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    loaded, trainer = done.stdout.split()
    assert not set(ENGINE) & set(loaded.split(","))
    assert "normgui.core.training.setup" in loaded  # (the State's setup is read without it)
    assert trainer == "normgui.core.training.loop"


def test_every_name_of_the_training_package_is_there_on_first_use() -> None:
    for name in training.__all__:
        assert getattr(training, name) is not None, name
    assert set(training.__all__) <= set(dir(training))
