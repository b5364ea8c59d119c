"""The words normgui uses for a training run's choices, and the names of A and B by what sets
them apart ("A: no normalization", "B: BatchNorm")."""

from __future__ import annotations

from typing import Final

from normgui.core.training.preset import RunConfig
from normgui.core.training.setup import TrainingSetup

NORM_WORDS: Final = {"none": "no normalization", "batchnorm": "BatchNorm", "layernorm": "LayerNorm"}
INPUT_WORDS: Final = {
    "none": "raw inputs",
    "scale": "inputs scaled to [0, 1]",
    "standardize": "standardized inputs",
    "batchnorm": "BatchNorm on the input",
    "layernorm": "LayerNorm on the input",
}
INIT_WORDS: Final = {
    "normal": "small normal N(0, 0.01²)",
    "glorot-uniform": "U[−1/√n, 1/√n]",
    "xavier": "Xavier uniform",
}
OPTIMIZER_WORDS: Final = {"sgd": "SGD", "adam": "Adam"}


def run_names(setup: TrainingSetup) -> dict[str, str]:
    """ "A" and "B" followed by what differs between them (only "A" when B is not compared)."""
    if not setup.compare:
        return {"A": "A"}
    a, b = _differences(setup.a, setup.b)
    return {"A": f"A: {a}" if a else "A", "B": f"B: {b}" if b else "B"}


def _differences(a: RunConfig, b: RunConfig) -> tuple[str, str]:
    words_a: list[str] = []
    words_b: list[str] = []
    for field, words in (("norm", NORM_WORDS), ("input_norm", INPUT_WORDS)):
        if getattr(a, field) != getattr(b, field):
            words_a.append(words[getattr(a, field)])
            words_b.append(words[getattr(b, field)])
    for field, name in (
        ("activation", ""),
        ("hidden", "hidden "),
        ("optimizer", ""),
        ("lr", "lr "),
        ("batch_size", "batch "),
        ("init", "init "),
    ):
        mine, theirs = getattr(a, field), getattr(b, field)
        if mine != theirs:
            words_a.append(f"{name}{_value(mine)}")
            words_b.append(f"{name}{_value(theirs)}")
    return ", ".join(words_a[:2]), ", ".join(words_b[:2])


def _value(value: object) -> str:
    if isinstance(value, tuple):
        return "×".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return OPTIMIZER_WORDS.get(str(value), str(value))
