"""Training scenes: each names a shipped preset and summaries that exist, opens the Training page
with that preset's setup, says its numbers from the run, and exports offscreen."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from normgui.core.training.preset import shipped_presets
from normgui.core.training.runner import train_all
from normgui.core.training.setup import TrainingSetup, from_preset
from normgui.core.training.summary import SUMMARIES, summaries
from normgui.scenes import SceneError, load_scenes, loads

TRAINING_SCENES = [s for s in load_scenes() if s.training is not None]
SHORT = {"steps": 30, "record_every": 10}


def short(setup: TrainingSetup) -> TrainingSetup:
    return setup.replace(**SHORT)


def test_there_are_training_scenes_for_every_question() -> None:
    presets = {s.training.preset for s in TRAINING_SCENES if s.training is not None}
    assert presets == set(shipped_presets())  # every shipped preset has its scene


@pytest.mark.parametrize("scene", TRAINING_SCENES, ids=lambda s: s.id)
def test_a_training_scene_opens_its_preset(scene: object) -> None:
    from normgui.scenes import Scene

    assert isinstance(scene, Scene) and scene.training is not None
    preset = shipped_presets()[scene.training.preset]
    assert scene.state.training_setup == from_preset(preset)
    assert scene.training.summary and all(n in SUMMARIES for n in scene.training.summary)
    # the caption states the question and the setup; results (accuracies, shares) come from
    # the run, never from the file
    assert "%" not in scene.caption


@pytest.mark.parametrize("scene", TRAINING_SCENES, ids=lambda s: s.id)
def test_a_training_scene_says_numbers_from_its_run(scene: object) -> None:
    from normgui.scenes import Scene

    assert isinstance(scene, Scene) and scene.training is not None
    history = train_all(short(scene.state.training_setup))
    said = summaries(history, scene.training.summary)
    assert said, "the scene says nothing after its run"
    text = " ".join(" ".join(r.lines) + str(r.table) for r in said)
    last = history.records["A"][-1]
    if "accuracy" in scene.training.summary:
        assert f"{round(100 * (last.test_accuracy or 0))}%" in text
    assert "30" in text  # the step reached


def test_a_scene_with_an_unknown_preset_or_summary_is_refused() -> None:
    base = {"format": "normgui-scene", "version": 1, "id": "x", "title": "t", "caption": "c"}
    for training, words in (
        ({"preset": "nope"}, "preset"),
        ({"preset": "layernorm-offset", "summary": ["magic"]}, "summary"),
        ({"preset": "layernorm-offset", "layer": "top"}, "layer"),
    ):
        with pytest.raises(SceneError, match=words):
            loads(json.dumps({**base, "training": training}))


def test_input_batchnorm_scene_compares_the_learned_transform_with_standardizing() -> None:
    scene = next(s for s in TRAINING_SCENES if "input_transform" in s.training.summary)  # type: ignore[union-attr]
    history = train_all(short(scene.state.training_setup))
    (readout,) = summaries(history, ("input_transform",))
    assert readout.table[0] == ("feature", "scale A", "scale B", "shift A", "shift B")
    assert len(readout.table) == 5 and "times A's" in readout.lines[0]


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_every_training_scene_exports_offscreen(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from normgui.__main__ import main

    # Short runs: the scenes' own lengths take seconds each (the export trains them in full).
    real = train_all
    monkeypatch.setattr(
        "normgui.qt.training.controller.train_all", lambda setup: real(short(setup))
    )
    for scene in TRAINING_SCENES[:2] if suffix == ".svg" else TRAINING_SCENES:
        out = tmp_path / f"{scene.id}{suffix}"
        csv = tmp_path / f"{scene.id}.csv"
        assert main(["--scene", scene.id, "--export", str(out), "--csv", str(csv)]) == 0
        assert out.stat().st_size > 5000
        assert csv.read_text().count("\n") >= 4


def test_headless_scene_training_is_deterministic() -> None:
    setup = short(TRAINING_SCENES[0].state.training_setup)
    first, second = train_all(setup), train_all(replace(setup))
    assert repr(first.records) == repr(second.records)
