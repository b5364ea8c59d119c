"""The formulas of the current method with the current numbers filled in, for one element.

`explain(state)` returns structured lines for the selected sample and element (clamped to the
data): the statistics (μ, σ², min, max, quartiles, the norm…), x̂, y = γ·x̂ + β, the activation
f(y), its slope f′(y) and the regime y falls in, e.g. for LayerNorm on [1, 2, 3, 4], element 3:

    μ = (1 + 2 + 3 + 4)/4 = 2.5
    σ² = ((1 − 2.5)² + (2 − 2.5)² + (3 − 2.5)² + (4 − 2.5)²)/4 = 1.25
    x̂₃ = (3 − 2.5)/√(1.25 + 1e-05) = 0.4472
    y₃ = γ·x̂₃ + β = 1·0.4472 + 0 = 0.4472
    σ(y₃) = 1/(1 + e^(−0.4472)) = 0.6100

Each line carries its value, so the tests check it against compute(). The lines of the
normalization are the method's own (its `explain`, from normgui.core.methods) and format the
quantities of its statistics, which also give x̂: the number the plots show.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normgui.core.activations import SYMMETRIC, activate_with_grad, bounds_for, is_linear
from normgui.core.activations import is_saturated as saturated_at
from normgui.core.context import SampleContext, Series, affine_parameters, sample_context
from normgui.core.formatting import MINUS, num, result, sub
from normgui.core.methods import ACTIVATION_LABELS, get_method
from normgui.core.methods.words import Line, Steps, general_explain
from normgui.core.state import State

ExplainLine = Line


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


def _factor(text: str) -> str:
    """A number as a factor of a product: '(−1.0000)' in '1·(−1.0000)'."""
    return f"({text})" if text.startswith(MINUS) else text


def _plus(a: str, b: float) -> str:
    return f"{a} {MINUS} {num(-b)}" if b < 0 else f"{a} + {num(b)}"


def _steps(ctx: SampleContext) -> Steps:
    """What the method's explanation is written from: its statistics of the sample's data."""
    column = ctx.statistics_over == "column"
    if ctx.joint:
        who = f"the {ctx.n_batch} samples of A and B (one batch)"
    else:
        who = f"the {ctx.n_batch} sample{'s' if ctx.n_batch != 1 else ''} of {ctx.which}"
    return Steps(
        j=sub(ctx.feature),
        feature=ctx.feature,
        x=ctx.x,
        column=ctx.batch[:, ctx.feature] if column else None,
        who=who,
        stats=ctx.stats,
        row=ctx.row,
        eps=ctx.eps_value,
        xhat=float(ctx.xhat[ctx.feature]),
        training=ctx.state.training,
        steps_taken=ctx.running.count,
    )


def explain(
    state: State, which: Series = "A", sample: int | None = None, feature: int | None = None
) -> Explanation:
    """The current method's formulas with the numbers of one element (by default the selected
    one of A) filled in, from the input to the activation's slope."""
    ctx = sample_context(state, which, sample, feature)
    data = state.inputs_a if which == "A" else state.inputs_b
    assert data is not None
    n, d = data.shape
    method = ctx.record
    title = (
        f"{method.label} · {which}, sample {ctx.sample + 1} of {n}, "
        f"element {ctx.feature + 1} of {d}"
    )
    steps = _steps(ctx)
    if state.input_scale != 1.0 or state.input_shift != 0.0:
        typed = float(data[ctx.sample, ctx.feature])
        steps.add(
            "input",
            f"x{steps.j} = scale·x{steps.j} + shift",
            f"x{steps.j} = {_plus(f'{num(state.input_scale)}·{num(typed)}', state.input_shift)} "
            f"= {num(steps.xj)}",
            steps.xj,
        )
    (method.explain or general_explain(method.label))(steps)
    _tail(steps, state)
    return Explanation(title, tuple(steps.lines), tuple(steps.notes))


# --- γ and β, the activation, its slope, the regime ----------------------------------------------


def _tail(b: Steps, state: State) -> None:
    j = b.j
    xhat = b.xhat
    gamma, beta = (float(v[b.feature]) for v in affine_parameters(state, b.x.shape[0]))
    g_sym, b_sym = ("γ" + j, "β" + j) if state.per_feature else ("γ", "β")
    with np.errstate(over="ignore", invalid="ignore"):
        y = float(xhat * gamma + beta)
    product = f"{num(gamma)}·{_factor(result(xhat))}"
    if get_method(state.method).has_beta:
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
