"""RMSNorm: each sample divided by its root mean square, no centring and no β
(torch.nn.RMSNorm: ε defaults to the machine epsilon of the input's dtype)."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num, result, short, square_sum
from normgui.core.methods.base import Method, Stats, guarded, in_units, safe_divide
from normgui.core.methods.words import SlopeView, Steps
from normgui.core.types import FloatArray


def statistics(x: FloatArray, *, eps: float, **_: object) -> Stats:
    u, s = guarded(x)
    ms = np.mean(u * u, axis=1, keepdims=True)
    scale = np.sqrt(ms + eps / s / s)  # ε scales with the square of the data
    zero = np.asarray(np.max(np.abs(u), axis=1, keepdims=True) == 0)  # an all-zero sample
    named = {"ms": in_units(ms, s, 2), "rms": in_units(scale, s)}
    return Stats(np.zeros((1, 1), dtype=x.dtype), scale, named, zero, unit=s)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # x̂ = x/r, r = √(mean(x²) + ε): grad_x = (g − x̂·mean(g·x̂)) / r
    xhat = stats.normalize(x)
    moved = (grad * xhat).mean(axis=1, keepdims=True)
    return safe_divide(grad - xhat * moved, stats.scale) / stats.unit


def explain(steps: Steps) -> None:
    steps.sample_line()
    j, x = steps.j, steps.x
    ms, rms = steps.stat("ms"), steps.stat("rms")
    steps.add(
        "ms",
        "mean(x²) = Σ x² / d",
        f"mean(x²) = ({square_sum(x.tolist())})/{x.size} = {num(ms)}",
        ms,
    )
    steps.add(
        "rms",
        "rms = √(mean(x²) + ε)",
        f"rms = √({num(ms)} + {num(steps.eps)}) = {result(rms)}",
        rms,
    )
    text = f"x̂{j} = {num(steps.xj)}/{result(rms)} = {result(steps.xhat)}"
    steps.add("xhat", f"x̂{j} = x{j}/rms", text, steps.xhat)


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    r = view.scale()
    if r == 0:
        note = "ε = 0 and the sample is all zeros: 0/0 has no slope (shown as 0)."
        return "RMSNorm divides by the root mean square, here 0", [note]
    return f"RMSNorm divides by rms = √(mean(x²) + ε) = {short(r)}, which moves with x", []


METHOD = Method(
    key="rmsnorm",
    label="RMSNorm",
    description="Each sample is divided by its root mean square; no centring, no β.",
    formula="y = γ·x / √(mean_row(x²) + ε)",
    params=("gamma", "eps"),
    statistics_over="row",
    default_eps="dtype",
    has_beta=False,
    statistics=statistics,
    vjp=vjp,
    fired_words="an all-zero row",
    inverse_note="γ = √(mean(x²) + ε), the sample's root mean square: γ·x̂ gives back the input",
    explain=explain,
    slope_words=slope_words,
)
