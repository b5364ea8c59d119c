"""Generate tests/data/training_reference.json: small networks trained by PyTorch, in float64.

tests/core/test_training_reference.py checks normgui.core.training against this file: the loss and
every gradient of one forward/backward pass, then three steps of SGD with momentum and three steps
of Adam (losses, final parameters, BatchNorm's running statistics, eval-mode logits). PyTorch is
not a dependency of normgui or of its tests, and this script does not import normgui: it draws its
own weights, so the reference owes nothing to the engine it checks. Run it with a separate
virtual environment, outside the repository, from the repository root:

    python3 -m venv /tmp/torchref
    /tmp/torchref/bin/pip install torch==2.13.0 numpy
    /tmp/torchref/bin/python tests/data/make_training_reference.py

(torch==2.13.0 is the CPU build; plain `pip install torch` would pull the CUDA libraries.)
The output is deterministic: the data and weights are drawn from a seeded numpy generator and
stored with full repr precision. Rerun after adding a configuration; commit the JSON with it.

The file is a JSON list of cases, one per line. A case describes a network as normgui's
NetworkSpec does ("sizes", "activation", "norm" for the hidden layers, "input_norm", "eps",
"momentum"), its "initial" weights and biases in normgui's layout (W of shape (fan_in, fan_out),
y = h @ W + b: nn.Linear.weight transposed; γ = 1 and β = 0, running mean 0 and var 1, as fresh
PyTorch modules have them), the training "batches" (three of {"x", "labels"}), "x_eval", and:

- "expected_loss", "expected_grads": F.cross_entropy (mean) of the first batch in train() mode
  and its gradients, in normgui's layout: "weights", "biases", "gammas", "betas" (one per
  normalized hidden layer), "input_gamma", "input_beta" (the input layer's, or null);
- "sgd" (torch.optim.SGD, lr "lr", momentum "sgd_momentum") and "adam" (torch.optim.Adam, lr
  "lr", its defaults otherwise), one step per batch: "losses" (each step's, before its update),
  "params" (the learnable arrays afterwards, same layout), "running" (each BatchNorm hidden
  layer's {"mean", "var", "count"}), "input_running" (the input BatchNorm's, or null) and
  "eval_logits" (model.eval() on "x_eval").
"""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

OUT = Path(__file__).resolve().parent / "training_reference.json"
MAX_BYTES = 300_000
DTYPE = torch.float64
TORCH = f"torch {torch.__version__}"

EPS = 1e-5  # nn.BatchNorm1d's and nn.LayerNorm's default
BN_MOMENTUM = 0.1  # nn.BatchNorm1d's default
SGD_LR = 0.5
SGD_MOMENTUM = 0.9
ADAM_LR = 0.05
N_STEPS = 3

Case = dict[str, Any]

ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


def _t(a: Any) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=DTYPE)


def _list(t: torch.Tensor | None) -> Any:
    return None if t is None else t.detach().numpy().astype(np.float64).tolist()


def _norm_layer(kind: str, n: int) -> nn.Module:
    """A normalization over `n` features with learnable γ (weight) and β (bias)."""
    if kind == "batchnorm":
        return nn.BatchNorm1d(n, eps=EPS, momentum=BN_MOMENTUM, dtype=DTYPE)
    return nn.LayerNorm(n, eps=EPS, dtype=DTYPE)


class Net(nn.Module):
    """[input norm] → (Linear → [norm] → activation) per hidden layer → Linear (the logits)."""

    def __init__(self, sizes: tuple[int, ...], activation: str, norm: str, input_norm: str):
        super().__init__()
        self.input_norm = None if input_norm == "none" else _norm_layer(input_norm, sizes[0])
        self.linears = nn.ModuleList(nn.Linear(a, b, dtype=DTYPE) for a, b in pairwise(sizes))
        hidden = sizes[1:-1]
        self.norms = nn.ModuleList(_norm_layer(norm, n) for n in hidden if norm != "none")
        self.activation = ACTIVATIONS[activation]()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x if self.input_norm is None else self.input_norm(x)
        for i, linear in enumerate(self.linears[:-1]):
            u = linear(h)
            h = self.activation(self.norms[i](u) if len(self.norms) else u)
        return self.linears[-1](h)

    def set_weights(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        with torch.no_grad():
            for linear, w, b in zip(self.linears, weights, biases, strict=True):
                linear.weight.copy_(_t(w.T))  # normgui's W is (fan_in, fan_out): torch's Wᵀ
                linear.bias.copy_(_t(b))

    def learnable(self, grad: bool = False) -> dict[str, Any]:
        """The learnable arrays (or their .grad) in normgui's layout, as JSON lists."""

        def get(p: torch.Tensor, transpose: bool = False) -> Any:
            value = p.grad if grad else p
            assert value is not None
            return _list(value.T if transpose else value)

        inp = self.input_norm
        return {
            "weights": [get(linear.weight, transpose=True) for linear in self.linears],
            "biases": [get(linear.bias) for linear in self.linears],
            "gammas": [get(m.weight) for m in self.norms],
            "betas": [get(m.bias) for m in self.norms],
            "input_gamma": None if inp is None else get(inp.weight),
            "input_beta": None if inp is None else get(inp.bias),
        }

    def running(self) -> dict[str, Any]:
        def stats(m: nn.Module) -> dict[str, Any]:
            return {
                "mean": _list(m.running_mean),
                "var": _list(m.running_var),
                "count": int(m.num_batches_tracked),
            }

        bn = [m for m in self.norms if isinstance(m, nn.BatchNorm1d)]
        inp = self.input_norm
        return {
            "running": [stats(m) for m in bn],
            "input_running": stats(inp) if isinstance(inp, nn.BatchNorm1d) else None,
        }


def _draw(
    rng: np.random.Generator, sizes: tuple[int, ...], batch: int
) -> tuple[list[np.ndarray], list[np.ndarray], list[dict[str, Any]], np.ndarray]:
    """Weights U[−1/√fan_in, 1/√fan_in] (nn.Linear's own range), biases too; inputs on
    different scales and offsets per feature, so that an input normalization has work to do;
    labels with every class present in each batch."""
    weights, biases = [], []
    for fan_in, fan_out in pairwise(sizes):
        limit = 1 / np.sqrt(fan_in)
        weights.append(rng.uniform(-limit, limit, (fan_in, fan_out)))
        biases.append(rng.uniform(-limit, limit, fan_out))
    scale = rng.uniform(0.5, 3.0, sizes[0])
    offset = rng.uniform(-2.0, 2.0, sizes[0])
    batches = []
    for _ in range(N_STEPS):
        labels = np.arange(batch) % sizes[-1]
        rng.shuffle(labels)
        x = rng.normal(size=(batch, sizes[0])) * scale + offset
        batches.append({"x": x.tolist(), "labels": labels.tolist()})
    x_eval = rng.normal(size=(4, sizes[0])) * scale + offset
    return weights, biases, batches, x_eval


def _train(
    net: Net, optimizer: torch.optim.Optimizer, batches: list[dict[str, Any]], x_eval: np.ndarray
) -> dict[str, Any]:
    losses = []
    net.train()
    for b in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(net(_t(b["x"])), torch.tensor(b["labels"]))
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    net.eval()
    with torch.no_grad():
        logits = net(_t(x_eval))
    return {
        "losses": losses,
        "params": net.learnable(),
        **net.running(),
        "eval_logits": _list(logits),
    }


def case(
    seed: int,
    sizes: tuple[int, ...],
    activation: str = "sigmoid",
    norm: str = "none",
    input_norm: str = "none",
    batch: int = 8,
) -> Case:
    rng = np.random.default_rng(seed)
    weights, biases, batches, x_eval = _draw(rng, sizes, batch)

    def fresh() -> Net:
        net = Net(sizes, activation, norm, input_norm)
        net.set_weights(weights, biases)
        return net

    net = fresh()
    net.train()
    first = batches[0]
    loss = F.cross_entropy(net(_t(first["x"])), torch.tensor(first["labels"]))
    loss.backward()
    sgd_net, adam_net = fresh(), fresh()
    sgd = torch.optim.SGD(sgd_net.parameters(), lr=SGD_LR, momentum=SGD_MOMENTUM)
    adam = torch.optim.Adam(adam_net.parameters(), lr=ADAM_LR)
    size_tag = "-".join(str(s) for s in sizes)
    return {
        "id": f"{norm}-{activation}-input-{input_norm}-{size_tag}-batch{batch}",
        "reference": (
            f"{TORCH}: nn.Linear, nn.BatchNorm1d, nn.LayerNorm, F.cross_entropy, "
            "torch.optim.SGD and torch.optim.Adam"
        ),
        "sizes": list(sizes),
        "activation": activation,
        "norm": norm,
        "input_norm": input_norm,
        "eps": EPS,
        "momentum": BN_MOMENTUM,
        "initial": {
            "weights": [w.tolist() for w in weights],
            "biases": [b.tolist() for b in biases],
        },
        "batches": batches,
        "x_eval": x_eval.tolist(),
        "expected_loss": loss.item(),
        "expected_grads": net.learnable(grad=True),
        "sgd_lr": SGD_LR,
        "sgd_momentum": SGD_MOMENTUM,
        "sgd": _train(sgd_net, sgd, batches, x_eval),
        "adam_lr": ADAM_LR,
        "adam": _train(adam_net, adam, batches, x_eval),
    }


def cases() -> list[Case]:
    small = (5, 4, 3, 3)
    deep = (5, 4, 4, 3)
    return [
        # every hidden normalization with the sigmoid
        case(101, small, norm="none"),
        case(102, small, norm="batchnorm"),
        case(103, small, norm="layernorm", batch=6),
        # the other activations, with BatchNorm
        case(104, small, activation="tanh", norm="batchnorm", batch=7),
        case(105, small, activation="relu", norm="batchnorm"),
        # a normalization layer on the inputs, alone and under a normalized hidden layer
        case(106, small, input_norm="batchnorm"),
        case(107, small, input_norm="layernorm"),
        case(108, small, norm="batchnorm", input_norm="batchnorm", batch=6),
        case(109, small, norm="layernorm", input_norm="layernorm"),
        # two hidden layers
        case(110, deep, norm="none", batch=7),
        case(111, deep, norm="batchnorm"),
        case(112, deep, norm="layernorm", activation="tanh", batch=6),
    ]


def main() -> None:
    torch.set_default_dtype(DTYPE)
    torch.manual_seed(0)  # nothing here is drawn by torch; set for good measure
    all_cases = cases()
    ids = [c["id"] for c in all_cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate case ids: {duplicates}"
    text = "[\n" + ",\n".join(json.dumps(c, allow_nan=False) for c in all_cases) + "\n]\n"
    size = len(text.encode("utf-8"))
    assert size < MAX_BYTES, f"training_reference.json would be {size} bytes, more than {MAX_BYTES}"
    OUT.write_text(text, encoding="utf-8")
    print(f"{TORCH}: wrote {len(all_cases)} cases, {size} bytes, to {OUT}")


if __name__ == "__main__":
    main()
