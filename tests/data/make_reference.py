"""Generate tests/data/reference.json: what PyTorch and scikit-learn compute, in float64.

tests/core/test_reference.py checks normgui.core against this file, so that the core is proven to
match the libraries users know without torch or scikit-learn being a dependency of normgui or of
its tests. Only this script needs them; run it with a separate virtual environment, outside the
repository, from the repository root:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 scikit-learn numpy
    /tmp/refvenv/bin/python tests/data/make_reference.py

(torch==2.13.0 is the CPU build; plain `pip install torch` would pull the CUDA libraries.)
The output is deterministic: the random data is seeded and stored in the file with full repr
precision, so the test never needs to regenerate it. Rerun after adding a case, and commit the
JSON together with this script.

The file is a JSON list of cases, one per line. Every case has an "id" (the pytest id), a
"kind" and a "reference" (library, version and the function that computed "expected..."):

- kind "normalize": "method" (a normgui method name), "x" (2-D), "params" (keyword arguments of
  normgui.core.normalize.normalize: gamma, beta, eps, groups, feature_range, training) and
  "expected" (2-D). scikit-learn has no γ/β, so where a scikit-learn case sets them the expected
  value is the scaler's output · γ + β, which is what normgui defines for every method.
- kind "running_stats": torch.nn.BatchNorm1d trained on "batches" with "momentum" (null is the
  cumulative average), then the buffers ("expected_mean", "expected_var", "expected_count") and
  the eval-mode output on "x_eval" ("expected_eval", with "eps", "gamma", "beta").
- kind "activation": "name", a grid "z", the activation ("expected_value") and its derivative by
  autograd ("expected_grad").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
import torch
import torch.nn.functional as F
from sklearn.preprocessing import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler
from torch import nn

OUT = Path(__file__).resolve().parent / "reference.json"
MAX_BYTES = 300_000
DTYPE = torch.float64

TORCH = f"torch {torch.__version__}"
SKLEARN = f"scikit-learn {sklearn.__version__}"

Case = dict[str, Any]
Params = dict[str, Any]


def _datasets() -> dict[str, np.ndarray]:
    """The inputs, rows = samples, columns = features."""
    rng = np.random.default_rng(20240611)
    normal = rng.normal(size=(5, 6))
    const_col = rng.normal(size=(5, 6))
    const_col[:, 2] = 0.1  # a mean that is not exact in binary: variance within rounding of 0
    const_col[:, 4] = -3.0
    const_row = rng.normal(size=(5, 6))
    const_row[1, :] = 0.1
    const_row[3, :] = 0.0
    return {
        "check1234": np.array([[1.0, 2.0, 3.0, 4.0]]),
        "check4567": np.array([[4.0, 5.0, 6.0, 7.0]]),
        "checkpair": np.array([[1.0, 2.0, 3.0, 4.0], [4.0, 5.0, 6.0, 7.0]]),
        "normal5x6": normal,
        "constcol5x6": const_col,
        "constrow5x6": const_row,
        "single5x1": rng.normal(size=(5, 1)),
        "one1x6": rng.normal(size=(1, 6)),
        "offset1e6": 1e6 + rng.normal(size=(5, 6)),
        "small1e-3": 1e-3 * rng.normal(size=(5, 6)),
        "pixels4x6": rng.integers(0, 256, size=(4, 6)).astype(np.float64),
    }


DATA = _datasets()
HUGE = np.array(
    [[1e200, -3e200, 2.5e180, 1e-3, -1e300, 7.0], [0.5, 1e250, -1e160, 0.0, 1e10, -2e305]]
)
GAMMA6 = [0.5, 2.0, -1.0, 1.5, 3.0, 0.25]
BETA6 = [0.1, -0.2, 0.3, 0.0, -1.5, 2.0]


def _t(a: Any) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=DTYPE)


def _np(t: torch.Tensor) -> np.ndarray:
    return t.detach().numpy().astype(np.float64)


def _set_affine(module: nn.Module, d: int, params: Params) -> None:
    with torch.no_grad():
        module.weight.copy_(_t(np.broadcast_to(params.get("gamma", 1.0), (d,))))
        bias = getattr(module, "bias", None)
        if bias is not None:
            bias.copy_(_t(np.broadcast_to(params.get("beta", 0.0), (d,))))


def _eps(params: Params, default: float) -> float:
    eps = params.get("eps")
    return default if eps is None else float(eps)


# --- the references, one function per normgui method: (x, params) -> expected ---------------


def ref_layernorm(x: np.ndarray, p: Params) -> np.ndarray:
    m = nn.LayerNorm(x.shape[1], eps=_eps(p, 1e-5), dtype=DTYPE)
    _set_affine(m, x.shape[1], p)
    return _np(m(_t(x)))


def ref_rmsnorm(x: np.ndarray, p: Params) -> np.ndarray:
    # eps=None is torch's own default, torch.finfo(dtype).eps.
    m = nn.RMSNorm(x.shape[1], eps=p.get("eps"), dtype=DTYPE)
    _set_affine(m, x.shape[1], p)
    return _np(m(_t(x)))


def ref_groupnorm(x: np.ndarray, p: Params) -> np.ndarray:
    m = nn.GroupNorm(p["groups"], x.shape[1], eps=_eps(p, 1e-5), dtype=DTYPE)
    _set_affine(m, x.shape[1], p)
    return _np(m(_t(x)))  # an (N, C) input is valid for GroupNorm


def ref_batchnorm(x: np.ndarray, p: Params) -> np.ndarray:
    assert p.get("training", True), "eval-mode cases are running_stats cases"
    m = nn.BatchNorm1d(x.shape[1], eps=_eps(p, 1e-5), dtype=DTYPE)
    _set_affine(m, x.shape[1], p)
    m.train()
    return _np(m(_t(x)))


def ref_l2(x: np.ndarray, p: Params) -> np.ndarray:
    out = _np(F.normalize(_t(x), p=2.0, dim=1, eps=_eps(p, 1e-12)))
    return out * np.asarray(p.get("gamma", 1.0)) + np.asarray(p.get("beta", 0.0))


def _sklearn(make: Callable[[Params], Any]) -> Callable[[np.ndarray, Params], np.ndarray]:
    def ref(x: np.ndarray, p: Params) -> np.ndarray:
        out = make(p).fit_transform(x.copy())
        return out * np.asarray(p.get("gamma", 1.0)) + np.asarray(p.get("beta", 0.0))

    return ref


REFERENCES: dict[str, tuple[str, Callable[[np.ndarray, Params], np.ndarray]]] = {
    "layernorm": (f"{TORCH}: nn.LayerNorm", ref_layernorm),
    "rmsnorm": (f"{TORCH}: nn.RMSNorm", ref_rmsnorm),
    "groupnorm": (f"{TORCH}: nn.GroupNorm", ref_groupnorm),
    "batchnorm": (f"{TORCH}: nn.BatchNorm1d train()", ref_batchnorm),
    "l2": (f"{TORCH}: F.normalize(p=2, dim=1)", ref_l2),
    "standardize": (f"{SKLEARN}: StandardScaler", _sklearn(lambda p: StandardScaler())),
    "minmax": (
        f"{SKLEARN}: MinMaxScaler",
        _sklearn(lambda p: MinMaxScaler(feature_range=tuple(p.get("feature_range", (0, 1))))),
    ),
    "robust": (f"{SKLEARN}: RobustScaler", _sklearn(lambda p: RobustScaler())),
    "maxabs": (f"{SKLEARN}: MaxAbsScaler", _sklearn(lambda p: MaxAbsScaler())),
}


def _tag(params: Params) -> str:
    parts = []
    for key, value in params.items():
        if key in ("gamma", "beta"):
            parts.append(f"{key}-vec" if isinstance(value, list) else f"{key}{value:g}")
        elif key == "eps":
            parts.append("eps-default" if value is None else f"eps{value:g}")
        elif key == "feature_range":
            parts.append(f"range{value[0]:g}to{value[1]:g}")
        elif key == "training":
            parts.append("train" if value else "eval")
        else:
            parts.append(f"{key}{value}")
    return "-".join(parts)


def normalize_case(method: str, data: str, **params: Any) -> Case:
    x = DATA[data]
    reference, fn = REFERENCES[method]
    expected = fn(x, params)
    tag = _tag(params)
    return {
        "id": f"{method}-{data}" + (f"-{tag}" if tag else ""),
        "kind": "normalize",
        "reference": reference,
        "method": method,
        "x": x.tolist(),
        "params": params,
        "expected": expected.tolist(),
    }


def normalize_cases() -> list[Case]:
    every = list(DATA)
    two_or_more = [k for k in every if DATA[k].shape[0] >= 2]
    cases: list[Case] = []
    add = cases.append

    # LayerNorm: every data set; ε = 0 only where no row is constant (torch gives 0/0 = NaN).
    for d in every:
        add(normalize_case("layernorm", d))
    for d in ("normal5x6", "offset1e6", "small1e-3", "check1234", "constcol5x6"):
        add(normalize_case("layernorm", d, eps=0.0))
    add(normalize_case("layernorm", "normal5x6", eps=1e-3))
    add(normalize_case("layernorm", "small1e-3", eps=1e-8))
    add(normalize_case("layernorm", "normal5x6", gamma=2.0, beta=-0.5))
    add(normalize_case("layernorm", "normal5x6", gamma=GAMMA6, beta=BETA6))
    add(normalize_case("layernorm", "check1234", gamma=[1.0, 2.0, 3.0, 4.0], beta=0.5))

    # RMSNorm: torch's default ε (None: float64 machine epsilon) and explicit ones; no β.
    for d in every:
        add(normalize_case("rmsnorm", d, eps=None))
    for d in ("normal5x6", "small1e-3", "check1234"):
        add(normalize_case("rmsnorm", d, eps=1e-6))
    add(normalize_case("rmsnorm", "small1e-3", eps=1e-3))
    add(normalize_case("rmsnorm", "normal5x6", eps=0.0))
    add(normalize_case("rmsnorm", "normal5x6", gamma=2.0))
    add(normalize_case("rmsnorm", "offset1e6", gamma=GAMMA6, eps=1e-5))

    # GroupNorm: every divisor of 6; one feature per group has variance 0 (needs ε > 0).
    for g in (1, 2, 3, 6):
        add(normalize_case("groupnorm", "normal5x6", groups=g))
    for d in ("constcol5x6", "constrow5x6", "offset1e6", "small1e-3", "pixels4x6", "one1x6"):
        add(normalize_case("groupnorm", d, groups=3))
    add(normalize_case("groupnorm", "check1234", groups=2))
    add(normalize_case("groupnorm", "check1234", groups=1))
    add(normalize_case("groupnorm", "single5x1", groups=1))
    add(normalize_case("groupnorm", "normal5x6", groups=2, eps=0.0))
    add(normalize_case("groupnorm", "normal5x6", groups=3, eps=1e-2))
    add(normalize_case("groupnorm", "normal5x6", groups=3, gamma=GAMMA6, beta=BETA6))
    add(normalize_case("groupnorm", "normal5x6", groups=2, gamma=0.5, beta=1.0))

    # BatchNorm in training mode: batch statistics, biased variance; needs two samples or more.
    for d in two_or_more:
        add(normalize_case("batchnorm", d, training=True))
    # (torch refuses ε = 0 in training mode: "batch_norm eps must be positive during training")
    add(normalize_case("batchnorm", "small1e-3", training=True, eps=1e-8))
    add(normalize_case("batchnorm", "normal5x6", training=True, eps=1e-3))
    add(normalize_case("batchnorm", "normal5x6", training=True, gamma=2.0, beta=-0.5))
    add(normalize_case("batchnorm", "normal5x6", training=True, gamma=GAMMA6, beta=BETA6))

    # L2: ε is the floor of the norm; ε = 0 only where no row is all zeros.
    for d in every:
        add(normalize_case("l2", d))
    for d in ("normal5x6", "check1234", "small1e-3"):
        add(normalize_case("l2", d, eps=0.0))
    add(normalize_case("l2", "small1e-3", eps=1.0))  # the floor is what divides here
    add(normalize_case("l2", "normal5x6", gamma=GAMMA6, beta=BETA6))

    # scikit-learn scalers: per column; a batch of one is valid (every column constant).
    for d in every:
        add(normalize_case("standardize", d))
        add(normalize_case("minmax", d, feature_range=[0.0, 1.0]))
        add(normalize_case("robust", d))
        add(normalize_case("maxabs", d))
    for d in ("normal5x6", "constcol5x6", "offset1e6", "pixels4x6", "one1x6"):
        add(normalize_case("minmax", d, feature_range=[-1.0, 1.0]))
    add(normalize_case("minmax", "normal5x6", feature_range=[2.0, 5.0]))
    add(normalize_case("standardize", "normal5x6", gamma=GAMMA6, beta=BETA6))
    add(normalize_case("minmax", "normal5x6", gamma=2.0, beta=-1.0))
    return cases


def running_case(
    name: str,
    batches: Sequence[np.ndarray],
    momentum: float | None,
    x_eval: np.ndarray,
    eps: float = 1e-5,
    gamma: float | list[float] = 1.0,
    beta: float | list[float] = 0.0,
) -> Case:
    d = x_eval.shape[1]
    # torch refuses ε = 0 in training mode; the running statistics do not depend on ε, so train
    # with the default and set ε for eval, where torch accepts 0.
    m = nn.BatchNorm1d(d, eps=1e-5, momentum=momentum, dtype=DTYPE)
    _set_affine(m, d, {"gamma": gamma, "beta": beta})
    m.train()
    with torch.no_grad():
        for b in batches:
            m(_t(b))
    m.eps = eps
    m.eval()
    with torch.no_grad():
        out = m(_t(x_eval))
    return {
        "id": name,
        "kind": "running_stats",
        "reference": f"{TORCH}: nn.BatchNorm1d buffers after train(), then eval()",
        "batches": [b.tolist() for b in batches],
        "momentum": momentum,
        "eps": eps,
        "gamma": gamma,
        "beta": beta,
        "x_eval": x_eval.tolist(),
        "expected_mean": _np(m.running_mean).tolist(),
        "expected_var": _np(m.running_var).tolist(),
        "expected_count": int(m.num_batches_tracked),
        "expected_eval": _np(out).tolist(),
    }


def running_cases() -> list[Case]:
    rng = np.random.default_rng(7)
    several = [
        rng.normal(loc=2.0, scale=3.0, size=(5, 6)),
        rng.normal(loc=-1.0, scale=0.5, size=(3, 6)),
        rng.normal(loc=0.5, scale=2.0, size=(2, 6)),
    ]
    x_eval = rng.normal(size=(4, 6))
    one_eval = rng.normal(size=(1, 6))
    cases = [
        running_case("bn-running-fresh-eval", [], 0.1, x_eval),
        running_case("bn-running-fresh-eval-batch-of-one", [], 0.1, one_eval),
        running_case("bn-running-one-pass-m0.1", several[:1], 0.1, x_eval),
        running_case("bn-running-one-pass-cumulative", several[:1], None, x_eval),
        running_case("bn-running-three-passes-m0.1", several, 0.1, x_eval),
        running_case("bn-running-three-passes-cumulative", several, None, x_eval),
        running_case("bn-running-three-passes-m1", several, 1.0, x_eval),
        running_case("bn-running-three-passes-m0", several, 0.0, x_eval),
        running_case("bn-running-three-passes-m0.1-eval-batch-of-one", several, 0.1, one_eval),
        running_case(
            "bn-running-three-passes-m0.1-affine", several, 0.1, x_eval, gamma=GAMMA6, beta=BETA6
        ),
        running_case("bn-running-three-passes-cumulative-eps0", several, None, x_eval, eps=0.0),
        running_case("bn-running-check-pair", [DATA["checkpair"]], 0.1, DATA["checkpair"]),
        running_case(
            "bn-running-constcol-m1-eval", [DATA["constcol5x6"]], 1.0, DATA["constcol5x6"]
        ),
        running_case(
            "bn-running-offset1e6-cumulative",
            [DATA["offset1e6"], DATA["offset1e6"][:3] + 0.5],
            None,
            DATA["offset1e6"],
        ),
        running_case("bn-running-single-feature", [DATA["single5x1"]] * 2, 0.1, DATA["single5x1"]),
        running_case("bn-running-pixels-m0.1", [DATA["pixels4x6"]] * 3, 0.1, DATA["pixels4x6"]),
        # eval mode takes no square of the data: values near the float limit are valid
        running_case("bn-running-fresh-eval-huge", [], 0.1, HUGE),
        running_case("bn-running-one-pass-m0.1-eval-huge", several[:1], 0.1, HUGE[:, :6]),
    ]
    return cases


Z_GRID = [
    -1000.0, -30.0, -6.0, -3.0, -2.5, -2.0, -1.0, -0.75, -0.5, -0.25, -1e-8,
    0.0, 1e-8, 0.25, 0.5, 0.75, 1.0, 2.0, 2.5, 3.0, 6.0, 30.0, 1000.0,
]  # fmt: skip

ACTIVATIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "gelu": lambda z: F.gelu(z, approximate="none"),
    "hardsigmoid": F.hardsigmoid,
}


# Pre-activations near the float limit: γ·x̂ + β of an un-normalized input can be that large.
Z_HUGE = [-1e308, -1e200, -1e155, 1e155, 1e200, 1e308]


def activation_cases() -> list[Case]:
    cases = []
    for grid, suffix in ((Z_GRID, ""), (Z_HUGE, "-huge")):
        for name, fn in ACTIVATIONS.items():
            z = _t(grid).requires_grad_(True)
            value = fn(z)
            (grad,) = torch.autograd.grad(value.sum(), z)
            cases.append(
                {
                    "id": f"activation-{name}{suffix}",
                    "kind": "activation",
                    "reference": f"{TORCH}: {name} and its autograd derivative",
                    "name": name,
                    "z": grid,
                    "expected_value": _np(value).tolist(),
                    "expected_grad": _np(grad).tolist(),
                }
            )
    return cases


def _finite(obj: Any) -> bool:
    if isinstance(obj, float):
        return bool(np.isfinite(obj))
    if isinstance(obj, list):
        return all(_finite(v) for v in obj)
    if isinstance(obj, dict):
        return all(_finite(v) for v in obj.values())
    return True


def main() -> None:
    torch.set_default_dtype(DTYPE)
    cases = normalize_cases() + running_cases() + activation_cases()
    ids = [c["id"] for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate case ids: {duplicates}"
    bad = [c["id"] for c in cases if not _finite(c)]
    assert not bad, f"non-finite values (the reference refuses these inputs): {bad}"
    text = "[\n" + ",\n".join(json.dumps(c, allow_nan=False) for c in cases) + "\n]\n"
    size = len(text.encode("utf-8"))
    assert size < MAX_BYTES, f"reference.json would be {size} bytes, more than {MAX_BYTES}"
    OUT.write_text(text, encoding="utf-8")
    print(f"{TORCH}, {SKLEARN}: wrote {len(cases)} cases, {size} bytes, to {OUT}")


if __name__ == "__main__":
    main()
