"""The lecture scenes: every shipped file loads and shows what its caption says; broken files
give a clear SceneError; sweeps interpolate as promised."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from normgui.core.pipeline import compute
from normgui.core.readouts import ab_coincide, nudge_effect, readouts_for
from normgui.scenes import (
    PLOTS,
    Scene,
    SceneError,
    Segment,
    Sweep,
    load_scenes,
    loads,
    scene_by_id,
    with_running_steps,
)
from normgui.session import to_dict

SCENES = load_scenes()
BY_ID = {s.id: s for s in SCENES}
# Scenes whose picture is meant to come with a warning above the plots.
WARNED = {"pixels-raw", "batchnorm-batch-of-one"}


def minimal(**changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": "normgui-scene",
        "version": 1,
        "id": "a-scene",
        "title": "A scene",
        "caption": "One sentence. Two sentences.",
        "state": {"inputs_a": [[1, 2, 3, 4]]},
    }
    document.update(changes)
    return document


def load(document: dict[str, Any], name: str = "broken.json") -> Scene:
    return loads(json.dumps(document), name)


def test_the_scenes_ship_with_unique_ids() -> None:
    assert len(SCENES) >= 9
    assert len(BY_ID) == len(SCENES)
    for topic in (
        "layernorm-same",
        "batchnorm-batch",
        "linear-regime",
        "gamma-beta-saturation",
        "undo-normalization",
        "pixels-raw",
        "pixels-minmax",
        "pixels-standardized",
        "batchnorm-vs-dataset",
        "batchnorm-eval-one-step",
        "batchnorm-eval-converged",
        "batchnorm-batch-of-one",
        "eps-near-constant",
        "invariances",
    ):
        assert topic in BY_ID


@pytest.mark.parametrize("scene", SCENES, ids=lambda s: s.id)
def test_every_scene_is_complete_and_computes(scene: Scene) -> None:
    # Two to four short sentences: a full stop, ! or ? before a space and a new sentence.
    sentences = re.findall(r"[.!?](?:\s+(?=[^a-z])|$)", scene.caption)
    assert 2 <= len(sentences) <= 4, scene.caption
    assert len(scene.title) <= 60
    if scene.training is not None:  # a Training page scene: see tests/test_training_scenes.py
        return
    assert scene.plots and set(scene.plots) <= set(PLOTS)
    frame = compute(scene.state)
    assert bool(frame.warnings) == (scene.id in WARNED), frame.warnings
    for readout in readouts_for(frame, scene.readouts):
        assert readout.lines or readout.table
    # The file names order the scenes; each name ends with its scene's id.
    assert scene.source.endswith(f"-{scene.id}.json")


def test_layernorm_makes_a_and_b_coincide_and_batchnorm_does_not() -> None:
    same = compute(BY_ID["layernorm-same"].state)
    np.testing.assert_allclose(
        same.a.normalized[0], [-1.3416355, -0.4472118, 0.4472118, 1.3416355], atol=1e-7
    )
    assert ab_coincide(same) is True
    (readout,) = readouts_for(same, ("ab_difference",))
    assert readout.lines[0].startswith("A and B coincide after LayerNorm")
    apart = compute(BY_ID["batchnorm-batch"].state)
    assert ab_coincide(apart) is False
    assert "stay apart" in readouts_for(apart, ("ab_difference",))[0].lines[0]


def test_standardized_values_sit_in_the_linear_regime_until_gamma_and_beta_move_them() -> None:
    start = compute(BY_ID["linear-regime"].state).a.regime
    assert start.linear > 0.5 and start.saturated == 0.0
    scene = BY_ID["gamma-beta-saturation"]
    assert scene.animation is not None
    assert [s.param for s in scene.animation.segments] == ["gamma", "beta"]
    end = scene.state.replace(**scene.animation.values_at(scene.animation.duration))
    assert (end.gamma, end.beta) == (5.0, 4.0)
    assert compute(end).a.regime.saturated > 0.5


def test_gamma_and_beta_undo_the_normalization() -> None:
    frame = compute(BY_ID["undo-normalization"].state)
    np.testing.assert_allclose(frame.a.affine, frame.a.raw, atol=1e-12)
    assert "give back the input" in readouts_for(frame, ("identity",))[0].lines[0]


def test_one_grey_level_moves_the_output_by_what_the_scaling_allows() -> None:
    moves = {
        key: nudge_effect(compute(BY_ID[key].state))[3]
        for key in ("pixels-raw", "pixels-minmax", "pixels-standardized")
    }
    assert moves["pixels-raw"] == 0.0  # saturated: σ does not move at all
    assert 0.0 < moves["pixels-minmax"] < moves["pixels-standardized"]
    assert moves["pixels-standardized"] > 2 * moves["pixels-minmax"]  # "more than twice"
    saturated = compute(BY_ID["pixels-raw"].state).a.regime.saturated
    assert saturated > 0.9


def test_batchnorm_eval_mode_and_the_unbiased_variance() -> None:
    one = BY_ID["batchnorm-eval-one-step"].state
    assert len(one.running_history) == 1 and not one.training
    assert compute(one).a.regime.saturated > 0.5  # "most saturate"
    many = BY_ID["batchnorm-eval-converged"].state
    assert many.running.count == 100
    batch = many.inputs_a
    np.testing.assert_allclose(many.running.mean, batch.mean(axis=0), rtol=1e-4)
    np.testing.assert_allclose(many.running.var, batch.var(axis=0, ddof=1), rtol=1e-4)
    lines = readouts_for(compute(many), ("running",))[0].lines
    assert lines[-1] == "Eval outputs = 0.866 × the training outputs"
    alone = compute(BY_ID["batchnorm-batch-of-one"].state)
    assert "two samples" in alone.warnings[0]


def test_the_same_samples_land_elsewhere_in_a_batch_of_their_own() -> None:
    frame = compute(BY_ID["batchnorm-vs-dataset"].state)
    assert frame.b is not None
    np.testing.assert_allclose(np.abs(frame.b.normalized), 1.0, atol=1e-4)
    rows = [frame.a.raw.tolist().index(row) for row in frame.b.raw.tolist()]
    assert np.all(np.abs(frame.a.normalized[rows]) < 0.8)  # near 0 in the whole dataset


def test_eps_dominates_the_variance_of_a_near_constant_vector() -> None:
    scene = BY_ID["eps-near-constant"]
    frame = compute(scene.state)
    assert float(np.var(frame.a.raw)) < 1e-5 == frame.eps_used
    assert np.max(np.abs(frame.a.normalized)) < 0.3
    assert scene.animation is not None
    tiny = compute(scene.state.replace(**scene.animation.values_at(scene.animation.duration)))
    assert np.max(np.abs(tiny.a.normalized)) > 1.7


def test_the_invariance_table_is_table_1_of_the_paper() -> None:
    frame = compute(BY_ID["invariances"].state)
    assert ab_coincide(frame) is True  # B = 2.5·A + 3
    table = readouts_for(frame, ("invariance",))[0]
    rows = {row[0]: row[1:] for row in table.table[1:]}
    assert rows["Batch norm"] == ("✓", "✗", "✓", "✓", "✓", "✗")
    assert rows["Weight norm"] == ("✓", "✗", "✓", "✗", "✗", "✗")
    assert rows["Layer norm"] == ("✓", "✓", "✗", "✓", "✗", "✓")
    assert table.highlight == 2


def test_a_scene_state_is_a_partial_session_state() -> None:
    scene = load(minimal(state={"inputs_a": [[0, 1]], "method": "rmsnorm"}))
    assert scene.state.method == "rmsnorm"
    assert scene.state.gamma == 1.0  # the rest keeps its default
    assert load(minimal(state={})).state.inputs_a.tolist() == [[1.0, 2.0, 3.0, 4.0]]
    full = to_dict(scene.state)["state"]
    assert load(minimal(state=full)).state.same_as(scene.state)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (minimal(format="normgui-session"), "not a normgui scene"),
        (minimal(version=2), "'version'"),
        (minimal(colour="red"), "unknown field(s) 'colour'"),
        (minimal(id="Scene 1"), "'id' must be lowercase"),
        (minimal(title=""), "'title' must be a text"),
        (minimal(caption="x" * 700), "'caption' is longer"),
        (minimal(state={"gama": 2}), "'state' has unknown field(s) 'gama'"),
        (minimal(state={"method": "magic"}), "unknown normalization"),
        (minimal(state={"gamma": "big"}), "field 'state.gamma' must be a number"),
        (minimal(state={"inputs_a": [[1, 2], [3]]}), "rows of different lengths"),
        (minimal(readouts=["mood"]), "unknown readout 'mood'"),
        (minimal(plots=["activation", "activation"]), "'plots'"),
        (minimal(plots=["histogram"]), "'plots'"),
        (minimal(running_steps=-1), "'running_steps'"),
        (
            minimal(state={"inputs_a": [[1, 2]], "method": "batchnorm"}, running_steps=2),
            "a batch of one",
        ),
        (minimal(animation={"segments": []}), "1 to 20 segments"),
        (
            minimal(
                animation={"segments": [{"param": "momentum", "from": 0, "to": 1, "seconds": 1}]}
            ),
            "cannot animate 'momentum'",
        ),
        (
            minimal(animation={"segments": [{"param": "gamma", "from": 0, "to": 1, "seconds": 0}]}),
            "more than 0",
        ),
        (
            minimal(animation={"segments": [{"param": "eps", "from": 0, "to": 1, "seconds": 1}]}),
            "log scale",
        ),
        (minimal(animation={"segments": [{"param": "gamma"}]}), "exactly 'param'"),
        (minimal(animation={"segments": [], "speed": 2}), "must be an object with"),
    ],
)
def test_a_broken_scene_says_what_is_wrong_and_where(document: Any, message: str) -> None:
    with pytest.raises(SceneError) as info:
        load(document)
    assert str(info.value).startswith("broken.json: ")
    assert message in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "invalid JSON"), ("[1, 2", "invalid JSON"), ('{"gamma": NaN}', "'NaN' is not allowed")],
)
def test_text_that_is_not_a_scene(text: str, message: str) -> None:
    with pytest.raises(SceneError, match=re.escape(message)):
        loads(text, "bad.json")
    with pytest.raises(SceneError, match="not UTF-8"):
        loads(b"\xff\xfe\x00", "bad.json")


def test_a_folder_of_scenes_in_file_name_order(tmp_path: Path) -> None:
    (tmp_path / "02-second.json").write_text(json.dumps(minimal(id="second")))
    (tmp_path / "01-first.json").write_text(json.dumps(minimal(id="first")))
    (tmp_path / "notes.txt").write_text("not a scene")
    assert [s.id for s in load_scenes(tmp_path)] == ["first", "second"]
    assert scene_by_id(load_scenes(tmp_path), "second").source == "02-second.json"
    with pytest.raises(SceneError, match="no scene 'third'; the scenes are: first, second"):
        scene_by_id(load_scenes(tmp_path), "third")
    (tmp_path / "03-again.json").write_text(json.dumps(minimal(id="first")))
    with pytest.raises(SceneError, match=re.escape("03-again.json: id 'first' is already used")):
        load_scenes(tmp_path)


def test_a_broken_file_among_good_ones_is_named(tmp_path: Path) -> None:
    (tmp_path / "01-good.json").write_text(json.dumps(minimal(id="good")))
    (tmp_path / "02-bad.json").write_text("{")
    with pytest.raises(SceneError, match=r"^02-bad\.json: "):
        load_scenes(tmp_path)


def test_a_sweep_goes_through_its_segments_in_turn() -> None:
    sweep = Sweep((Segment("gamma", 1.0, 5.0, 2.0), Segment("beta", 0.0, 4.0, 2.0)))
    assert sweep.duration == 4.0
    assert sweep.values_at(0.0) == {"gamma": 1.0, "beta": 0.0}
    assert sweep.values_at(1.0) == {"gamma": 3.0, "beta": 0.0}
    assert sweep.values_at(3.0) == {"gamma": 5.0, "beta": 2.0}
    assert sweep.values_at(99.0) == {"gamma": 5.0, "beta": 4.0}
    assert not sweep.finished(3.9) and sweep.finished(4.0)
    assert sweep.describe() == "γ 1 → 5, then β 0 → 4"


def test_a_loop_goes_there_and_back_and_never_ends() -> None:
    sweep = Sweep((Segment("input_shift", 0.0, 2.0, 1.0),), loop=True)
    assert [sweep.values_at(t)["input_shift"] for t in (0.0, 0.5, 1.0, 1.5, 2.0, 2.5)] == [
        0.0,
        1.0,
        2.0,
        1.0,
        0.0,
        1.0,
    ]
    assert not sweep.finished(1e6)


def test_eps_is_swept_on_a_log_scale() -> None:
    segment = Segment("eps", 1e-3, 1e-9, 3.0)
    assert segment.value(0.5) == pytest.approx(1e-6)
    assert segment.value(0.0) == 1e-3 and segment.value(1.0) == 1e-9


def test_running_steps_are_steps_of_pytorch_batchnorm() -> None:
    scene = load(minimal(state={"inputs_a": [[1, 2], [3, 6]], "method": "batchnorm"}))
    stepped = with_running_steps(scene.state, 2)
    assert [s.count for s in stepped.running_history] == [1, 2]
    # running = 0.9·running + 0.1·batch (unbiased variance), twice from mean 0, variance 1
    np.testing.assert_allclose(stepped.running.mean, [0.19 * 2, 0.19 * 4])
    np.testing.assert_allclose(stepped.running.var, [0.81 + 0.19 * 2, 0.81 + 0.19 * 8])
