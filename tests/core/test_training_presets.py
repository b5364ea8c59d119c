"""Training presets: the shipped ones load and train, bad ones say which field, the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from normgui.__main__ import main
from normgui.core.training.preset import (
    load_preset,
    preset_from_dict,
    preset_to_dict,
    shipped_presets,
)

MINIMAL = {"dataset": "iris", "network": {"hidden": [8]}, "steps": 20, "record_every": 10}


def test_every_shipped_preset_loads_and_trains_a_few_steps() -> None:
    presets = shipped_presets()
    assert len(presets) >= 6
    for name, preset in presets.items():
        assert preset.title, name
        data = preset.load_data()
        for records in preset.runs(data).values():
            first, second = next(records), next(records)
            assert first.step == 0 and second.step == preset.record_every
            assert not second.diverged, name


def test_a_preset_round_trips_through_its_json_form() -> None:
    for preset in shipped_presets().values():
        assert preset_from_dict(json.loads(json.dumps(preset_to_dict(preset)))) == preset


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"dataset": "mnist"}, "dataset: 'mnist' is not one of"),
        ({"steps": -1}, "steps must be a whole number"),
        ({"network": {"hiden": [3]}}, "network: unknown field 'hiden'"),
        ({"network": {"hidden": [0]}}, "network.hidden"),
        ({"optimizer": {"lr": "fast"}}, "optimizer.lr must be a number"),
        ({"compare": {"network": {"norm": 3}}}, "compare.network.norm must be a text"),
        ({"colour": "red"}, "unknown field 'colour'"),
    ],
)
def test_a_bad_preset_names_the_field(change: dict, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        preset_from_dict({**MINIMAL, **change})


def test_a_preset_file_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="there is no file"):
        load_preset(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_preset(broken)


def test_a_csv_dataset_is_found_beside_the_preset(tmp_path: Path) -> None:
    rows = ["a,b,label"] + [f"{i},{i % 3},{'x' if i % 2 else 'y'}" for i in range(40)]
    (tmp_path / "mine.csv").write_text("\n".join(rows), encoding="utf-8")
    spec = {**MINIMAL, "dataset": {"csv": "mine.csv", "label_column": "label"}}
    (tmp_path / "p.json").write_text(json.dumps(spec), encoding="utf-8")
    data = load_preset(tmp_path / "p.json").load_data()
    assert data.n_features == 2 and data.class_names == ("x", "y")


def test_train_from_the_command_line_writes_the_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    preset = {**MINIMAL, "compare": {"network": {"norm": "batchnorm"}}}
    (tmp_path / "p.json").write_text(json.dumps(preset), encoding="utf-8")
    out = tmp_path / "records.csv"
    assert main(["--train", str(tmp_path / "p.json"), "--steps", "30", "--csv", str(out)]) == 0
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["run"], r["step"]) for r in rows] == [
        (run, step) for run in "AB" for step in ("0", "10", "20", "30")
    ]
    assert rows[0]["loss"] == "" and float(rows[-1]["test_accuracy"]) > 0
    # A has no normalization, so no γ; B's BatchNorm has one.
    assert rows[0]["layer1_gamma_mean"] == ""
    assert float(rows[-1]["layer1_gamma_mean"]) > 0
    assert "A step" in capsys.readouterr().out


def test_train_from_the_command_line_refuses_a_bad_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.json").write_text(json.dumps({"dataset": "nope"}), encoding="utf-8")
    assert main(["--train", str(tmp_path / "p.json")]) == 2
    assert "dataset" in capsys.readouterr().err


def test_a_csv_into_a_missing_folder_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.json").write_text(json.dumps(MINIMAL), encoding="utf-8")
    out = tmp_path / "missing" / "records.csv"
    assert main(["--train", str(tmp_path / "p.json"), "--csv", str(out)]) == 2
    captured = capsys.readouterr()
    assert "folder does not exist" in captured.err and "A step" not in captured.out
