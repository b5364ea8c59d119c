"""Training throughput: steps per second of normgui's engine against plain numpy.

The network is Ioffe & Szegedy's Figure 1 setting: 64-100-100-100-10 with sigmoids, batch 60,
SGD, on the digits data; with and without BatchNorm. Beside the engine (every step, and every
step plus a record every 50 steps), a plain numpy forward + backward + update of the same
network, written out here with no checks and no records, gives the floor; then the Training
page while it trains (bench_training_page.py). Compare the ratios
measured in one run: the machine is shared, absolute figures wander. Prints a table and writes
bench-training.json. `make bench` runs it after the window benchmark. numpy computes with one
BLAS thread, as in normgui itself (normgui.blas).
"""

from __future__ import annotations

import json
import time
from functools import partial
from pathlib import Path
from typing import Any

from normgui.blas import prefer_single_threaded_blas

prefer_single_threaded_blas()  # before numpy loads

import numpy as np  # noqa: E402

from normgui.core.datasets import load_dataset  # noqa: E402
from normgui.core.training import NetworkSpec, Trainer, init_params  # noqa: E402

SIZES = (64, 100, 100, 100, 10)
BATCH = 60
LR = 0.5
STEPS = 600
REPEATS = 5
OUT = Path("bench-training.json")


def plain_steps(norm: bool, x: np.ndarray, y: np.ndarray, steps: int) -> float:
    """Seconds for `steps` SGD steps of the network in plain numpy (the floor)."""
    params = init_params(NetworkSpec(SIZES), 0)
    ws = [w.copy() for w in params.weights]
    bs = [b.copy() for b in params.biases]
    gs = [np.ones(n) for n in SIZES[1:-1]]
    be = [np.zeros(n) for n in SIZES[1:-1]]
    rm = [np.zeros(n) for n in SIZES[1:-1]]
    rv = [np.ones(n) for n in SIZES[1:-1]]
    rng = np.random.default_rng(1)
    n = x.shape[0]
    start = time.perf_counter()
    for _ in range(steps):
        idx = rng.integers(0, n, BATCH)
        h, yb = x[idx], y[idx]
        hs, caches = [h], []
        for i in range(len(ws) - 1):
            u = h @ ws[i] + bs[i]
            if norm:
                mu = u.mean(axis=0)
                c = u - mu
                var = (c * c).mean(axis=0)
                inv = 1.0 / np.sqrt(var + 1e-5)
                xh = c * inv
                z = gs[i] * xh + be[i]
                rm[i] = 0.9 * rm[i] + 0.1 * mu
                rv[i] = 0.9 * rv[i] + 0.1 * var * BATCH / (BATCH - 1)
                caches.append((xh, inv))
            else:
                z = u
            h = 1.0 / (1.0 + np.exp(-z))
            hs.append(h)
        logits = h @ ws[-1] + bs[-1]
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        p[np.arange(BATCH), yb] -= 1.0
        d = p / BATCH
        grads_w, grads_b = [hs[-1].T @ d], [d.sum(axis=0)]
        dh = d @ ws[-1].T
        for i in reversed(range(len(ws) - 1)):
            dz = dh * hs[i + 1] * (1.0 - hs[i + 1])
            if norm:
                xh, inv = caches[i]
                dxh = dz * gs[i]
                gs[i] = gs[i] - LR * (dz * xh).sum(axis=0)
                be[i] = be[i] - LR * dz.sum(axis=0)
                dz = inv * (dxh - dxh.mean(axis=0) - xh * (dxh * xh).mean(axis=0))
            grads_w.insert(0, hs[i].T @ dz)
            grads_b.insert(0, dz.sum(axis=0))
            dh = dz @ ws[i].T
        ws = [w - LR * g for w, g in zip(ws, grads_w, strict=True)]
        bs = [b - LR * g for b, g in zip(bs, grads_b, strict=True)]
    return time.perf_counter() - start


def engine_steps(norm: bool, data: Any, steps: int, record_every: int | None) -> float:
    """Seconds for `steps` steps of the engine, with a record every `record_every` steps."""
    spec = NetworkSpec(SIZES, norm="batchnorm" if norm else "none")
    every = record_every or steps + 1
    trainer = Trainer(spec, data, batch_size=BATCH, lr=LR, record_every=every)
    start = time.perf_counter()
    while trainer.step_count < steps:
        trainer.advance(min(every, steps - trainer.step_count))
    return time.perf_counter() - start


def best(*measures: Any) -> list[float]:
    """The fastest of a few runs of each measurement, taken in turns so that a burst of load
    from other jobs on the machine falls on all of them alike."""
    times: list[list[float]] = [[] for _ in measures]
    for _ in range(REPEATS):
        for kept, measure in zip(times, measures, strict=True):
            kept.append(measure())
    return [min(kept) for kept in times]


def main() -> None:
    data = load_dataset("digits")
    rows = []
    for norm in (False, True):
        plain, bare, recorded = best(
            partial(plain_steps, norm, data.x_train, data.y_train, STEPS),
            partial(engine_steps, norm, data, STEPS, None),
            partial(engine_steps, norm, data, STEPS, 50),
        )
        rows.append(
            {
                "network": "BatchNorm" if norm else "no normalization",
                "plain_steps_per_s": STEPS / plain,
                "engine_steps_per_s": STEPS / bare,
                "recorded_steps_per_s": STEPS / recorded,
                "engine_over_plain": bare / plain,
                "recorded_over_plain": recorded / plain,
                "recording_share": (recorded - bare) / recorded,
            }
        )
    print(f"Training throughput, {'-'.join(map(str, SIZES))} sigmoid, batch {BATCH}, SGD")
    print(
        f"{'network':<18} {'plain/s':>8} {'engine/s':>9} {'+records/s':>11} "
        f"{'×plain':>7} {'rec ×plain':>10} {'recording':>10}"
    )
    for r in rows:
        print(
            f"{r['network']:<18} {r['plain_steps_per_s']:>8.0f} {r['engine_steps_per_s']:>9.0f} "
            f"{r['recorded_steps_per_s']:>11.0f} {r['engine_over_plain']:>7.2f} "
            f"{r['recorded_over_plain']:>10.2f} {r['recording_share']:>9.1%}"
        )
    # The same network on the Training page: the window's responsiveness and the throughput
    # while it draws, the worker in a process and in a thread (see bench_training_page.py).
    from bench_training_page import page_rows

    OUT.write_text(json.dumps({"training": rows, "page": page_rows()}, indent=2))


if __name__ == "__main__":
    main()
