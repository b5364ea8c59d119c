"""L2 normalization: each sample divided by its Euclidean length, or by ε when it is shorter
(torch.nn.functional.normalize: x / max(‖x‖₂, ε), ε = 1e-12)."""

from __future__ import annotations

import numpy as np

from normgui.core.formatting import num, result, short, square_sum
from normgui.core.methods.base import Method, Stats, guarded, in_units, safe_divide
from normgui.core.methods.words import SlopeView, Steps
from normgui.core.types import FloatArray


def statistics(x: FloatArray, *, eps: float, **_: object) -> Stats:
    u, s = guarded(x)
    norm = np.sqrt(np.sum(u * u, axis=1, keepdims=True))
    floor = eps / s  # ε is a floor on the length, which scales with the data
    named = {"norm": in_units(norm, s)}
    return Stats(
        np.zeros((1, 1), dtype=x.dtype), np.maximum(norm, floor), named, norm <= floor, unit=s
    )


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    # Above ε: x̂ = x/‖x‖, grad_x = (g − x̂·Σ(g·x̂)) / ‖x‖. Below: x/ε, whose ε does not move.
    xhat = stats.normalize(x)
    moved = np.where(stats.fired, 0.0, np.sum(grad * xhat, axis=1, keepdims=True))
    return safe_divide(grad - xhat * moved, stats.scale) / stats.unit


def explain(steps: Steps) -> None:
    steps.sample_line()
    j, x = steps.j, steps.x
    norm = steps.stat("norm")
    steps.add(
        "norm", "‖x‖₂ = √(Σ x²)", f"‖x‖₂ = √({square_sum(x.tolist())}) = {result(norm)}", norm
    )
    if norm < steps.eps:
        steps.notes.append("‖x‖₂ is smaller than ε, so x is divided by ε.")
    den = max(norm, steps.eps)
    text = f"x̂{j} = {num(steps.xj)}/{result(den)} = {result(steps.xhat)}"
    steps.add("xhat", f"x̂{j} = x{j}/max(‖x‖₂, ε)", text, steps.xhat)


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    norm = view.at(view.stats.named["norm"])
    if norm > view.eps:
        return f"L2 divides by the length ‖x‖₂ = {short(norm)}, which moves with x", []
    if view.eps > 0:
        note = "‖x‖₂ is below ε: L2 divides by ε instead, which does not move with x."
        return f"L2 divides by ε = {short(view.eps)} (‖x‖₂ is smaller)", [note]
    note = "ε = 0 and the sample is all zeros: 0/0 has no slope (shown as 0)."
    return "L2 divides by the length ‖x‖₂, here 0", [note]


METHOD = Method(
    key="l2",
    label="L2 normalization",
    description="Each sample is divided by its Euclidean length.",
    formula="y = γ·x / max(‖x‖₂, ε) + β",
    params=("gamma", "beta", "eps"),
    statistics_over="row",
    default_eps=1e-12,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
    fired_words="an all-zero row (or one shorter than ε)",
    inverse_note="γ = ‖x‖₂, the sample's length: γ·x̂ gives back the input",
    explain=explain,
    slope_words=slope_words,
)
