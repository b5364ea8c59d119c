"""The γ and β that undo a normalization: γ·x̂ + β = x, the identity transform.

This is why BatchNorm has γ and β: with γ = √(Var + ε) and β = E[x] the layer can give back its
input, so normalizing never takes away what the network could represent.

For the methods whose statistics are taken over each *feature* (BatchNorm, the scikit-learn
scalers) one γ and one β per feature undo the normalization for the whole batch. For the methods
whose statistics are taken over each *sample* (LayerNorm, RMSNorm, GroupNorm, L2) the γ and β
that undo it differ from sample to sample, so they exist only for a single sample.

API: `identity_unavailable(state)` says cheaply why there is no such γ, β (or None);
`identity_parameters(state)` computes them and raises ValueError with that reason otherwise;
`apply_identity(state, params)` is the State with them in force; `with_identity(state)` does
both. The statistics mirror the conventions of `normgui.core.normalize` exactly (biased
variance, scikit-learn's zero scale → 1); the tests check the round trip against
`normgui.core.pipeline.compute`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from normgui.core.context import joint_batch, scaled
from normgui.core.methods import METHOD_SPECS
from normgui.core.normalize import default_eps
from normgui.core.prepare import effective_groups
from normgui.core.state import State

FloatArray = NDArray[np.floating]


@dataclass(frozen=True)
class IdentityParameters:
    """γ and β that make γ·x̂ + β equal the (scaled and shifted) input.

    `gamma` and `beta` hold one value when `per_feature` is False, else one per feature of A.
    `note` says in plain words what they are, for the status bar.
    """

    gamma: tuple[float, ...]
    beta: tuple[float, ...]
    per_feature: bool
    note: str


def identity_unavailable(state: State) -> str | None:
    """Why no γ, β can undo the normalization of `state`, or None when they exist.

    Cheap (shapes and running statistics only), so a panel may call it on every change.
    """
    method = state.method
    spec = METHOD_SPECS[method]
    n_samples = state.inputs_a.shape[0]
    if spec.statistics_over == "row" and n_samples > 1:
        return (
            f"{spec.label} takes its statistics over each sample, so the γ and β that undo it "
            f"differ from sample to sample: one γ and β can undo it for a single sample only "
            f"(A has {n_samples})"
        )
    if method == "batchnorm" and state.training and _batch_rows(state) < 2:
        return (
            "BatchNorm in training mode needs at least two samples: a batch of one has no "
            "variance, every x̂ is 0 and nothing can be undone"
        )
    if method == "batchnorm" and not state.training:
        flat = np.flatnonzero(state.running.var + _eps(state) == 0)
        if flat.size:
            return (
                f"feature {int(flat[0]) + 1} has running variance 0 and ε = 0, so its x̂ is 0 "
                "whatever the input: no γ and β can bring the input back"
            )
    return None


def identity_parameters(state: State) -> IdentityParameters:
    """The γ and β that undo the normalization of `state` (γ·x̂ + β = input).

    Raises ValueError with the reason of `identity_unavailable` when there are none, or when the
    values are too large for γ to be a finite number.
    """
    reason = identity_unavailable(state)
    if reason is not None:
        raise ValueError(reason)
    # Squares of values near the float limit overflow; the result is then refused below.
    with np.errstate(over="ignore", invalid="ignore"):
        gamma, beta, per_feature, note = _RECOVER[state.method](state)
    if not (np.all(np.isfinite(gamma)) and np.all(np.isfinite(beta))):
        raise ValueError("the values are too large for a finite γ to undo the normalization")
    if _recovers_a_only(state):
        note += "; B is normalized with its own statistics, so only A comes back"
    return IdentityParameters(
        tuple(float(v) for v in np.atleast_1d(gamma)),
        tuple(float(v) for v in np.atleast_1d(beta)),
        per_feature,
        note,
    )


def with_identity(state: State) -> State:
    """`state` with the γ and β of `identity_parameters` in force (ValueError if none)."""
    return apply_identity(state, identity_parameters(state))


def apply_identity(state: State, params: IdentityParameters) -> State:
    """`state` with `params` in force: per-feature values, or the scalars with per-feature off."""
    if params.per_feature:
        return state.replace(
            per_feature=True, gamma_features=params.gamma, beta_features=params.beta
        )
    return state.replace(per_feature=False, gamma=params.gamma[0], beta=params.beta[0])


# --- the statistics, mirroring normgui.core.normalize -------------------------------------------

_Recovered = tuple[FloatArray, FloatArray, bool, str]


def scaled_inputs(state: State, x: FloatArray | None = None) -> FloatArray:
    """A (or `x`) after the input scale and shift: what the pipeline normalizes."""
    return scaled(state, state.inputs_a if x is None else x)


def _batch_rows(state: State) -> int:
    rows = state.inputs_a.shape[0]
    if joint_batch(state) and state.inputs_b is not None:
        rows += state.inputs_b.shape[0]
    return rows


def _column_batch(state: State) -> FloatArray:
    """The samples the column statistics are taken over."""
    a = scaled_inputs(state)
    if not joint_batch(state) or state.inputs_b is None:
        return a
    return np.vstack([a, scaled_inputs(state, state.inputs_b)])


def _recovers_a_only(state: State) -> bool:
    if not state.b_shown:
        return False
    if state.method == "identity" or (state.method == "batchnorm" and not state.training):
        return False
    return not joint_batch(state)


def _eps(state: State) -> float:
    if state.eps is not None:
        return state.eps
    return default_eps(state.method) or 0.0


def _scale_or_one(scale: FloatArray) -> FloatArray:
    """scikit-learn's _handle_zeros_in_scale: a (near-)zero scale becomes 1."""
    return np.where(scale < 10 * np.finfo(np.float64).eps, 1.0, scale)


def _identity(state: State) -> _Recovered:
    return np.ones(1), np.zeros(1), False, "No normalization: γ = 1 and β = 0 change nothing"


def _layernorm(state: State) -> _Recovered:
    row = scaled_inputs(state)[0]
    mean = row.mean()
    centred = row - mean
    var = np.mean(centred * centred)
    gamma = np.sqrt(var + _eps(state))
    note = "γ = √(Var + ε) and β = mean of the sample: γ·x̂ + β gives back the input"
    return np.array([gamma]), np.array([mean]), False, note


def _rmsnorm(state: State) -> _Recovered:
    row = scaled_inputs(state)[0]
    gamma = np.sqrt(np.mean(row * row) + _eps(state))
    note = "γ = √(mean(x²) + ε), the sample's root mean square: γ·x̂ gives back the input"
    return np.array([gamma]), np.zeros(1), False, note


def _groupnorm(state: State) -> _Recovered:
    row = scaled_inputs(state)[0]
    d = row.shape[0]
    groups = effective_groups(state.groups, d)
    grouped = row.reshape(groups, d // groups)
    mean = grouped.mean(axis=1, keepdims=True)
    centred = grouped - mean
    var = np.mean(centred * centred, axis=1, keepdims=True)
    gamma = np.broadcast_to(np.sqrt(var + _eps(state)), grouped.shape).reshape(d)
    beta = np.broadcast_to(mean, grouped.shape).reshape(d)
    note = "γ = √(Var + ε) and β = mean of each feature's group: γ·x̂ + β gives back the input"
    return gamma, beta, True, note


def _l2(state: State) -> _Recovered:
    row = scaled_inputs(state)[0]
    gamma = max(float(np.sqrt(np.sum(row * row))), _eps(state))
    note = "γ = ‖x‖₂, the sample's length: γ·x̂ gives back the input"
    return np.array([gamma]), np.zeros(1), False, note


def _batchnorm(state: State) -> _Recovered:
    eps = _eps(state)
    if not state.training:
        running = state.running
        note = (
            "γ = √(running Var + ε) and β = running mean of each feature: "
            "γ·x̂ + β gives back the input"
        )
        return np.sqrt(running.var + eps), running.mean.copy(), True, note
    x = _column_batch(state)
    mean = x.mean(axis=0)
    centred = x - mean
    var = np.mean(centred * centred, axis=0)
    note = (
        "γ = √(Var + ε) and β = mean of each feature over the batch (biased variance): "
        "γ·x̂ + β gives back the input"
    )
    return np.sqrt(var + eps), mean, True, note


def _standardize(state: State) -> _Recovered:
    x = _column_batch(state)
    n = x.shape[0]
    mean = x.mean(axis=0)
    var = x.var(axis=0)
    # scikit-learn's test for a constant column, as normalize uses it: its scale is then 1.
    tiny = np.finfo(np.float64).eps
    constant = var <= n * tiny * var + (n * mean * tiny) ** 2
    note = "γ = standard deviation and β = mean of each feature: γ·x̂ + β gives back the input"
    return np.where(constant, 1.0, np.sqrt(var)), mean, True, note


def _minmax(state: State) -> _Recovered:
    x = _column_batch(state)
    low, high = state.feature_range
    data_min = x.min(axis=0)
    gamma = _scale_or_one(x.max(axis=0) - data_min) / (high - low)
    note = "γ = (max − min)/(hi − lo) and β = min − lo·γ per feature: γ·x̂ + β gives back the input"
    return gamma, data_min - low * gamma, True, note


def _robust(state: State) -> _Recovered:
    x = _column_batch(state)
    q25, median, q75 = np.percentile(x, [25.0, 50.0, 75.0], axis=0)
    note = "γ = interquartile range and β = median of each feature: γ·x̂ + β gives back the input"
    return _scale_or_one(q75 - q25), median, True, note


def _maxabs(state: State) -> _Recovered:
    x = _column_batch(state)
    note = "γ = max |x| of each feature: γ·x̂ gives back the input"
    return _scale_or_one(np.max(np.abs(x), axis=0)), np.zeros(x.shape[1]), True, note


_RECOVER = {
    "identity": _identity,
    "layernorm": _layernorm,
    "rmsnorm": _rmsnorm,
    "groupnorm": _groupnorm,
    "batchnorm": _batchnorm,
    "standardize": _standardize,
    "minmax": _minmax,
    "l2": _l2,
    "robust": _robust,
    "maxabs": _maxabs,
}
