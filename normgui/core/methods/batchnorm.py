"""BatchNorm: each feature centred and scaled by the batch's statistics (training) or by the
running statistics (eval), as torch.nn.BatchNorm1d: biased variance for the output, running
statistics moved with momentum towards the *unbiased* variance, buffers starting at 0 and 1."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from normgui.core.formatting import num, short
from normgui.core.methods.base import (
    ZERO_BY_EPS,
    Method,
    Stats,
    as_2d,
    in_units,
    safe_divide,
)
from normgui.core.methods.moments import (
    centred_vjp,
    column_slope_words,
    guarded_spread,
    mean_var,
)
from normgui.core.methods.running import RunningStats
from normgui.core.methods.words import SlopeView, Steps
from normgui.core.types import FloatArray

ONE_SAMPLE = (
    "BatchNorm in training mode needs at least two samples: with a batch of one, every "
    "feature's batch variance is 0 (PyTorch refuses it: 'Expected more than 1 value per "
    "channel when training'). Add a sample or switch to eval mode."
)


def statistics(
    x: FloatArray,
    *,
    eps: float,
    training: bool = True,
    running: RunningStats | None = None,
    **_: object,
) -> Stats:
    if not training:
        return _running_statistics(x, eps, running)
    if x.shape[0] < 2:
        raise ValueError(ONE_SAMPLE)
    u, s, constant = guarded_spread(x, axis=0)
    mean, var = mean_var(u, axis=0)
    scale = np.sqrt(var + eps / s / s)  # ε scales with the square of the data
    named = {"mean": in_units(mean, s), "var": in_units(var, s, 2)}
    return Stats(mean, scale, named, constant, unit=s)


def _running_statistics(x: FloatArray, eps: float, running: RunningStats | None) -> Stats:
    d = x.shape[1]
    stats = running if running is not None else RunningStats.initial(d)
    if stats.n_features != d:
        raise ValueError(
            f"the running statistics have {stats.n_features} features but the data has {d}; "
            "reset them"
        )
    mean = stats.mean.astype(x.dtype)[np.newaxis, :]
    var = stats.var.astype(x.dtype)[np.newaxis, :]
    scale = np.sqrt(var + eps)
    # Eval mode never squares the data, so it needs no guard against overflow.
    return Stats(mean, scale, {"mean": mean, "var": var}, scale == 0, depends_on_data=False)


def vjp(x: FloatArray, stats: Stats, grad: FloatArray) -> FloatArray:
    if not stats.depends_on_data:
        return safe_divide(grad, stats.scale)  # the running statistics do not move with x
    return centred_vjp(stats.normalize(x), stats.gain, grad, axis=0)  # gain: scale·unit, exact


def update_running_stats(
    stats: RunningStats, batch: ArrayLike, momentum: float | None = 0.1
) -> RunningStats:
    """One training step of BatchNorm's running statistics, as torch.nn.BatchNorm1d does it.

    running = (1 - m)·running + m·batch_statistic, with the *unbiased* batch variance.
    momentum=None is the cumulative moving average (m = 1 / batches seen).
    """
    x = as_2d(batch)
    n, d = x.shape
    if d != stats.n_features:
        raise ValueError(
            f"the batch has {d} features but the running statistics have {stats.n_features}"
        )
    if n < 2:
        raise ValueError(
            "a batch of one sample has no variance: BatchNorm cannot update its running "
            "statistics from it (PyTorch refuses it too); use at least two samples"
        )
    if momentum is not None and not 0.0 <= momentum <= 1.0:
        raise ValueError(f"momentum must be between 0 and 1, not {momentum}")
    m = 1.0 / (stats.count + 1) if momentum is None else momentum
    with np.errstate(over="ignore", invalid="ignore"):  # near ±1e308: said below, not warned
        batch_mean = x.mean(axis=0)
        batch_var = x.var(axis=0, ddof=1)
    if not (np.all(np.isfinite(batch_mean)) and np.all(np.isfinite(batch_var))):
        raise ValueError(
            "the batch's variance is beyond the range of floating-point numbers (values near "
            "±1e308): the running statistics cannot hold it"
        )
    return _blend(stats, batch_mean, batch_var, m)


def running_after(running: RunningStats, batch: Stats, n: int, momentum: float) -> RunningStats:
    """`update_running_stats` from the training-mode Stats already taken of a batch of `n`
    samples (a network layer has them from its forward pass): the same update without going
    over the batch again. Its variance is biased; the running one takes the unbiased n/(n − 1)."""
    if n < 2 or not batch.depends_on_data:
        raise ValueError("the running statistics move only with a training batch of two or more")
    mean = batch.named["mean"].reshape(-1)
    var = batch.named["var"].reshape(-1) * (n / (n - 1))
    return _blend(running, mean, var, momentum)


def _blend(
    stats: RunningStats, batch_mean: FloatArray, batch_var: FloatArray, m: float
) -> RunningStats:
    """running = (1 − m)·running + m·batch, one batch more tracked."""
    return RunningStats(
        (1.0 - m) * stats.mean + m * batch_mean,
        (1.0 - m) * stats.var + m * batch_var,
        stats.count + 1,
    )


def explain(steps: Steps) -> None:
    j = steps.j
    if not steps.training:
        mean, var = steps.stat("mean"), steps.stat("var")
        k = steps.steps_taken
        after = f"after {k} step{'s' if k != 1 else ''}"
        steps.add("mean", f"μ{j} = running mean", f"μ{j} = {num(mean)} (running, {after})", mean)
        steps.add(
            "var", f"σ{j}² = running variance", f"σ{j}² = {num(var)} (running, unbiased)", var
        )
        steps.xhat_centred(mean, var, j)
        return
    col = steps.column_line()
    if steps.stats is None:
        steps.notes.append("A batch of one has no variance in training mode: every x̂ is 0.")
        steps.add("xhat", f"x̂{j} = 0", f"x̂{j} = 0 (a batch of one)", steps.xhat)
        return
    mean, var = steps.mean_var(col, j, "n")
    steps.notes.append("Training mode divides by the biased variance (÷n); Step keeps ÷(n − 1).")
    steps.xhat_centred(mean, var, j)


def slope_words(view: SlopeView) -> tuple[str, list[str]]:
    if not view.stats.depends_on_data:
        how = (
            f"eval mode divides by the running σ = √(running var + ε) = {short(view.scale())} "
            f"of {view.label}; the running statistics do not move with x"
        )
        return how, []
    return column_slope_words(view, "the batch σ = √(σ² + ε)", f"the batch of {view.n}", "shown: 0")


METHOD = Method(
    key="batchnorm",
    label="BatchNorm",
    description="Each feature is centred and scaled by the batch's statistics "
    "(training) or the running statistics (eval).",
    formula="y = γ·(x − μ_batch) / √(σ²_batch + ε) + β",
    params=("gamma", "beta", "eps", "training", "momentum"),
    statistics_over="column",
    default_eps=1e-5,
    has_beta=True,
    statistics=statistics,
    vjp=vjp,
    fired_words="a constant column",
    fired_note=ZERO_BY_EPS,
    inverse_note=(
        "γ = √(Var + ε) and β = mean of each feature (the batch's, with the biased variance, in "
        "training mode; the running ones in eval mode): γ·x̂ + β gives back the input"
    ),
    explain=explain,
    slope_words=slope_words,
)
