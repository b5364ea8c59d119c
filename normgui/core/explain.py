"""The formulas of the current method with the current numbers filled in, for one element.

`explain(state)` returns structured lines for the selected sample and element (clamped to the
data): the statistics (μ, σ², min, max, quartiles, the norm…), x̂, y = γ·x̂ + β, the activation
f(y), its slope f′(y) and the regime y falls in, e.g. for LayerNorm on [1, 2, 3, 4], element 3:

    μ = (1 + 2 + 3 + 4)/4 = 2.5
    σ² = ((1 − 2.5)² + (2 − 2.5)² + (3 − 2.5)² + (4 − 2.5)²)/4 = 1.25
    x̂₃ = (3 − 2.5)/√(1.25 + 1e-05) = 0.4472
    y₃ = γ·x̂₃ + β = 1·0.4472 + 0 = 0.4472
    σ(y₃) = 1/(1 + e^(−0.4472)) = 0.6100

Each line carries its value, so the tests check it against compute(); x̂ is computed with
`normalize` itself, so it is the number the plots show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from normgui.core.activations import SYMMETRIC, activate_with_grad, bounds_for, is_linear
from normgui.core.activations import is_saturated as saturated_at
from normgui.core.context import SampleContext, Series, sample_context, sub
from normgui.core.formatting import (
    MINUS,
    deviation_sum,
    num,
    result,
    signed_sum,
    square_sum,
    vector,
)
from normgui.core.methods import ACTIVATION_LABELS, METHOD_SPECS
from normgui.core.sensitivity import normalized_window
from normgui.core.state import State


@dataclass(frozen=True)
class ExplainLine:
    """One step: its general `formula`, the same with the numbers in (`text`), and its value."""

    key: str
    formula: str
    text: str
    value: float | None = None


@dataclass(frozen=True)
class Explanation:
    title: str
    lines: tuple[ExplainLine, ...]
    notes: tuple[str, ...] = ()

    def line(self, key: str) -> ExplainLine:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(key)

    def value(self, key: str) -> float:
        value = self.line(key).value
        if value is None:
            raise KeyError(f"{key} has no value")
        return value


def _minus(a: float, b: float) -> str:
    """'3 − 2.5', or '3 + 2.5' for b = −2.5."""
    return f"{num(a)} + {num(-b)}" if b < 0 else f"{num(a)} {MINUS} {num(b)}"


def _factor(text: str) -> str:
    """A number as a factor of a product: '(−1.0000)' in '1·(−1.0000)'."""
    return f"({text})" if text.startswith(MINUS) else text


def _plus(a: str, b: float) -> str:
    return f"{a} {MINUS} {num(-b)}" if b < 0 else f"{a} + {num(b)}"


class _Builder:
    def __init__(self, ctx: SampleContext) -> None:
        self.ctx = ctx
        self.j = sub(ctx.feature)
        self.lines: list[ExplainLine] = []
        self.notes: list[str] = []

    def add(self, key: str, formula: str, text: str, value: float | None = None) -> None:
        self.lines.append(ExplainLine(key, formula, text, None if value is None else float(value)))

    # --- the statistics over some values, as LayerNorm, GroupNorm and BatchNorm take them ------

    def mean_var(self, values: np.ndarray, sym: str = "", over: str = "d") -> tuple[float, float]:
        n = values.size
        mean = float(values.mean())
        var = float(np.mean((values - mean) ** 2))
        self.add(
            "mean",
            f"μ{sym} = Σ x / {over}",
            f"μ{sym} = ({signed_sum(values.tolist())})/{n} = {num(mean)}",
            mean,
        )
        self.add(
            "var",
            f"σ{sym}² = Σ (x − μ)² / {over}",
            f"σ{sym}² = ({deviation_sum(values.tolist(), mean)})/{n} = {num(var)}",
            var,
        )
        return mean, var

    def xhat_centred(self, xj: float, mean: float, var: float, eps: float, sym: str = "") -> None:
        j = self.j
        self.add(
            "xhat",
            f"x̂{j} = (x{j} − μ{sym})/√(σ{sym}² + ε)",
            f"x̂{j} = ({_minus(xj, mean)})/√({num(var)} + {num(eps)}) = {result(self.xhat)}",
            self.xhat,
        )

    @property
    def xhat(self) -> float:
        ctx = self.ctx
        return float(normalized_window(ctx, np.array([ctx.feature]))[0])


def explain(
    state: State, which: Series = "A", sample: int | None = None, feature: int | None = None
) -> Explanation:
    """The current method's formulas with the numbers of one element (by default the selected
    one of A) filled in, from the input to the activation's slope."""
    ctx = sample_context(state, which, sample, feature)
    b = _Builder(ctx)
    data = state.inputs_a if which == "A" else state.inputs_b
    assert data is not None
    n, d = data.shape
    spec = METHOD_SPECS[state.method]
    title = (
        f"{spec.label} · {which}, sample {ctx.sample + 1} of {n}, element {ctx.feature + 1} of {d}"
    )
    j = b.j
    if state.input_scale != 1.0 or state.input_shift != 0.0:
        typed = float(data[ctx.sample, ctx.feature])
        b.add(
            "input",
            f"x{j} = scale·x{j} + shift",
            f"x{j} = {_plus(f'{num(state.input_scale)}·{num(typed)}', state.input_shift)} "
            f"= {num(float(ctx.x[ctx.feature]))}",
            float(ctx.x[ctx.feature]),
        )
    _METHOD_LINES[state.method](b)
    _tail(b, state)
    return Explanation(title, tuple(b.lines), tuple(b.notes))


# --- per method ----------------------------------------------------------------------------------


def _sample_line(b: _Builder) -> None:
    b.add("x", "the sample", f"x = {vector(b.ctx.x.tolist())}")


def _identity(b: _Builder) -> None:
    xj = float(b.ctx.x[b.ctx.feature])
    b.add("xhat", f"x̂{b.j} = x{b.j}", f"x̂{b.j} = x{b.j} = {num(xj)} (no normalization)", b.xhat)


def _layernorm(b: _Builder) -> None:
    _sample_line(b)
    ctx = b.ctx
    mean, var = b.mean_var(ctx.x)
    b.xhat_centred(float(ctx.x[ctx.feature]), mean, var, ctx.eps_value)


def _groupnorm(b: _Builder) -> None:
    ctx = b.ctx
    d, groups = ctx.n_features, ctx.groups
    size = d // groups
    g = ctx.feature // size
    values = ctx.x[g * size : (g + 1) * size]
    b.add(
        "group",
        f"{groups} groups of {size} features",
        f"group {g + 1} of {groups}: x{sub(g * size)}…x{sub((g + 1) * size - 1)} = "
        f"{vector(values.tolist())}",
    )
    mean, var = b.mean_var(values, "_g", "group size")
    b.xhat_centred(float(ctx.x[ctx.feature]), mean, var, ctx.eps_value, "_g")


def _rmsnorm(b: _Builder) -> None:
    _sample_line(b)
    ctx, j = b.ctx, b.j
    x = ctx.x
    ms = float(np.mean(x * x))
    rms = float(np.sqrt(ms + ctx.eps_value))
    b.add(
        "ms",
        "mean(x²) = Σ x² / d",
        f"mean(x²) = ({square_sum(x.tolist())})/{x.size} = {num(ms)}",
        ms,
    )
    b.add(
        "rms",
        "rms = √(mean(x²) + ε)",
        f"rms = √({num(ms)} + {num(ctx.eps_value)}) = {result(rms)}",
        rms,
    )
    xj = float(x[ctx.feature])
    b.add("xhat", f"x̂{j} = x{j}/rms", f"x̂{j} = {num(xj)}/{result(rms)} = {result(b.xhat)}", b.xhat)


def _l2(b: _Builder) -> None:
    _sample_line(b)
    ctx, j = b.ctx, b.j
    x = ctx.x
    norm = float(np.sqrt(np.sum(x * x)))
    b.add("norm", "‖x‖₂ = √(Σ x²)", f"‖x‖₂ = √({square_sum(x.tolist())}) = {result(norm)}", norm)
    den = max(norm, ctx.eps_value)
    if norm < ctx.eps_value:
        b.notes.append("‖x‖₂ is smaller than ε, so x is divided by ε.")
    xj = float(x[ctx.feature])
    b.add(
        "xhat",
        f"x̂{j} = x{j}/max(‖x‖₂, ε)",
        f"x̂{j} = {num(xj)}/{result(den)} = {result(b.xhat)}",
        b.xhat,
    )


def _column(b: _Builder) -> np.ndarray:
    ctx = b.ctx
    col = ctx.batch[:, ctx.feature]
    if ctx.joint:
        who = f"the {ctx.n_batch} samples of A and B (one batch)"
    else:
        who = f"the {ctx.n_batch} sample{'s' if ctx.n_batch != 1 else ''} of {ctx.which}"
    b.add(
        "column",
        f"feature {ctx.feature + 1} over the batch",
        f"x{b.j} over {who} = {vector(col.tolist())}",
    )
    return col


def _batchnorm(b: _Builder) -> None:
    ctx, j = b.ctx, b.j
    xj = float(ctx.x[ctx.feature])
    if not ctx.state.training:
        run = ctx.running
        mean, var = float(run.mean[ctx.feature]), float(run.var[ctx.feature])
        steps = f"after {run.count} step{'s' if run.count != 1 else ''}"
        b.add("mean", f"μ{j} = running mean", f"μ{j} = {num(mean)} (running, {steps})", mean)
        b.add("var", f"σ{j}² = running variance", f"σ{j}² = {num(var)} (running, unbiased)", var)
        b.xhat_centred(xj, mean, var, ctx.eps_value, j)
        return
    col = _column(b)
    if ctx.n_batch < 2:
        b.notes.append("A batch of one has no variance in training mode: every x̂ is 0.")
        b.add("xhat", f"x̂{j} = 0", f"x̂{j} = 0 (a batch of one)", b.xhat)
        return
    mean, var = b.mean_var(col, j, "n")
    b.notes.append("Training mode divides by the biased variance (÷n); Step keeps ÷(n − 1).")
    b.xhat_centred(xj, mean, var, ctx.eps_value, j)


def _standardize(b: _Builder) -> None:
    ctx, j = b.ctx, b.j
    col = _column(b)
    mean, var = b.mean_var(col, j, "n")
    std = float(np.sqrt(var))
    xj = float(ctx.x[ctx.feature])
    if abs(b.xhat - (xj - mean)) < 1e-12 * max(1.0, abs(xj)) and std < 1e-12 * max(1.0, abs(mean)):
        b.notes.append("The feature is constant: scikit-learn divides it by 1 instead of σ = 0.")
        std = 1.0
    b.add("std", f"σ{j} = √σ{j}²", f"σ{j} = √{num(var)} = {result(std)}", std)
    b.add(
        "xhat",
        f"x̂{j} = (x{j} − μ{j})/σ{j}",
        f"x̂{j} = ({_minus(xj, mean)})/{result(std)} = {result(b.xhat)}",
        b.xhat,
    )


def _minmax(b: _Builder) -> None:
    ctx, j = b.ctx, b.j
    col = _column(b)
    lo, hi = ctx.state.feature_range
    low, high = float(col.min()), float(col.max())
    b.add("min", "min over the batch", f"min = {num(low)}", low)
    b.add("max", "max over the batch", f"max = {num(high)}", high)
    span = high - low
    if span < 10 * np.finfo(np.float64).eps:
        b.notes.append("The feature is constant: scikit-learn divides by 1 instead of 0.")
        span = 1.0
    xj = float(ctx.x[ctx.feature])
    b.add(
        "xhat",
        f"x̂{j} = lo + (x{j} − min)·(hi − lo)/(max − min)",
        f"x̂{j} = {num(lo)} + ({_minus(xj, low)})·({_minus(hi, lo)})/{num(span)} = {result(b.xhat)}",
        b.xhat,
    )


def _robust(b: _Builder) -> None:
    ctx, j = b.ctx, b.j
    col = _column(b)
    q25, med, q75 = (float(v) for v in np.percentile(col, [25.0, 50.0, 75.0]))
    b.add("median", "the median Q₅₀", f"median = {num(med)}", med)
    b.add("q25", "the first quartile Q₂₅", f"Q₂₅ = {num(q25)}", q25)
    b.add("q75", "the third quartile Q₇₅", f"Q₇₅ = {num(q75)}", q75)
    iqr = q75 - q25
    b.add("iqr", "IQR = Q₇₅ − Q₂₅", f"IQR = {_minus(q75, q25)} = {num(iqr)}", iqr)
    if iqr < 10 * np.finfo(np.float64).eps:
        b.notes.append("The interquartile range is 0: scikit-learn divides by 1 instead.")
        iqr = 1.0
    xj = float(ctx.x[ctx.feature])
    b.add(
        "xhat",
        f"x̂{j} = (x{j} − median)/IQR",
        f"x̂{j} = ({_minus(xj, med)})/{num(iqr)} = {result(b.xhat)}",
        b.xhat,
    )


def _maxabs(b: _Builder) -> None:
    ctx, j = b.ctx, b.j
    col = _column(b)
    peak = float(np.max(np.abs(col)))
    b.add("maxabs", "max |x| over the batch", f"max|x| = {num(peak)}", peak)
    if peak < 10 * np.finfo(np.float64).eps:
        b.notes.append("The feature is all zeros: scikit-learn divides by 1 instead of 0.")
        peak = 1.0
    xj = float(ctx.x[ctx.feature])
    b.add(
        "xhat",
        f"x̂{j} = x{j}/max|x|",
        f"x̂{j} = {num(xj)}/{num(peak)} = {result(b.xhat)}",
        b.xhat,
    )


_METHOD_LINES: dict[str, Callable[[_Builder], None]] = {
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


# --- γ and β, the activation, its slope, the regime ----------------------------------------------


def _tail(b: _Builder, state: State) -> None:
    ctx, j = b.ctx, b.j
    k = ctx.feature
    xhat = b.xhat
    gamma, beta = float(ctx.gamma[k]), float(ctx.beta[k])
    g_sym, b_sym = ("γ" + j, "β" + j) if state.per_feature else ("γ", "β")
    with np.errstate(over="ignore", invalid="ignore"):
        y = float(xhat * gamma + beta)
    product = f"{num(gamma)}·{_factor(result(xhat))}"
    if "beta" in METHOD_SPECS[state.method].params:
        b.add(
            "y",
            f"y{j} = {g_sym}·x̂{j} + {b_sym}",
            f"y{j} = {g_sym}·x̂{j} + {b_sym} = {_plus(product, beta)} = {result(y)}",
            y,
        )
    else:
        b.add(
            "y",
            f"y{j} = {g_sym}·x̂{j}",
            f"y{j} = {g_sym}·x̂{j} = {product} = {result(y)}",
            y,
        )
    name = state.activation
    act, grad = (float(v[0]) for v in activate_with_grad(np.array([y]), name))
    f = "σ" if name == "sigmoid" else ACTIVATION_LABELS[name]
    yt = result(y)
    act_text = {
        "sigmoid": f"σ(y{j}) = 1/(1 + e^({result(-y)})) = {result(act)}",
        "tanh": f"tanh(y{j}) = tanh({yt}) = {result(act)}",
        "relu": f"ReLU(y{j}) = max(0, {yt}) = {result(act)}",
        "gelu": f"GELU(y{j}) = y{j}·Φ(y{j}) = {yt}·Φ({yt}) = {result(act)}",
        "hardsigmoid": f"hardσ(y{j}) = clip({yt}/6 + 1/2, 0, 1) = {result(act)}",
    }[name]
    act_formula = {
        "sigmoid": f"σ(y{j}) = 1/(1 + e^(−y{j}))",
        "tanh": f"tanh(y{j})",
        "relu": f"ReLU(y{j}) = max(0, y{j})",
        "gelu": f"GELU(y{j}) = y{j}·Φ(y{j})",
        "hardsigmoid": f"hardσ(y{j}) = clip(y{j}/6 + 1/2, 0, 1)",
    }[name]
    b.add("act", act_formula, act_text, act)
    grad_formula = {
        "sigmoid": f"σ′(y{j}) = σ(y{j})·(1 − σ(y{j}))",
        "tanh": f"tanh′(y{j}) = 1 − tanh²(y{j})",
        "relu": f"ReLU′(y{j}) = 1 if y{j} > 0, else 0",
        "gelu": f"GELU′(y{j}) = Φ(y{j}) + y{j}·φ(y{j})",
        "hardsigmoid": f"hardσ′(y{j}) = 1/6 on (−3, 3), else 0",
    }[name]
    grad_text = (
        f"σ′(y{j}) = {result(act)}·{result(1.0 - act)} = {result(grad)}"
        if name == "sigmoid"
        else f"{grad_formula.split(' = ')[0]} = {result(grad)}"
    )
    b.add("grad", grad_formula, grad_text, grad)
    b.add("regime", "where y falls on the curve", _regime_text(state, y, j, f))


def _regime_text(state: State, y: float, j: str, f: str) -> str:
    name, settings = state.activation, state.regime
    z = np.array([y])
    where = "in the linear regime"
    if saturated_at(z, name, settings)[0]:
        where = f"in saturation: {f}′ is at most {settings.saturation_ratio:g}× its slope at 0"
    elif not is_linear(z, name, settings)[0]:
        where = "between the linear regime and saturation"
    bounds = ""
    if name in SYMMETRIC:
        z_lin, z_sat = bounds_for(name, settings)
        bounds = f" (linear for |y| ≤ {z_lin:.3g}, saturated for |y| ≥ {z_sat:.3g})"
    return f"y{j} = {result(y)} is {where}{bounds}"
