"""Write the real data sets normgui ships, resources/data/{digits,wine,iris}.csv, once.

The data comes from the copies that ship inside scikit-learn (which took them from the UCI
Machine Learning Repository; see resources/data/README.md for provenance and licences), so
nothing is downloaded, neither here nor when normgui runs. scikit-learn is not a dependency of
normgui: run this script with a throwaway virtual environment, from the repository root:

    python3 -m venv /tmp/skl
    /tmp/skl/bin/pip install scikit-learn
    /tmp/skl/bin/python tools/make_datasets.py

Each file is CSV: a `#` line saying what it is and where it comes from, a header of feature
names and `class`, then one row per sample, in scikit-learn's order. Whole numbers are written
without a decimal point (digits' pixels, wine's proline) and other values in the shortest form
that reads back to the same float64, so the files are small, diffable and exact. The class
column holds the class's name; the names sort in the order of scikit-learn's targets, so that
normgui's loader, which numbers classes in sorted order, gives the same labels 0..k-1.

After writing, the script reads every file back with plain numpy and checks it equals
scikit-learn's arrays exactly; it exits with an error otherwise. The output is deterministic:
rerunning it with the same scikit-learn version leaves the files unchanged.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from sklearn.datasets import load_digits, load_iris, load_wine

OUT = Path(__file__).resolve().parent.parent / "resources" / "data"
LABEL = "class"


def number(value: float) -> str:
    """The shortest text that reads back to `value`; whole numbers without '.0'."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def write(
    name: str,
    title: str,
    data: np.ndarray,
    target: np.ndarray,
    features: Sequence[str],
    classes: Sequence[str],
) -> Path:
    # The loader numbers the classes in sorted order (numerically for whole numbers).
    numeric = all(c.isdigit() for c in classes)
    order = sorted(classes, key=int if numeric else str)
    assert list(order) == list(classes), f"{name}: class names must sort in target order"
    assert all("," not in f for f in (*features, *classes)), "a name with a comma"
    lines = [
        f"# {title}; from scikit-learn {sklearn.__version__}'s copy; see README.md",
        ",".join([*features, LABEL]),
    ]
    for row, label in zip(data, target, strict=True):
        lines.append(",".join([*map(number, row), classes[int(label)]]))
    path = OUT / f"{name}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")
    return path


def check(path: Path, data: np.ndarray, target: np.ndarray, classes: Sequence[str]) -> None:
    """The file read back with plain numpy equals scikit-learn's arrays, bit for bit."""
    n = data.shape[1]
    x = np.loadtxt(path, delimiter=",", skiprows=2, usecols=range(n), dtype=np.float64)
    names = np.loadtxt(path, delimiter=",", skiprows=2, usecols=n, dtype=str, ndmin=1)
    y = np.array([list(classes).index(c) for c in names])
    if not (np.array_equal(x, data) and np.array_equal(y, target)):
        sys.exit(f"{path.name}: the file does not read back as scikit-learn's arrays")
    print(f"{path.name}: {x.shape[0]} × {n}, {len(classes)} classes, {path.stat().st_size:,} B")


# name: (scikit-learn loader, title line, class names in target order)
SETS: dict[str, tuple[Callable[[], Any], str, Sequence[str]]] = {
    "digits": (
        load_digits,
        "UCI Optical Recognition of Handwritten Digits, 8x8 (Alpaydin & Kaynak 1998), CC BY 4.0",
        [str(d) for d in range(10)],
    ),
    "wine": (
        load_wine,
        "UCI Wine (Forina et al., Aeberhard et al. 1992), CC BY 4.0",
        ["cultivar 1", "cultivar 2", "cultivar 3"],
    ),
    "iris": (
        load_iris,
        "Iris (Fisher 1936; UCI Iris, as corrected in scikit-learn and R), CC BY 4.0",
        ["setosa", "versicolor", "virginica"],
    ),
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (loader, title, classes) in SETS.items():
        bunch = loader()
        data = np.asarray(bunch.data, dtype=np.float64)
        target = np.asarray(bunch.target, dtype=np.int64)
        assert len(bunch.target_names) == len(classes)
        path = write(name, title, data, target, list(bunch.feature_names), classes)
        check(path, data, target, classes)


if __name__ == "__main__":
    main()
