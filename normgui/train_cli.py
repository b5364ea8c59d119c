"""`normgui --train PRESET.json [--steps N] [--csv records.csv]`: train headless, print progress,
write the records."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from normgui.core.training.preset import load_preset
from normgui.core.training.records import Record
from normgui.core.training.table import records_to_csv
from normgui.session import save_text


def run_training(preset_path: str, steps: int | None, csv_path: str | None) -> int:
    """Train the preset's A (and B) to the end; 0 on success, 2 when the input is wrong."""
    try:
        preset = load_preset(preset_path)
        if steps is not None:
            if steps < 0:
                raise ValueError(f"--steps must be a whole number ≥ 0, not {steps}")
            preset = replace(preset, steps=steps)
        if csv_path and not Path(csv_path).absolute().parent.is_dir():
            # Said before training, not after a long run.
            raise ValueError(f"cannot write {csv_path}: its folder does not exist")
        runs = preset.runs()
        collected: dict[str, list[Record]] = {}
        for name, records in runs.items():
            collected[name] = []
            for record in records:
                collected[name].append(record)
                _progress(name, record)
    except ValueError as exc:
        print(f"normgui: {exc}", file=sys.stderr)
        return 2
    if csv_path:
        try:
            save_text(records_to_csv(collected), Path(csv_path))
        except OSError as exc:
            print(f"normgui: cannot write {csv_path}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"normgui: records written to {csv_path}")
    return 0


def _progress(name: str, record: Record) -> None:
    if record.diverged:
        print(f"{name} step {record.step}: {record.message}")
        return
    loss = "" if record.smoothed_loss is None else f"loss {record.smoothed_loss:.4f}  "
    print(f"{name} step {record.step:>6}: {loss}test accuracy {record.test_accuracy:.3f}")
