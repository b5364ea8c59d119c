"""The data-level invariance table: every normalization applied directly to a data table, under
simple transformations a student can picture (shift one sample, scale one feature, …).

See `DATA_TRANSFORMS`, `data_invariance`, `data_invariance_cells` and `data_invariance_table`;
a cell is computed as those of Table 1 (normgui.core.invariance): normalize, transform,
normalize again, compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from normgui.core.invariance import InvarianceCell, compare_outputs, default_rtol
from normgui.core.methods import METHODS, get_method
from normgui.core.normalize import normalize
from normgui.core.types import FloatArray


@dataclass(frozen=True)
class DataTransform:
    """A transformation of a data table (rows = samples, columns = features).

    `apply` works on any 2-D input, one row included; a 1-D input is one sample, as in
    `normalize`. `amount` is the constant it uses; `apply(x, amount=…)` overrides it.
    """

    key: str
    label: str
    description: str
    amount: float
    _apply: Callable[[FloatArray, float], FloatArray] = field(repr=False, compare=False)

    def apply(self, x: ArrayLike, amount: float | None = None) -> FloatArray:
        arr = np.asarray(x)
        dtype = arr.dtype if arr.dtype in (np.float32, np.float64) else np.dtype(np.float64)
        data = np.array(arr, dtype=dtype, ndmin=2, copy=True)
        if data.ndim != 2:
            raise ValueError(f"the data must be 1-D or 2-D, not {arr.ndim}-D")
        value = self.amount if amount is None else float(amount)
        # Scaling numbers near the float limit overflows to inf: normalize then refuses the
        # result, which is reported, rather than a warning escaping to the caller.
        with np.errstate(over="ignore", invalid="ignore"):
            out = self._apply(data, value).astype(dtype, copy=False)
        return out[0] if arr.ndim == 1 else out


def _shift_sample(x: FloatArray, c: float) -> FloatArray:
    x[0] += c
    return x


def _scale_sample(x: FloatArray, c: float) -> FloatArray:
    x[0] *= c
    return x


def _shift_dataset(x: FloatArray, c: float) -> FloatArray:
    # A different shift per feature, alternating in sign (c, -2c, 3c, -4c, …): not one constant
    # per sample, to which the per-sample methods are invariant, and not proportional to a typed
    # row such as 1, 2, 3, 4 (adding 1, 2, 3, 4 to it only re-scales and shifts it).
    j = np.arange(1, x.shape[1] + 1, dtype=x.dtype)
    return x + c * j * np.where(j % 2 == 1, 1.0, -1.0).astype(x.dtype)


def _scale_dataset(x: FloatArray, c: float) -> FloatArray:
    return x * c


def _scale_feature(x: FloatArray, c: float) -> FloatArray:
    x[:, 0] *= c
    return x


DATA_TRANSFORMS: Final[tuple[DataTransform, ...]] = (
    DataTransform(
        "shift_sample",
        "Shift one sample",
        "Add 3 to every value of the first sample (row); the other samples stay.",
        3.0,
        _shift_sample,
    ),
    DataTransform(
        "scale_sample",
        "Scale one sample",
        "Multiply every value of the first sample (row) by 2.5; the other samples stay.",
        2.5,
        _scale_sample,
    ),
    DataTransform(
        "shift_dataset",
        "Shift each feature",
        "Add a different number to each feature (column) of every sample: +1, −2, +3, −4, …",
        1.0,
        _shift_dataset,
    ),
    DataTransform(
        "scale_dataset",
        "Scale all data",
        "Multiply every value of every sample by 2.5.",
        2.5,
        _scale_dataset,
    ),
    DataTransform(
        "scale_feature",
        "Scale one feature",
        "Multiply the first feature (column) by 2.5 in every sample.",
        2.5,
        _scale_feature,
    ),
)

DATA_TRANSFORM_KEYS: Final = tuple(t.key for t in DATA_TRANSFORMS)


def data_transform(key: str) -> DataTransform:
    """The transformation of DATA_TRANSFORMS with this key."""
    for t in DATA_TRANSFORMS:
        if t.key == key:
            return t
    raise ValueError(
        f"unknown transformation {key!r}; choose one of: {', '.join(DATA_TRANSFORM_KEYS)}"
    )


def data_invariance(
    x: ArrayLike,
    method: str,
    *,
    transforms: Iterable[DataTransform] = DATA_TRANSFORMS,
    rtol: float | None = None,
    **normalize_kwargs: Any,
) -> dict[str, InvarianceCell]:
    """Whether `normalize(x, method, **normalize_kwargs)` is unchanged by each transformation.

    The keyword arguments are those of `normalize` (ε, γ, β, groups, training, running, …), used
    as given: with the method's default ε > 0, LayerNorm is only approximately scale-invariant,
    and the cell says so. Anything `normalize` refuses (a batch of one for BatchNorm in training,
    groups that do not divide the features, data that overflows) gives a not-applicable cell
    whose note says why. `rtol=None` picks `default_rtol` for the data's dtype.
    """
    get_method(method)  # an unknown method is refused, not reported as not applicable
    transforms = tuple(transforms)
    try:
        before = normalize(x, method, **normalize_kwargs)
    except ValueError as err:
        return {t.key: InvarianceCell.not_applicable(str(err)) for t in transforms}
    tol = default_rtol(before.dtype) if rtol is None else rtol
    cells: dict[str, InvarianceCell] = {}
    for t in transforms:
        try:
            after = normalize(t.apply(x), method, **normalize_kwargs)
        except ValueError as err:
            cells[t.key] = InvarianceCell.not_applicable(str(err))
            continue
        cells[t.key] = compare_outputs(before, after, tol)
    return cells


def default_data(seed: int = 0, shape: tuple[int, int] = (6, 6)) -> FloatArray:
    """The data of the default data-level table: standard normal, 6 samples × 6 features.

    Six features, so that GroupNorm's 2 groups have 3 features each (see `table_kwargs`).
    """
    return np.random.default_rng(seed).standard_normal(shape)


def table_kwargs(method: str, n_features: int) -> dict[str, Any]:
    """The `normalize` arguments of the data-level table for `method`.

    ε = 0 wherever the method has an ε: with ε > 0, LayerNorm (and RMSNorm, GroupNorm,
    BatchNorm) is only approximately scale-invariant — x/√(var+ε) is not (δx)/√(δ²var+ε) — and a
    tolerance would have to guess how approximate is "invariant". BatchNorm is in training mode
    (batch statistics). GroupNorm uses 2 groups when they get at least 3 features each, else 1
    (LayerNorm): a group of 2 features always normalizes to (±1, ∓1), the sign of their
    difference, so it is "invariant" to whatever keeps that sign and the table would report
    coincidences of the data rather than properties of the method.
    """
    params = get_method(method).params
    kwargs: dict[str, Any] = {}
    if "eps" in params:
        kwargs["eps"] = 0.0
    if "groups" in params:
        kwargs["groups"] = 2 if n_features % 2 == 0 and n_features >= 6 else 1
    if "training" in params:
        kwargs["training"] = True
    return kwargs


def data_invariance_cells(
    methods: Iterable[str] = METHODS, x: ArrayLike | None = None, seed: int = 0
) -> dict[str, dict[str, InvarianceCell]]:
    """The data-level table with its changes and notes: method → transformation → cell.

    `x=None` uses `default_data(seed)`; each method runs with `table_kwargs` (ε = 0).
    """
    data = default_data(seed) if x is None else np.asarray(x)
    n_features = int(data.shape[-1]) if data.ndim >= 1 else 1
    return {m: data_invariance(data, m, **table_kwargs(m, n_features)) for m in methods}


def data_invariance_table(
    methods: Iterable[str] = METHODS, x: ArrayLike | None = None, seed: int = 0
) -> dict[str, dict[str, bool | None]]:
    """The data-level table: method → transformation → invariant (None: not applicable)."""
    return {
        method: {key: cell.invariant for key, cell in row.items()}
        for method, row in data_invariance_cells(methods, x, seed).items()
    }
