"""Importing CSV, text and .npy files: what is read, and what each bad file is told."""

from __future__ import annotations

import pickle
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from normgui.core import importers
from normgui.core.importers import DataFileError, load_array


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def save_npy(tmp_path: Path, name: str, arr: np.ndarray, **kwargs: bool) -> Path:
    path = tmp_path / name
    with path.open("wb") as f:
        np.save(f, arr, **kwargs)
    return path


def error_of(path: Path) -> str:
    with pytest.raises(DataFileError) as info:
        load_array(path)
    return str(info.value)


# --- text files that are read -------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("1,2,3\n4,5,6\n", [[1, 2, 3], [4, 5, 6]]),
        ("x1,x2,x3\n1,2,3\n4,5,6\n", [[1, 2, 3], [4, 5, 6]]),  # a header of names
        ('"a";"b"\n"1,5";"2"\n3;4\n', [[1.5, 2], [3, 4]]),  # Excel in Europe: decimal commas
        ("1\t2\n3\t4\n", [[1, 2], [3, 4]]),
        ("1 2   3\n 4 5 6 \n", [[1, 2, 3], [4, 5, 6]]),
        ("1, 2, 3\r\n4, 5, 6\r\n", [[1, 2, 3], [4, 5, 6]]),  # spaces after commas, CRLF
        ("# made by np.savetxt\n1.5e-3 -2\n\n\n3 4\n", [[0.0015, -2], [3, 4]]),
        ("1,2,\n3,4,\n", [[1, 2], [3, 4]]),  # a trailing delimiter, as spreadsheets write
        ("5\n6\n7\n", [[5], [6], [7]]),  # one feature, three samples
        ("\ufeffa,b\n1,2\n", [[1, 2]]),  # a UTF-8 byte-order mark
        ("−1,2\n", [[-1, 2]]),  # the Unicode minus sign
    ],
)
def test_text_files_are_read(tmp_path: Path, content: str, expected: list[list[float]]) -> None:
    arr = load_array(write(tmp_path, "data.csv", content))
    assert arr.dtype == np.float64
    np.testing.assert_array_equal(arr, np.array(expected, dtype=float))


def test_utf16_text_as_excel_saves_it(tmp_path: Path) -> None:
    path = write(tmp_path, "data.txt", "a\tb\r\n1\t2\r\n".encode("utf-16"))
    np.testing.assert_array_equal(load_array(path), [[1, 2]])


def test_latin1_header_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "data.csv", "température;pression\n1;2\n".encode("latin-1"))
    np.testing.assert_array_equal(load_array(path), [[1, 2]])


def test_paths_as_str_and_unknown_suffix_with_text(tmp_path: Path) -> None:
    path = write(tmp_path, "data.log", "1 2\n3 4\n")
    np.testing.assert_array_equal(load_array(str(path)), [[1, 2], [3, 4]])


# --- text files that are refused, and what the student reads ---------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b\n1,2\nabc,4\n", "data.csv, line 3: 'abc' is not a number"),
        (
            "1,2,3,4\n5,6,7,8\n1,2,3,4\n1,2,3\n",
            "data.csv: rows have different lengths (line 4 has 3 values, line 1 has 4)",
        ),
        ("1,2\n3\n", "data.csv: rows have different lengths (line 2 has 1 value, line 1 has 2)"),
        ("1,,3\n", "data.csv, line 1: value 2 is empty"),
        ("1,nan\n", "data.csv, line 1: 'nan' is not a finite number"),
        ("1,inf\n", "data.csv, line 1: 'inf' is not a finite number"),
        ("1,1e999\n", "data.csv, line 1: '1e999' is not a finite number"),
        ("1,1_000\n", "data.csv, line 1: '1_000' is not a number"),
        ("hello world\n", "data.csv, line 1: 'hello' is not a number"),
        ("# only a comment\n\n", "data.csv: empty file"),
        ("1,2\n3,x" + "y" * 40 + "\n", "data.csv, line 2: 'x" + "y" * 23 + "…' is not a number"),
    ],
)
def test_bad_text_files_say_what_and_where(tmp_path: Path, content: str, message: str) -> None:
    assert error_of(write(tmp_path, "data.csv", content)).startswith(message)


def test_empty_file(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, "data.csv", "")) == "data.csv: empty file"


def test_binary_data_with_a_text_name(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "data.csv", b"\x00\x01\x02\xff\x00"))
    assert message == "data.csv: not a text file (it looks like binary data)"


def test_invisible_characters_are_shown(tmp_path: Path) -> None:
    assert "'1\\x07'" in error_of(write(tmp_path, "data.csv", "1\x07,2\n"))


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.csv") == "nope.csv: no such file"
    (tmp_path / "dir.csv").mkdir()
    assert error_of(tmp_path / "dir.csv") == "dir.csv is a folder, not a data file"


def test_file_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 10)
    path = write(tmp_path, "data.csv", "1,2,3,4,5,6,7,8\n")
    assert error_of(path).startswith("data.csv: file too large")


def test_too_many_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_VALUES", 5)
    assert "file too large" in error_of(write(tmp_path, "data.csv", "1,2,3\n4,5,6\n"))
    assert "file too large" in error_of(save_npy(tmp_path, "x.npy", np.zeros(6)))


# --- .npy files ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arr", "expected_shape"),
    [
        (np.arange(4.0), (1, 4)),  # a vector is one sample
        (np.arange(6).reshape(2, 3), (2, 3)),  # integers
        (np.ones((3, 2), dtype=np.float32), (3, 2)),
        (np.asfortranarray(np.arange(6.0).reshape(2, 3)), (2, 3)),
        (np.array([True, False]), (1, 2)),
        (np.arange(8.0).reshape(1, 2, 1, 4), (2, 4)),  # size-1 axes beyond two go
        (np.array(3.5), (1, 1)),
        (np.arange(3, dtype=np.uint8).reshape(3, 1), (3, 1)),  # a column stays a column
    ],
)
def test_npy_files_are_read(
    tmp_path: Path, arr: np.ndarray, expected_shape: tuple[int, int]
) -> None:
    out = load_array(save_npy(tmp_path, "x.npy", arr))
    assert out.shape == expected_shape
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.ravel(), np.asarray(arr, dtype=float).ravel())


@pytest.mark.parametrize(
    ("arr", "message"),
    [
        (np.array(["a", "b"]), "x.npy: the array holds text; only real numbers can be imported"),
        (np.array([1 + 2j]), "x.npy: the array holds complex numbers"),
        (np.zeros((2, 3, 4)), "x.npy: 3-D array (2 × 3 × 4): only vectors and tables can be shown"),
        (np.zeros((0, 3)), "x.npy: the array is empty"),
        (np.array([1.0, np.nan]), "x.npy: contains NaN or infinite values (the first at row 1, "),
        (np.array([[1.0], [np.inf]]), "x.npy: contains NaN or infinite values (the first at row 2"),
        (np.zeros(2, dtype=[("a", "f8"), ("b", "f8")]), "x.npy: the array holds records"),
        (np.array(["2024-01-01"], dtype="datetime64[D]"), "x.npy: the array holds dates"),
    ],
)
def test_bad_npy_files(tmp_path: Path, arr: np.ndarray, message: str) -> None:
    assert error_of(save_npy(tmp_path, "x.npy", arr)).startswith(message)


class _Trap:
    """Unpickling this would flip `_Trap.sprung`: a pickle in a data file must never run."""

    sprung = False

    def __reduce__(self) -> tuple[object, tuple[()]]:
        return (_spring, ())


def _spring() -> None:
    _Trap.sprung = True


def test_object_arrays_are_refused_without_unpickling(tmp_path: Path) -> None:
    arr = np.array([_Trap(), 1], dtype=object)
    path = save_npy(tmp_path, "x.npy", arr, allow_pickle=True)
    assert pickle.dumps(_Trap())  # the file really holds a pickle
    assert error_of(path).startswith("x.npy: the array holds Python objects")
    assert not _Trap.sprung


def test_not_an_npy_file(tmp_path: Path) -> None:
    assert error_of(write(tmp_path, "x.npy", "1, 2, 3\n")) == "x.npy: not a NumPy .npy file"
    npz = tmp_path / "x.npz"
    np.savez(npz, a=np.arange(3))
    assert error_of(write(tmp_path, "z.npy", npz.read_bytes())) == "z.npy: not a NumPy .npy file"


def test_damaged_npy_files(tmp_path: Path) -> None:
    whole = save_npy(tmp_path, "x.npy", np.arange(100.0)).read_bytes()
    assert error_of(write(tmp_path, "cut.npy", whole[:-40])) == (
        "cut.npy: the file is cut short or damaged"
    )
    assert "damaged" in error_of(write(tmp_path, "head.npy", whole[:20]))
    broken = whole.replace(b"'descr'", b"'descX'")
    assert "damaged" in error_of(write(tmp_path, "bad.npy", broken))


def test_npy_recognised_by_content_with_another_name(tmp_path: Path) -> None:
    data = save_npy(tmp_path, "x.npy", np.arange(3.0)).read_bytes()
    np.testing.assert_array_equal(load_array(write(tmp_path, "x.bin", data)), [[0, 1, 2]])


def test_long_double_beyond_float64_is_refused(tmp_path: Path) -> None:
    if np.finfo(np.longdouble).max <= np.finfo(np.float64).max:
        pytest.skip("long double is float64 on this platform")
    arr = np.array([1.0, np.finfo(np.float64).max], dtype=np.longdouble) * 10
    assert "NaN or infinite" in error_of(save_npy(tmp_path, "x.npy", arr))


# --- fuzzing: whatever the bytes, only DataFileError escapes ---------------------------------


def _load_bytes(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"data{suffix}"
        path.write_bytes(data)
        try:
            arr = load_array(path)
        except DataFileError as exc:
            assert str(exc).startswith(f"data{suffix}")
            return
    assert arr.ndim == 2 and arr.size > 0 and arr.dtype == np.float64
    assert np.all(np.isfinite(arr))


SUFFIXES = st.sampled_from([".csv", ".txt", ".npy", ".bin"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400), suffix=SUFFIXES)
def test_random_bytes_raise_only_data_file_error(data: bytes, suffix: str) -> None:
    _load_bytes(data, suffix)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="0123456789.,;-+eE \t\n\r#\"'abnif_−\x00é", max_size=200),
    suffix=SUFFIXES,
)
def test_random_text_raises_only_data_file_error(text: str, suffix: str) -> None:
    _load_bytes(text.encode("utf-8"), suffix)


@settings(max_examples=300, deadline=None)
@given(
    header=st.text(
        alphabet="{}()[]'\":,<>=|fiuObUcV0123456789 descrfortan_ordershapeTrueFals", max_size=120
    ),
    version=st.sampled_from([b"\x01\x00", b"\x02\x00", b"\x03\x00", b"\x09\x09"]),
    body=st.binary(max_size=64),
)
def test_random_npy_headers_raise_only_data_file_error(
    header: str, version: bytes, body: bytes
) -> None:
    encoded = header.encode("latin-1", errors="replace")
    size = (len(encoded) + 1).to_bytes(2 if version == b"\x01\x00" else 4, "little")
    _load_bytes(b"\x93NUMPY" + version + size + encoded + b"\n" + body, ".npy")


@pytest.mark.parametrize("shape", [f"({10**30},)", f"({10**20}, 3)", "(-5,)"])
def test_forged_shapes(tmp_path: Path, shape: str) -> None:
    header = f"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}".encode()
    data = b"\x93NUMPY\x01\x00" + (len(header) + 1).to_bytes(2, "little") + header + b"\n"
    message = error_of(write(tmp_path, "x.npy", data + b"\0" * 64))
    assert "too large" in message or "damaged" in message
