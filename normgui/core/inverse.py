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
both. γ and β are the scale and the shift of the method's own statistics (normgui.core.methods),
so they follow its conventions exactly; the tests check the round trip against
`normgui.core.pipeline.compute` for every registered method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normgui.core.context import (
    batch_of_a,
    eps_in_force,
    joint_batch,
    normalize_args,
    scaled,
)
from normgui.core.methods import get_method
from normgui.core.normalize import statistics
from normgui.core.state import State
from normgui.core.types import FloatArray


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
    method = get_method(state.method)
    n_samples = state.inputs_a.shape[0]
    if method.statistics_over == "row" and n_samples > 1:
        return (
            f"{method.label} takes its statistics over each sample, so the γ and β that undo it "
            f"differ from sample to sample: one γ and β can undo it for a single sample only "
            f"(A has {n_samples})"
        )
    if state.method == "batchnorm" and state.training and batch_of_a_rows(state) < 2:
        return (
            "BatchNorm in training mode needs at least two samples: a batch of one has no "
            "variance, every x̂ is 0 and nothing can be undone"
        )
    if state.method == "batchnorm" and not state.training:
        flat = np.flatnonzero(state.running.var + (eps_in_force(state) or 0.0) == 0)
        if flat.size:
            return (
                f"feature {int(flat[0]) + 1} has running variance 0 and ε = 0, so its x̂ is 0 "
                "whatever the input: no γ and β can bring the input back"
            )
    return None


def identity_parameters(state: State) -> IdentityParameters:
    """The γ and β that undo the normalization of `state` (γ·x̂ + β = input): γ = the scale and
    β = the shift of the method's own statistics.

    Raises ValueError with the reason of `identity_unavailable` when there are none, or when the
    values are too large for γ to be a finite number.
    """
    reason = identity_unavailable(state)
    if reason is not None:
        raise ValueError(reason)
    method = get_method(state.method)
    batch = batch_of_a(state)
    # A method without β cannot take a shift: it must have none to be undone by γ alone.
    stats = statistics(batch, method.key, **normalize_args(state, batch.shape[1]))
    d = batch.shape[1]
    gamma = np.broadcast_to(stats.gain, batch.shape)[0]
    beta = np.broadcast_to(stats.offset, batch.shape)[0]
    if not method.has_beta and np.any(beta != 0):
        raise ValueError(f"{method.label} has no β to give back the shift of its statistics")
    if not (np.all(np.isfinite(gamma)) and np.all(np.isfinite(beta))):
        raise ValueError("the values are too large for a finite γ to undo the normalization")
    # One γ and β for every feature where the statistics are the sample's own (LayerNorm), one
    # per feature where they differ from feature to feature (the column methods, GroupNorm).
    per_feature = method.statistics_over == "column" or not (
        np.all(gamma == gamma[0]) and np.all(beta == beta[0])
    )
    if not per_feature:
        gamma, beta = gamma[:1], beta[:1]
    note = method.inverse_note
    # B normalized with statistics of its own is not undone by A's γ and β.
    if state.b_shown and stats.depends_on_data and not joint_batch(state):
        note += "; B is normalized with its own statistics, so only A comes back"
    assert gamma.shape[0] in (1, d)
    return IdentityParameters(
        tuple(float(v) for v in gamma), tuple(float(v) for v in beta), per_feature, note
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


def scaled_inputs(state: State, x: FloatArray | None = None) -> FloatArray:
    """A (or `x`) after the input scale and shift: what the pipeline normalizes."""
    return scaled(state, state.inputs_a if x is None else x)


def batch_of_a_rows(state: State) -> int:
    """How many samples A's statistics are taken over."""
    rows = state.inputs_a.shape[0]
    if joint_batch(state) and state.inputs_b is not None:
        rows += state.inputs_b.shape[0]
    return rows
