"""Seeded generators of example data, so every picture can be made again."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

GENERATORS: Final = ("normal", "uniform", "pixels", "constant", "outliers")

GENERATOR_LABELS: Final[dict[str, str]] = {
    "normal": "Normal (μ, σ)",
    "uniform": "Uniform (a, b)",
    "pixels": "Pixel values 0..255",
    "constant": "Constant",
    "outliers": "Normal with outliers",
}

MAX_VALUES: Final = 10_000_000


@dataclass(frozen=True)
class GeneratorSpec:
    """What to generate: the kind, its size, its two parameters and the seed."""

    kind: str = "normal"
    rows: int = 4
    cols: int = 4
    a: float = 0.0  # μ, the low end, or the constant
    b: float = 1.0  # σ or the high end
    seed: int = 0


def generate(spec: GeneratorSpec) -> NDArray[np.float64]:
    """A rows × cols array of the kind asked for; the same spec always gives the same data."""
    if spec.kind not in GENERATORS:
        raise ValueError(f"unknown generator {spec.kind!r}; choose one of: {', '.join(GENERATORS)}")
    if spec.rows < 1 or spec.cols < 1:
        raise ValueError("the data needs at least one row and one column")
    if spec.rows * spec.cols > MAX_VALUES:
        raise ValueError(f"at most {MAX_VALUES:,} values can be generated")
    if not (np.isfinite(spec.a) and np.isfinite(spec.b)):
        raise ValueError("the generator's parameters must be finite numbers")
    rng = np.random.default_rng(spec.seed)
    shape = (spec.rows, spec.cols)
    if spec.kind == "normal":
        if spec.b < 0:
            raise ValueError("the standard deviation σ cannot be negative")
        return rng.normal(spec.a, spec.b, shape)
    if spec.kind == "uniform":
        if spec.b < spec.a:
            raise ValueError("a uniform range needs a ≤ b")
        return rng.uniform(spec.a, spec.b, shape)
    if spec.kind == "pixels":
        return rng.integers(0, 256, shape).astype(np.float64)
    if spec.kind == "constant":
        return np.full(shape, float(spec.a))
    # outliers: a normal bulk with about 5 % of the values ten standard deviations out
    if spec.b < 0:
        raise ValueError("the standard deviation σ cannot be negative")
    data = rng.normal(spec.a, spec.b, shape)
    mask = rng.random(shape) < 0.05
    if not mask.any():
        mask.flat[rng.integers(0, data.size)] = True
    signs = rng.choice(np.array([-1.0, 1.0]), size=shape)
    data[mask] = spec.a + signs[mask] * 10.0 * max(spec.b, 1.0)
    return data
