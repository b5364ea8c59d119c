"""No normalization: x̂ = x, so that γ and β act on the values as typed."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num
from normgui.core.methods.base import Method, Stats
from normgui.core.methods.words import SlopeView, Steps
from normgui.core.types import FloatArray


def statistics(x: FloatArray, **_: object) -> Stats:
    one = np.ones((1, 1), dtype=x.dtype)
    return Stats(np.zeros_like(one), one, {}, np.zeros((1, 1), dtype=bool), depends_on_data=False)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    return np.array(grad, dtype=x.dtype)


def explain(steps: Steps) -> None:
    j = steps.j
    text = f"x̂{j} = x{j} = {num(steps.xj)} (no normalization)"
    steps.add("xhat", f"x̂{j} = x{j}", text, steps.xhat)


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    return "no normalization: y = γ·x + β moves by γ", []


METHOD = Method(
    key="identity",
    label="No normalization",
    description="Passes the values through unchanged (then γ and β).",
    formula="y = γ·x + β",
    params=("gamma", "beta"),
    statistics_over="none",
    default_eps=None,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
    inverse_note="No normalization: γ = 1 and β = 0 change nothing",
    explain=explain,
    slope_words=slope_words,
)
