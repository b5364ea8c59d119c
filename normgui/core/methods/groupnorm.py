"""GroupNorm: like LayerNorm, within groups of consecutive features of each sample
(torch.nn.GroupNorm: biased variance per group, ε = 1e-5, γ and β per feature)."""

from __future__ import annotations

from typing import TypeVar

import numpy as np
from numpy.typing import NDArray

from normgui.core.methods.base import Method, Stats, guarded, in_units
from normgui.core.methods.moments import centred_vjp, constant_along, mean_var
from normgui.core.types import FloatArray

_T = TypeVar("_T", bound=np.generic)


def _groups(groups: object, d: int) -> int:
    if groups is None or isinstance(groups, bool) or not isinstance(groups, (int, np.integer)):
        raise ValueError("GroupNorm needs a whole number of groups")
    if groups < 1 or d % groups:
        raise ValueError(
            f"GroupNorm needs a number of groups that divides the {d} features; {groups} does not"
        )
    return int(groups)


def statistics(x: FloatArray, *, eps: float, groups: int | None = None, **_: object) -> Stats:
    n, d = x.shape
    g = _groups(groups, d)
    u, s = guarded(x)
    grouped = u.reshape(n, g, d // g)
    mean, var = mean_var(grouped, axis=2)
    scale = np.sqrt(var + eps / s / s)  # ε scales with the square of the data

    def per_feature(a: NDArray[_T]) -> NDArray[_T]:
        """(n, groups, 1) -> (n, d): each group's value at each of its features."""
        return np.repeat(a[:, :, 0], d // g, axis=1)

    named = {
        "mean": per_feature(in_units(mean, s)),
        "var": per_feature(in_units(var, s, 2)),
        "groups": np.full((1, 1), float(g)),  # what the backward pass reshapes by
    }
    fired = per_feature(constant_along(grouped, axis=2))
    return Stats(per_feature(mean), per_feature(scale), named, fired, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    n, d = x.shape
    shape = (n, int(stats.named["groups"].flat[0]), -1)
    xhat = stats.normalize(x).reshape(shape)
    scale = stats.scale.reshape(shape)[:, :, :1]
    return centred_vjp(xhat, scale, grad.reshape(shape), axis=2).reshape(n, d) / stats.unit


METHOD = Method(
    key="groupnorm",
    label="GroupNorm",
    description="Like LayerNorm, but within groups of features of each sample.",
    formula="y = γ·(x − μ_group) / √(σ²_group + ε) + β",
    params=("gamma", "beta", "eps", "groups"),
    statistics_over="row",
    default_eps=1e-5,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
)
