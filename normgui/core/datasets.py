"""The data the Training page learns from: real data shipped with normgui, seeded synthetic
tasks, and a user's CSV file. Pure numpy; nothing is ever downloaded.

    load_dataset("wine", seed=0)           a Dataset: train and test arrays, names, source
    DATASETS                               the names, in display order, with one line each
    load_csv("my.csv", "species", seed=0)  a CSV file with a header and a label column

Every data set is split the same way: a stratified split with TEST_FRACTION (25 %) of each class
(rounded half up, and at least one sample of each class on each side) in the test set. Which
samples go where, and the order of the samples on each side, are drawn from the seed; the same
seed always gives identical arrays, another seed another split. The synthetic data sets are
drawn from the seed as well (from a stream independent of the split's).

The real data sets are the CSV files in resources/data (see the README there for provenance
and licences), read as a user's CSV file is read.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from normgui.core.labelled_csv import LabelledTable, labelled_table, read_labelled_csv

__all__ = [
    "DATASETS",
    "TEST_FRACTION",
    "Dataset",
    "load_csv",
    "load_dataset",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

TEST_FRACTION: Final = 0.25

# name: the line a UI shows beside it; in the order a UI lists them.
DATASETS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "digits": "Handwritten digits: 1797 images of 8×8 pixels (0..16), 10 classes",
        "wine": "Wines: 178 samples, 13 chemical measurements on very different scales, 3 classes",
        "iris": "Iris flowers: 150 samples, 4 measurements in cm, 3 species",
        "moons": "Two interleaved half circles with noise, 2 features, 2 classes (synthetic)",
        "spirals": "Three interleaved spirals, 2 features, 3 classes (synthetic)",
        "offset": "16 random values plus one offset per row, labelled by the offset's sign "
        "(synthetic): what LayerNorm removes",
    }
)

# The shipped files' label column, and where each one comes from (README.md in resources/data).
_LABEL: Final = "class"
_SHIPPED: Final[Mapping[str, str]] = {
    "digits": "E. Alpaydin, C. Kaynak (1998), Optical Recognition of Handwritten Digits, "
    "UCI Machine Learning Repository, doi:10.24432/C50P49; CC BY 4.0",
    "wine": "S. Aeberhard, M. Forina (1991), Wine, UCI Machine Learning Repository, "
    "doi:10.24432/C5PC7J; CC BY 4.0",
    "iris": "R. A. Fisher (1936), Iris, UCI Machine Learning Repository, doi:10.24432/C56C76; "
    "CC BY 4.0",
}


@dataclass(frozen=True)
class Dataset:
    """A classification task, split into a training and a test set.

    Features are float64 (rows = samples), labels int64 in 0..n_classes-1, both read-only
    copies of what was passed. `source` is one line: where the data comes from and its licence.
    """

    x_train: FloatArray
    y_train: IntArray
    x_test: FloatArray
    y_test: IntArray
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]
    source: str
    name: str

    def __post_init__(self) -> None:
        k = len(self.class_names)
        if k < 2:
            raise ValueError(f"class_names: a classification needs at least 2 classes, not {k}")
        n_features = len(self.feature_names)
        for side in ("train", "test"):
            x = _frozen(getattr(self, f"x_{side}"), np.float64)
            y = _frozen(getattr(self, f"y_{side}"), np.int64)
            if x.ndim != 2 or x.shape[1] != n_features:
                raise ValueError(
                    f"x_{side} must have one column per feature name ({n_features}), "
                    f"not shape {x.shape}"
                )
            if y.shape != (x.shape[0],):
                raise ValueError(f"y_{side} must hold one label per row of x_{side}")
            if x.shape[0] == 0:
                raise ValueError(f"x_{side} has no rows")
            if not np.isfinite(x).all():
                raise ValueError(f"x_{side} contains NaN or infinite values")
            if y.min() < 0 or y.max() >= k:
                raise ValueError(f"y_{side} must hold labels 0..{k - 1}, one per class name")
            object.__setattr__(self, f"x_{side}", x)
            object.__setattr__(self, f"y_{side}", y)
        object.__setattr__(self, "feature_names", tuple(map(str, self.feature_names)))
        object.__setattr__(self, "class_names", tuple(map(str, self.class_names)))

    @property
    def n_features(self) -> int:
        return len(self.feature_names)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def _frozen(values: Any, dtype: type[np.generic]) -> NDArray[Any]:
    arr = np.array(values, dtype=dtype)  # a copy: freezing it leaves the caller's array alone
    arr.flags.writeable = False
    return arr


def load_dataset(name: str, *, seed: int = 0) -> Dataset:
    """The data set `name` (one of DATASETS), split into training and test sets by `seed`."""
    if name not in DATASETS:
        raise ValueError(f"unknown data set {name!r}: choose one of {', '.join(DATASETS)}")
    data_seed, split_seed = np.random.SeedSequence(_checked_seed(seed)).spawn(2)
    if name in _SHIPPED:
        table, source = _shipped(name), _SHIPPED[name]
    else:
        table = _SYNTHETIC[name](np.random.default_rng(data_seed))
        source = f"synthetic, drawn by normgui from seed {seed}; no licence needed"
    return _split(table, split_seed, name=name, source=source)


def load_csv(path: str | os.PathLike[str], label_column: str | int, *, seed: int = 0) -> Dataset:
    """A user's CSV file as a Dataset, split by `seed` as every data set is.

    The file needs a header line of column names; `label_column` is the name of the column
    holding the labels, or its index (0 = the first column, -1 = the last). Labels may be whole
    numbers or names; classes are numbered in sorted order (numerically for numbers) and keep
    their names. Every other column is a feature and must hold finite numbers. Delimiters,
    decimal commas, comments and encodings are read as File → Import reads them. Problems raise
    a ValueError (DataFileError) naming the file, the line and the column.
    """
    seed = _checked_seed(seed)
    p = Path(path)
    table = read_labelled_csv(p, label_column)
    return _split(
        table, np.random.SeedSequence(seed).spawn(2)[1], name=p.stem, source=f"file {p.name}"
    )


def _split_indices(
    labels: IntArray, seed: np.random.SeedSequence, test_fraction: float = TEST_FRACTION
) -> tuple[IntArray, IntArray]:
    """Row indices (train, test): `test_fraction` of each class, rounded half up, in the test
    set, at least one row of each class on each side (every class has 2 rows or more); both
    in an order drawn from `seed`, so that the classes are mixed, not one after the other."""
    rng = np.random.default_rng(seed)
    train: list[IntArray] = []
    test: list[IntArray] = []
    for label in np.unique(labels):
        rows = rng.permutation(np.flatnonzero(labels == label))
        n_test = min(max(math.floor(rows.size * test_fraction + 0.5), 1), rows.size - 1)
        test.append(rows[:n_test])
        train.append(rows[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def _split(
    table: LabelledTable, seed: np.random.SeedSequence, *, name: str, source: str
) -> Dataset:
    counts = np.bincount(table.y, minlength=len(table.class_names))
    if counts.min() < 2:
        lonely = table.class_names[int(np.argmin(counts))]
        raise ValueError(
            f"{source}: class {lonely!r} has only {counts.min()} row: every class needs at least "
            "2 rows, one for the training set and one for the test set"
        )
    train, test = _split_indices(table.y, seed)
    return Dataset(
        x_train=table.x[train],
        y_train=table.y[train],
        x_test=table.x[test],
        y_test=table.y[test],
        feature_names=table.feature_names,
        class_names=table.class_names,
        source=source,
        name=name,
    )


def _checked_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, not {seed!r}")
    return int(seed)


@functools.cache
def _shipped(name: str) -> LabelledTable:
    """A shipped data set, read once per process (its arrays are read-only, so shared)."""
    resource = resources.files("normgui.resources").joinpath("data", f"{name}.csv")
    return labelled_table(resource.read_bytes(), resource.name, _LABEL)


# --- synthetic tasks --------------------------------------------------------------------------


def _moons(rng: np.random.Generator, n: int = 1000, noise: float = 0.2) -> LabelledTable:
    """Two interleaved half circles with Gaussian noise, as scikit-learn's make_moons."""
    n_outer = n // 2
    outer = np.linspace(0.0, math.pi, n_outer)
    inner = np.linspace(0.0, math.pi, n - n_outer)
    x = np.concatenate(
        [
            np.column_stack([np.cos(outer), np.sin(outer)]),
            np.column_stack([1.0 - np.cos(inner), 0.5 - np.sin(inner)]),
        ]
    )
    x += rng.normal(scale=noise, size=x.shape)
    y = np.repeat(np.arange(2, dtype=np.int64), [n_outer, n - n_outer])
    return LabelledTable(x, y, ("x1", "x2"), ("upper moon", "lower moon"))


def _spirals(
    rng: np.random.Generator, per_class: int = 300, arms: int = 3, noise: float = 0.2
) -> LabelledTable:
    """`arms` spirals winding out from the centre, each a class; the angle carries the noise
    (as in the CS231n course's spiral data)."""
    radius = np.tile(np.linspace(0.0, 1.0, per_class), arms)
    arm = np.repeat(np.arange(arms, dtype=np.int64), per_class)
    # Each arm turns through 4 radians, starting where the previous one ended.
    angle = (arm + np.tile(np.linspace(0.0, 1.0, per_class), arms)) * 4.0
    angle += rng.normal(scale=noise, size=angle.shape)
    x = np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])
    return LabelledTable(x, arm, ("x1", "x2"), tuple(f"arm {i + 1}" for i in range(arms)))


def _offset(rng: np.random.Generator, n: int = 2000, features: int = 16) -> LabelledTable:
    """Each row: a pattern of N(0, 1) values with its own mean taken away, plus an offset c with
    |c| uniform in [0.5, 2.5] and a random sign; labelled by the sign of c.

    The pattern's mean is taken away so that the row's mean is exactly c: the offset is all
    there is to learn, and a LayerNorm of the row (which subtracts the row's mean) removes it
    exactly, leaving a pattern that is the same for both classes. Half the rows are positive.
    """
    sign = rng.permutation(np.repeat([-1.0, 1.0], [n // 2, n - n // 2]))
    offset = sign * rng.uniform(0.5, 2.5, size=n)
    pattern = rng.standard_normal((n, features))
    pattern -= pattern.mean(axis=1, keepdims=True)
    x = pattern + offset[:, np.newaxis]
    y = (offset > 0).astype(np.int64)
    names = tuple(f"x{i + 1}" for i in range(features))
    return LabelledTable(x, y, names, ("negative offset", "positive offset"))


_SYNTHETIC: Final[Mapping[str, Callable[[np.random.Generator], LabelledTable]]] = {
    "moons": _moons,
    "spirals": _spirals,
    "offset": _offset,
}
