"""What each normalization is, described as data: the panel builds its form from this.

A method lists the parameters it takes; each parameter says its range, default, step and meaning,
so that adding a method never means writing a new form.
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

_AFFINE = ("gamma", "beta")

METHOD_SPECS: Final[dict[str, MethodSpec]] = {
    spec.key: spec
    for spec in (
        MethodSpec(
            "identity",
            "No normalization",
            "Passes the values through unchanged (then γ and β).",
            "y = γ·x + β",
            _AFFINE,
            "none",
        ),
        MethodSpec(
            "layernorm",
            "LayerNorm",
            "Each sample is centred and scaled by its own mean and standard deviation.",
            "y = γ·(x − μ_row) / √(σ²_row + ε) + β",
            (*_AFFINE, "eps"),
            "row",
        ),
        MethodSpec(
            "rmsnorm",
            "RMSNorm",
            "Each sample is divided by its root mean square; no centring, no β.",
            "y = γ·x / √(mean_row(x²) + ε)",
            ("gamma", "eps"),
            "row",
        ),
        MethodSpec(
            "groupnorm",
            "GroupNorm",
            "Like LayerNorm, but within groups of features of each sample.",
            "y = γ·(x − μ_group) / √(σ²_group + ε) + β",
            (*_AFFINE, "eps", "groups"),
            "row",
        ),
        MethodSpec(
            "batchnorm",
            "BatchNorm",
            "Each feature is centred and scaled by the batch's statistics "
            "(training) or the running statistics (eval).",
            "y = γ·(x − μ_batch) / √(σ²_batch + ε) + β",
            (*_AFFINE, "eps", "training", "momentum"),
            "column",
        ),
        MethodSpec(
            "standardize",
            "Standardize",
            "Each feature gets mean 0 and standard deviation 1 over the data "
            "(scikit-learn's StandardScaler).",
            "y = γ·(x − μ_col) / σ_col + β",
            _AFFINE,
            "column",
        ),
        MethodSpec(
            "minmax",
            "Min–max scaling",
            "Each feature is mapped linearly onto the feature range (scikit-learn's MinMaxScaler).",
            "y = γ·(lo + (x − min)·(hi − lo)/(max − min)) + β",
            (*_AFFINE, "feature_range"),
            "column",
        ),
        MethodSpec(
            "l2",
            "L2 normalization",
            "Each sample is divided by its Euclidean length.",
            "y = γ·x / max(‖x‖₂, ε) + β",
            (*_AFFINE, "eps"),
            "row",
        ),
        MethodSpec(
            "robust",
            "Robust scaling",
            "Each feature is centred on its median and divided by its interquartile "
            "range, so outliers matter less (scikit-learn's RobustScaler).",
            "y = γ·(x − median) / (Q₇₅ − Q₂₅) + β",
            _AFFINE,
            "column",
        ),
        MethodSpec(
            "maxabs",
            "Max-abs scaling",
            "Each feature is divided by its largest absolute value (scikit-learn's MaxAbsScaler).",
            "y = γ·x / max|x_col| + β",
            _AFFINE,
            "column",
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
