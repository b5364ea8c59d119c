"""Invariance of normalizations, found by experiment rather than asserted.

Two tables, both computed: every cell applies a transformation, normalizes again, and compares.

* **Table 1 of Ba, Kiros & Hinton, "Layer Normalization" (2016)**, section 5.1: a linear layer with
  random inputs x (cases × features) and weights W (hidden units × features) computes summed
  inputs a = x Wᵀ; batch norm, weight norm and layer norm each normalize them, and the layer
  outputs g ⊙ â + b (gain and bias after the normalization, as in the paper) before or after a
  transformation of W or of the data are compared. See `invariance_cells`, `invariance_changes`
  and `invariance_table`.
* **The data-level table**: every method of `normalize` applied directly to a data table, under
  simple transformations a student can picture (shift one sample, scale one feature, …), in
  normgui.core.data_invariance.

A cell is *invariant* when the largest absolute change of the output is within a relative
tolerance (1e-9 for float64 data) of the output's scale: exact invariance up to rounding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.normalize import normalize

FloatArray = NDArray[np.floating]

# Relative tolerance on float64 outputs: rounding leaves ~1e-15, a real change is ≫ 1e-9.
RTOL: Final = 1e-9


def default_rtol(dtype: np.dtype | type = np.float64) -> float:
    """The tolerance used for data of `dtype`: 1e-9, or more where float32 rounding needs it."""
    return max(RTOL, 1e3 * float(np.finfo(dtype).eps))


@dataclass(frozen=True)
class InvarianceCell:
    """One cell of an invariance table.

    `invariant` is True or False, or None when the experiment cannot be done (then `note` says
    why, e.g. BatchNorm in training mode on a batch of one); `change` is the largest absolute
    difference between the outputs before and after the transformation, `relative_change` the
    same divided by the largest absolute output (NaN when not applicable).
    """

    invariant: bool | None
    change: float
    relative_change: float
    note: str = ""

    @property
    def applicable(self) -> bool:
        return self.invariant is not None

    @classmethod
    def not_applicable(cls, note: str) -> InvarianceCell:
        return cls(None, float("nan"), float("nan"), note)


def compare_outputs(before: ArrayLike, after: ArrayLike, rtol: float = RTOL) -> InvarianceCell:
    """The cell that says whether `after` equals `before` up to `rtol` of the output's scale."""
    b = np.asarray(before, dtype=np.float64)
    a = np.asarray(after, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"outputs of different shapes cannot be compared: {b.shape}, {a.shape}")
    if a.size == 0:
        return InvarianceCell(True, 0.0, 0.0)
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(b))):
        # γ·x̂ + β can overflow to ±inf; only identical outputs then count as unchanged.
        same = bool(np.array_equal(a, b, equal_nan=True))
        change = 0.0 if same else float("inf")
        return InvarianceCell(same, change, change, "the outputs are not all finite numbers")
    with np.errstate(over="ignore", invalid="ignore"):
        diff = np.abs(a - b)
    change = float(np.max(diff)) if np.all(np.isfinite(diff)) else float("inf")
    scale = max(float(np.max(np.abs(b))), float(np.max(np.abs(a))))
    if change == 0.0:
        relative = 0.0
    elif np.isfinite(change) and 0.0 < scale < float("inf"):
        relative = change / scale
    else:
        relative = float("inf")
    return InvarianceCell(change <= rtol * scale, change, relative)


# --------------------------------------------------------------------------------------------
# Table 1 of the LayerNorm paper
# --------------------------------------------------------------------------------------------

# The paper's three normalizations, rows of Table 1, with their labels.
PAPER_METHODS: Final[dict[str, str]] = {
    "batchnorm": "Batch norm",
    "weightnorm": "Weight norm",
    "layernorm": "Layer norm",
}

# Sizes of the random linear layer the experiments use.
N_CASES: Final = 8
N_FEATURES: Final = 5
N_UNITS: Final = 6


@dataclass(frozen=True, eq=False)
class LinearLayer:
    """Inputs `x` (cases × features) and weights `w` (hidden units × features): a = x Wᵀ."""

    x: FloatArray
    w: FloatArray

    @property
    def summed_inputs(self) -> FloatArray:
        # No bias inside a: the paper adds its bias b after the normalization (h = f(g/σ(a−μ)+b)).
        # A bias before it would break layer norm's single-case invariance: δ(Wx) + b is not a
        # multiple of Wx + b (see the tests).
        return self.x @ self.w.T


@dataclass(frozen=True, eq=False)
class Perturbation:
    """The random numbers of one experiment: factor δ > 0, shift vector c, which unit, which case.

    (The paper writes the shift as γ; here it is c, so that it is not taken for the gain γ.)

    δ is positive: with δ < 0 every normalization that divides by a standard deviation or a
    norm flips sign, and the paper's invariances are for positive re-scalings.
    """

    delta: float
    shift: FloatArray
    unit: int
    case: int


@dataclass(frozen=True)
class ModelTransform:
    """A column of Table 1: a transformation of the weights or the data of a linear layer."""

    key: str
    label: str
    description: str
    _apply: Callable[[LinearLayer, Perturbation], LinearLayer] = field(repr=False, compare=False)

    def apply(self, layer: LinearLayer, p: Perturbation) -> LinearLayer:
        return self._apply(layer, p)


def _weight_matrix_rescaling(layer: LinearLayer, p: Perturbation) -> LinearLayer:
    return LinearLayer(layer.x, p.delta * layer.w)


def _weight_matrix_recentering(layer: LinearLayer, p: Perturbation) -> LinearLayer:
    # W' = W + 1cᵀ: every unit's incoming weights move by the same vector c, so each summed input
    # of a case moves by the same amount γ·x_n (different from case to case).
    return LinearLayer(layer.x, layer.w + p.shift[np.newaxis, :])


def _weight_vector_rescaling(layer: LinearLayer, p: Perturbation) -> LinearLayer:
    w = layer.w.copy()
    w[p.unit] *= p.delta
    return LinearLayer(layer.x, w)


def _dataset_rescaling(layer: LinearLayer, p: Perturbation) -> LinearLayer:
    return LinearLayer(p.delta * layer.x, layer.w)


def _dataset_recentering(layer: LinearLayer, p: Perturbation) -> LinearLayer:
    # x' = x + c for every case: unit i's summed input moves by w_i·c, the same for every case
    # but different from unit to unit.
    return LinearLayer(layer.x + p.shift[np.newaxis, :], layer.w)


def _single_case_rescaling(layer: LinearLayer, p: Perturbation) -> LinearLayer:
    x = layer.x.copy()
    x[p.case] *= p.delta
    return LinearLayer(x, layer.w)


PAPER_TRANSFORMS: Final[tuple[ModelTransform, ...]] = (
    ModelTransform(
        "weight_matrix_rescaling",
        "Weight matrix re-scaling",
        "Multiply every weight by the same factor δ > 0.",
        _weight_matrix_rescaling,
    ),
    ModelTransform(
        "weight_matrix_recentering",
        "Weight matrix re-centering",
        "Add the same vector c to every hidden unit's incoming weights.",
        _weight_matrix_recentering,
    ),
    ModelTransform(
        "weight_vector_rescaling",
        "Weight vector re-scaling",
        "Multiply the incoming weights of a single hidden unit by δ > 0.",
        _weight_vector_rescaling,
    ),
    ModelTransform(
        "dataset_rescaling",
        "Dataset re-scaling",
        "Multiply every input of every training case by δ > 0.",
        _dataset_rescaling,
    ),
    ModelTransform(
        "dataset_recentering",
        "Dataset re-centering",
        "Add the same vector c to every training case.",
        _dataset_recentering,
    ),
    ModelTransform(
        "single_case_rescaling",
        "Single training case re-scaling",
        "Multiply one training case by δ > 0, leaving the others alone.",
        _single_case_rescaling,
    ),
)


def paper_normalized(method: str, layer: LinearLayer) -> FloatArray:
    """The normalized summed inputs â (cases × units) of `layer` under one of PAPER_METHODS.

    ε = 0, so that the invariances are exact up to rounding (with ε > 0 they are approximate).
    Batch norm: each unit over the batch (training mode). Layer norm: each case over the units.
    Weight norm: a_i / ‖w_i‖ (the paper's μ = 0, σ = ‖w_i‖₂).
    """
    a = layer.summed_inputs
    if method == "batchnorm":
        return normalize(a, "batchnorm", eps=0.0, training=True)
    if method == "layernorm":
        return normalize(a, "layernorm", eps=0.0)
    if method == "weightnorm":
        return a / np.linalg.norm(layer.w, axis=1)[np.newaxis, :]
    raise ValueError(f"unknown method {method!r}; choose one of: {', '.join(PAPER_METHODS)}")


def random_layer(rng: np.random.Generator) -> LinearLayer:
    """A random linear layer: standard normal inputs and weights."""
    return LinearLayer(
        rng.standard_normal((N_CASES, N_FEATURES)), rng.standard_normal((N_UNITS, N_FEATURES))
    )


def invariance_cells(seed: int = 0, rtol: float = RTOL) -> dict[str, dict[str, InvarianceCell]]:
    """Table 1 of the LayerNorm paper, computed: one cell per method and transformation.

    The model output compared is the layer's g ⊙ â + b with a random gain g (> 0) and bias b per
    unit, held fixed: the paper's h = f(g/σ (a − μ) + b) before the monotonic f.
    """
    rng = np.random.default_rng(seed)
    layer = random_layer(rng)
    gain = rng.uniform(0.5, 1.5, N_UNITS)
    bias = rng.standard_normal(N_UNITS)
    p = Perturbation(
        delta=float(rng.uniform(1.5, 3.0)),
        shift=rng.standard_normal(N_FEATURES),
        unit=int(rng.integers(N_UNITS)),
        case=int(rng.integers(N_CASES)),
    )
    table: dict[str, dict[str, InvarianceCell]] = {}
    for method in PAPER_METHODS:
        before = gain * paper_normalized(method, layer) + bias
        table[method] = {
            t.key: compare_outputs(
                before, gain * paper_normalized(method, t.apply(layer, p)) + bias, rtol
            )
            for t in PAPER_TRANSFORMS
        }
    return table


def invariance_changes(seed: int = 0) -> dict[str, dict[str, float]]:
    """The largest absolute change of the layer's output in each cell of Table 1."""
    return {
        method: {key: cell.change for key, cell in row.items()}
        for method, row in invariance_cells(seed).items()
    }


def invariance_table(seed: int = 0) -> dict[str, dict[str, bool]]:
    """Table 1 of the LayerNorm paper: True where the output did not change (invariant)."""
    return {
        method: {key: bool(cell.invariant) for key, cell in row.items()}
        for method, row in invariance_cells(seed).items()
    }
