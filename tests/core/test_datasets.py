"""The Training page's data: shipped real data, seeded synthetic tasks, a user's CSV."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from normgui.core import labelled_csv
from normgui.core.datasets import DATASETS, TEST_FRACTION, Dataset, load_csv, load_dataset
from normgui.core.importers import DataFileError


def joined(d: Dataset) -> tuple[np.ndarray, np.ndarray]:
    return np.vstack([d.x_train, d.x_test]), np.concatenate([d.y_train, d.y_test])


def layer_norm(x: np.ndarray) -> np.ndarray:
    """Each row standardized (LayerNorm without γ and β, ε = 1e-5)."""
    return (x - x.mean(axis=1, keepdims=True)) / np.sqrt(x.var(axis=1, keepdims=True) + 1e-5)


# --- every data set -------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_data_set_is_well_formed(name: str) -> None:
    d = load_dataset(name)
    assert d.name == name
    assert DATASETS[name] and d.source
    for x, y in ((d.x_train, d.y_train), (d.x_test, d.y_test)):
        assert x.dtype == np.float64 and y.dtype == np.int64
        assert x.ndim == 2 and x.shape == (y.size, d.n_features)
        assert np.isfinite(x).all()
        assert not x.flags.writeable and not y.flags.writeable
        # Every class on both sides.
        np.testing.assert_array_equal(np.unique(y), np.arange(d.n_classes))
    assert len(d.feature_names) == d.n_features and len(d.class_names) == d.n_classes
    assert len(set(d.class_names)) == d.n_classes


@pytest.mark.parametrize("name", list(DATASETS))
def test_same_seed_same_arrays_other_seed_other_split(name: str) -> None:
    a, b, c = load_dataset(name, seed=7), load_dataset(name, seed=7), load_dataset(name, seed=8)
    for field in ("x_train", "y_train", "x_test", "y_test"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.array_equal(a.x_test, c.x_test)


@pytest.mark.parametrize("name", list(DATASETS))
def test_split_is_stratified(name: str) -> None:
    d = load_dataset(name, seed=3)
    _, y = joined(d)
    total = np.bincount(y)
    test = np.bincount(d.y_test, minlength=d.n_classes)
    np.testing.assert_array_equal(test, np.floor(total * TEST_FRACTION + 0.5))
    np.testing.assert_array_equal(np.bincount(d.y_train) + test, total)


def test_real_data_splits_share_no_sample() -> None:
    d = load_dataset("wine", seed=1)
    rows = {tuple(r) for r in d.x_train}
    assert not any(tuple(r) in rows for r in d.x_test)


# --- shipped real data ----------------------------------------------------------------------


def test_digits() -> None:
    d = load_dataset("digits")
    x, y = joined(d)
    assert x.shape == (1797, 64) and d.n_classes == 10
    assert d.class_names == tuple(str(i) for i in range(10))
    np.testing.assert_array_equal(np.unique(x), np.arange(17))  # pixel counts 0..16
    assert np.bincount(y).min() >= 170
    assert "CC BY 4.0" in d.source


def test_wine_has_features_on_wildly_different_scales() -> None:
    d = load_dataset("wine")
    x, y = joined(d)
    assert x.shape == (178, 13) and d.n_classes == 3
    np.testing.assert_array_equal(np.bincount(y), [59, 71, 48])
    proline = x[:, d.feature_names.index("proline")]
    hue = x[:, d.feature_names.index("hue")]
    assert proline.min() > 250 and proline.max() < 2000 and 500 < proline.mean() < 1000
    assert hue.min() > 0.4 and hue.max() < 2 and abs(hue.mean() - 1) < 0.1


def test_iris() -> None:
    d = load_dataset("iris")
    x, y = joined(d)
    assert x.shape == (150, 4)
    assert d.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(np.bincount(y), [50, 50, 50])
    # The first sample of Fisher's table, wherever the split put it.
    assert any(np.array_equal(row, [5.1, 3.5, 1.4, 0.2]) for row in x[y == 0])


@pytest.mark.parametrize("name", ["digits", "wine", "iris"])
def test_shipped_files_are_what_the_loader_reads(name: str) -> None:
    """The loader adds nothing and loses nothing: its rows are the file's, read by plain numpy."""
    d = load_dataset(name)
    text = resources.files("normgui.resources").joinpath("data", f"{name}.csv")
    with resources.as_file(text) as path:
        plain = np.loadtxt(path, delimiter=",", skiprows=2, usecols=range(d.n_features))
    x, _ = joined(d)
    np.testing.assert_array_equal(np.unique(x, axis=0), np.unique(plain, axis=0))


# --- synthetic data -------------------------------------------------------------------------


def test_moons_are_two_interleaved_half_circles() -> None:
    x, y = joined(load_dataset("moons"))
    assert x.shape[1] == 2 and np.bincount(y).tolist() == [500, 500]
    # Upper moon centred on (0, 0), lower moon on (1, 0.5): radius 1 about each, plus noise.
    r_upper = np.hypot(x[y == 0, 0], x[y == 0, 1])
    r_lower = np.hypot(x[y == 1, 0] - 1, x[y == 1, 1] - 0.5)
    assert abs(np.median(r_upper) - 1) < 0.05 and abs(np.median(r_lower) - 1) < 0.05
    # The mean of a half circle of radius 1 lies 2/π from its centre.
    np.testing.assert_allclose(x[y == 0].mean(axis=0), [0, 2 / np.pi], atol=0.05)
    np.testing.assert_allclose(x[y == 1].mean(axis=0), [1, 0.5 - 2 / np.pi], atol=0.05)


def test_spirals_wind_out_from_the_centre() -> None:
    d = load_dataset("spirals")
    x, y = joined(d)
    assert x.shape[1] == 2 and d.n_classes == 3
    assert np.bincount(y).tolist() == [300, 300, 300]
    radius = np.hypot(x[:, 0], x[:, 1])
    assert radius.max() <= 1 + 1e-12
    # Arm k turns through 4 radians as its radius grows from 0 to 1, starting at angle 4k:
    # unwinding the turn leaves each arm at its starting angle, give or take the noise.
    unwound = np.arctan2(x[:, 0], x[:, 1]) - 4 * radius
    for arm in range(3):
        mean = np.angle(np.exp(1j * unwound[y == arm]).mean())
        assert abs(np.angle(np.exp(1j * (mean - 4 * arm)))) < 0.1


def test_offset_is_labelled_by_the_sign_of_its_offset() -> None:
    d = load_dataset("offset")
    assert d.n_features == 16 and d.x_train.shape[0] >= 1000 and d.x_test.shape[0] >= 500
    for x, y in ((d.x_train, d.y_train), (d.x_test, d.y_test)):
        offset = x.mean(axis=1)  # the pattern has mean 0, so the row's mean is its offset
        np.testing.assert_array_equal(y, offset > 0)  # the row mean separates them perfectly
        assert np.abs(offset).min() >= 0.5 and np.abs(offset).max() <= 2.5
        # The pattern around the offset is N(0, 1) values less their mean: variance 15/16.
        assert abs((x - offset[:, None]).var() - 15 / 16) < 0.05


def test_layer_norm_makes_offset_classes_indistinguishable() -> None:
    d = load_dataset("offset")
    train, test = layer_norm(d.x_train), layer_norm(d.x_test)
    # LayerNorm removes the offset exactly: the rows are their patterns, standardized.
    pattern = d.x_train - d.x_train.mean(axis=1, keepdims=True)
    np.testing.assert_allclose(train, layer_norm(pattern), atol=1e-12)
    # What is left has one distribution for both classes: per feature, the class means
    # differ by no more than chance would make them (4 standard errors) ...
    a, b = train[d.y_train == 0], train[d.y_train == 1]
    stderr = np.sqrt(a.var(axis=0) / len(a) + b.var(axis=0) / len(b))
    assert (np.abs(a.mean(axis=0) - b.mean(axis=0)) < 4 * stderr).all()
    # ... so a nearest-class-mean classifier is at chance on the test set,
    centroids = np.stack([a.mean(axis=0), b.mean(axis=0)])
    distance = ((test[:, None, :] - centroids[None]) ** 2).sum(axis=2)
    accuracy = (distance.argmin(axis=1) == d.y_test).mean()
    assert 0.43 < accuracy < 0.57
    # ... while on the raw rows it is perfect.
    raw = np.stack([d.x_train[d.y_train == k].mean(axis=0) for k in (0, 1)])
    raw_distance = ((d.x_test[:, None, :] - raw[None]) ** 2).sum(axis=2)
    assert (raw_distance.argmin(axis=1) == d.y_test).all()


# --- the Dataset record and bad arguments ---------------------------------------------------


def test_dataset_copies_and_freezes_its_arrays() -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    d = Dataset(x, [0, 1], x, [1, 0], ("a", "b"), ("no", "yes"), "made here", "tiny")
    x[0, 0] = 99.0
    assert d.x_train[0, 0] == 1.0 and not d.x_train.flags.writeable
    assert d.y_test.dtype == np.int64 and d.n_features == 2 and d.n_classes == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"y_train": [0, 2]}, "labels 0..1"),
        ({"x_test": np.ones((2, 3))}, "x_test must have one column per feature"),
        ({"y_test": [0]}, "one label per row"),
        ({"class_names": ("only",)}, "at least 2 classes"),
        ({"x_train": [[np.nan, 1.0], [1.0, 2.0]]}, "NaN"),
    ],
)
def test_dataset_refuses_inconsistent_arrays(change: dict[str, object], message: str) -> None:
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    fields: dict[str, object] = {
        "x_train": x,
        "y_train": [0, 1],
        "x_test": x,
        "y_test": [1, 0],
        "feature_names": ("a", "b"),
        "class_names": ("no", "yes"),
        "source": "",
        "name": "tiny",
    }
    with pytest.raises(ValueError, match=message):
        Dataset(**{**fields, **change})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "seed", "message"),
    [
        ("mnist", 0, "unknown data set 'mnist': choose one of digits, wine"),
        ("wine", -1, "seed must be a whole number"),
        ("wine", 1.5, "seed must be a whole number"),
        ("wine", True, "seed must be a whole number"),
    ],
)
def test_load_dataset_refuses_bad_arguments(name: str, seed: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_dataset(name, seed=seed)  # type: ignore[arg-type]


# --- a user's CSV -------------------------------------------------------------------------


def write(tmp_path: Path, content: str | bytes, name: str = "data.csv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


ROWS = "\n".join(f"{i},{i * 10},{'cat' if i % 2 else 'dog'}" for i in range(8))


def test_csv_with_string_labels(tmp_path: Path) -> None:
    d = load_csv(write(tmp_path, "size,weight,animal\n" + ROWS + "\n"), "animal")
    assert d.name == "data" and "data.csv" in d.source
    assert d.feature_names == ("size", "weight") and d.class_names == ("cat", "dog")
    x, y = joined(d)
    assert sorted(x[:, 0]) == list(range(8))
    # Each row keeps its label: odd sizes are cats (class 0).
    np.testing.assert_array_equal(y, (x[:, 0] % 2 == 0).astype(int))
    np.testing.assert_array_equal(x[:, 1], x[:, 0] * 10)
    assert d.x_test.shape[0] == 2  # 25 % of each class of 4


def test_csv_label_by_index_integer_labels_sorted_as_numbers(tmp_path: Path) -> None:
    text = "label;a;b\n10;1,5;2\n2;3;4\n10;5;6\n2.0;7;8\n"  # ';' with decimal commas
    first = load_csv(write(tmp_path, text), 0)
    last = load_csv(write(tmp_path, text.replace("label;", "l;")), -3)
    assert first.class_names == last.class_names == ("2", "10")  # 2 before 10; 2.0 is 2
    x, y = joined(first)
    np.testing.assert_array_equal(x[np.argsort(x[:, 0])], [[1.5, 2], [3, 4], [5, 6], [7, 8]])
    np.testing.assert_array_equal(y[np.argsort(x[:, 0])], [1, 0, 1, 0])
    assert first.feature_names == ("a", "b")


def test_csv_with_comments_quotes_and_a_byte_order_mark(tmp_path: Path) -> None:
    text = '\ufeff# measured in 2024\n"x","y","kind"\n1,2,"a"\n3,4,"b"\n5,6,"a"\n7,8,"b"\n'
    d = load_csv(write(tmp_path, text), "kind")
    assert d.feature_names == ("x", "y") and d.class_names == ("a", "b")


@pytest.mark.parametrize(
    ("content", "label", "message"),
    [
        (b"\x00\x01\x02binary", "y", r"data\.csv: not a text file"),
        ("1,2,3\n4,5,6\n", "y", r"line 1: the first line holds numbers, not column names"),
        ("a,b,y\n1,2\n", "y", r"line 2: 2 values but the header has 3 columns"),
        ("a,b,y\n1,2,p\n1,two,q\n", "y", r"line 3, column 'b': 'two' is not a number"),
        ("a,b,y\n1,,p\n", "y", r"line 2, column 'b': the value is empty"),
        ("a,b,y\nnan,1,p\n", "y", r"line 2, column 'a': 'nan' is not a finite number"),
        ("a,b,y\n1,inf,p\n", "y", r"line 2, column 'b': 'inf' is not a finite number"),
        ("a,b,y\n1,2,p\n", "z", r"no column is named 'z'; the header names 'a', 'b', 'y'"),
        ("a,b,y\n1,2,p\n", 3, r"there is no column 3; the file has 3 columns"),
        ("a,y,y\n1,2,p\n", "y", r"2 columns are named 'y'"),
        ("y\np\nq\n", "y", r"only one column"),
        ("a,y\n1,p\n2,p\n3,p\n", "y", r"every row has the label 'p'.*at least 2 classes"),
        ("a,y\n1,p\n2,q\n3,q\n", "y", r"file data\.csv: class 'p' has only 1 row"),
        ("y,a\np,1\n,2\n", "y", r"line 3, column 'y': the label is empty"),
        ("a,y\n1,0.5\n2,1.5\n", "y", r"'0\.5', a number that is not whole"),
        ("a,b,y\n", "y", r"a header but no rows"),
        ("# only a comment\n", "y", r"empty file"),
    ],
)
def test_csv_errors_say_what_and_where(
    tmp_path: Path, content: str | bytes, label: str | int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load_csv(write(tmp_path, content), label)


def test_csv_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match=r"nothere\.csv: no such file"):
        load_csv(tmp_path / "nothere.csv", "y")
    with pytest.raises(DataFileError, match="is a folder"):
        load_csv(tmp_path, "y")


def test_csv_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(labelled_csv, "MAX_VALUES", 5)
    with pytest.raises(DataFileError, match="too large: 3 rows of 2 features"):
        load_csv(write(tmp_path, "a,b,y\n1,2,p\n3,4,q\n5,6,p\n"), "y")


def test_csv_label_column_of_the_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="label_column must be a column's name or index"):
        load_csv(write(tmp_path, "a,y\n1,p\n"), 1.0)  # type: ignore[arg-type]
