"""The training part of a lecture scene (normgui.scenes): which shipped preset it trains, the
layer it looks into, and the summaries it says with the run's own numbers.

    "training": {"preset": "ioffe-szegedy-figure1", "summary": ["accuracy", "drift"],
                 "layer": -1}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from normgui.core.training.preset import shipped_presets
from normgui.core.training.setup import TrainingSetup, from_preset
from normgui.core.training.summary import SUMMARIES


@dataclass(frozen=True)
class TrainingScene:
    """A Training page scene: its preset (by name), summaries, and the setup they make."""

    preset: str
    summary: tuple[str, ...]
    setup: TrainingSetup


def training_scene(value: Any) -> TrainingScene:
    """A scene's "training" object, checked; ValueError naming the field."""
    if not isinstance(value, dict) or set(value) - {"preset", "summary", "layer"}:
        raise ValueError("it must be an object with 'preset', 'summary' and 'layer'")
    presets = shipped_presets()
    if value.get("preset") not in presets:
        raise ValueError(f"'preset' must be one of: {', '.join(presets)}")
    summary = value.get("summary", [])
    if not isinstance(summary, list) or not all(v in SUMMARIES for v in summary):
        raise ValueError(f"'summary' must list some of: {', '.join(SUMMARIES)}")
    layer = value.get("layer", -1)
    if isinstance(layer, bool) or not isinstance(layer, int):
        raise ValueError("'layer' must be a whole number (−1: the last hidden layer)")
    setup = from_preset(presets[value["preset"]], layer)
    return TrainingScene(value["preset"], tuple(summary), setup)
