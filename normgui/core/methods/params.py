"""The knobs of the normalizations, described as data: the panel builds its form from this.

A method lists the parameters it takes (their keys in PARAMS); each parameter says its range,
default, step and meaning, so that adding a method never means writing a new form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ParamKind = Literal["float", "log", "int", "range", "bool"]


@dataclass(frozen=True)
class ParamSpec:
    """One knob: how the panel shows it and which values it takes."""

    key: str
    label: str
    kind: ParamKind
    default: float | bool | tuple[float, float]
    minimum: float = 0.0
    maximum: float = 1.0
    step: float = 0.1
    meaning: str = ""


@dataclass(frozen=True)
class MethodSpec:
    """A normalization as the user sees it: name, one-line description, formula, knobs."""

    key: str
    label: str
    description: str
    formula: str
    params: tuple[str, ...]
    statistics_over: Literal["row", "column", "none"]


PARAMS: Final[dict[str, ParamSpec]] = {
    spec.key: spec
    for spec in (
        ParamSpec(
            "gamma",
            "Gamma γ",
            "float",
            1.0,
            -10.0,
            10.0,
            0.05,
            "gain: multiplies the normalized value",
        ),
        ParamSpec("beta", "Beta β", "float", 0.0, -10.0, 10.0, 0.05, "bias: added after the gain"),
        ParamSpec(
            "eps",
            "Epsilon ε",
            "log",
            1e-5,
            1e-12,
            1.0,
            0.1,
            "added to the variance under the square root, so a constant input "
            "does not divide by zero",
        ),
        ParamSpec(
            "groups",
            "Groups",
            "int",
            2,
            1,
            64,
            1,
            "the features are split into this many groups, each normalized on its own; "
            "it must divide the number of features",
        ),
        ParamSpec(
            "feature_range",
            "Feature range",
            "range",
            (0.0, 1.0),
            -10.0,
            10.0,
            0.1,
            "the smallest and largest value of each feature after scaling",
        ),
        ParamSpec(
            "training",
            "Training mode",
            "bool",
            True,
            meaning="training: batch statistics; eval: the running statistics",
        ),
        ParamSpec(
            "momentum",
            "Momentum",
            "float",
            0.1,
            0.0,
            1.0,
            0.01,
            "how much each Step moves the running statistics towards the batch's",
        ),
    )
}

ACTIVATION_LABELS: Final[dict[str, str]] = {
    "sigmoid": "Sigmoid σ",
    "tanh": "tanh",
    "relu": "ReLU",
    "gelu": "GELU",
    "hardsigmoid": "Hard sigmoid",
}
