"""Read a data file (CSV, plain text or NumPy .npy) into a 2-D float array, safely.

A file comes from anywhere, so nothing in it is ever executed (no pickle), sizes are checked
before anything large is read, and every problem becomes a DataFileError whose message names the
file and, for text, the line — written for a student, not for a programmer.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import BinaryIO, Final

import numpy as np
from numpy.typing import NDArray

from normgui.core.limits import MAX_VALUES

FloatArray = NDArray[np.float64]

# Text of 200 MB holds tens of millions of numbers, more than MAX_VALUES: refuse before reading.
MAX_FILE_BYTES: Final = 200 * 1024 * 1024
NPY_SUFFIXES: Final = (".npy",)
TEXT_SUFFIXES: Final = (".csv", ".txt", ".tsv", ".dat")
_NPY_MAGIC: Final = b"\x93NUMPY"
# Signed and unsigned integers, floats and booleans convert to float64 without surprises.
_NUMERIC_KINDS: Final = "biuf"
# The delimiters a text file may use, in the order they are preferred when several appear
# (a ';' file often has decimal commas; a tab file may contain both).
_DELIMITERS: Final = ("\t", ";", ",")
_SNIFF_LINES: Final = 50
_KIND_WORDS: Final = {
    "c": "complex numbers",
    "U": "text",
    "S": "bytes of text",
    "M": "dates",
    "m": "time spans",
    "V": "records of several fields",
}


class DataFileError(ValueError):
    """A data file that cannot be shown; the message says why, in plain words."""


def load_array(path: str | os.PathLike[str]) -> FloatArray:
    """The numbers in the file at `path` as a 2-D float64 array (rows = samples).

    `.npy` files are read without pickle; `.csv`, `.txt`, `.tsv` and `.dat` files as text with
    one row per line, values split by a comma, semicolon, tab or spaces (whichever the file
    uses), an optional header line of column names and `#` comment lines. A file with another
    name is recognised by its content. Raises DataFileError for anything that cannot be shown.
    """
    p = Path(path)
    name = checked_file(p)
    try:
        with p.open("rb") as f:
            suffix = p.suffix.lower()
            if suffix in NPY_SUFFIXES or (
                suffix not in TEXT_SUFFIXES and f.read(len(_NPY_MAGIC)) == _NPY_MAGIC
            ):
                f.seek(0)
                arr = _read_npy(f, name)
            else:
                f.seek(0)
                arr = _read_text(f.read(), name)
    except OSError as exc:
        raise DataFileError(f"{name} cannot be read: {exc.strerror or exc}") from None
    return _checked(arr, name)


def checked_file(p: Path) -> str:
    """The name to show for the file at `p`, once it is known to exist, be a file, hold
    something and not be too large to read; DataFileError otherwise."""
    name = p.name or str(p)
    try:
        if p.is_dir():
            raise DataFileError(f"{name} is a folder, not a data file")
        size = p.stat().st_size
    except FileNotFoundError:
        raise DataFileError(f"{name}: no such file") from None
    except OSError as exc:
        raise DataFileError(f"{name} cannot be read: {exc.strerror or exc}") from None
    if size > MAX_FILE_BYTES:
        raise DataFileError(
            f"{name}: file too large ({size / 2**20:,.0f} MB; at most "
            f"{MAX_FILE_BYTES // 2**20} MB can be imported)"
        )
    if size == 0:
        raise DataFileError(f"{name}: empty file")
    return name


# --- NumPy .npy ---------------------------------------------------------------------------


def _read_npy(f: BinaryIO, name: str) -> FloatArray:
    if f.read(len(_NPY_MAGIC)) != _NPY_MAGIC:
        raise DataFileError(f"{name}: not a NumPy .npy file")
    f.seek(0)
    # Read the header first: the kind and size of the array are known before its data is read.
    try:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            shape, _, dtype = np.lib.format.read_array_header_2_0(f)
        else:  # 3.0 exists only for named fields, which are not numbers anyway
            raise DataFileError(f"{name}: this kind of .npy file (version {version}) is not read")
    except DataFileError:
        raise
    except Exception as exc:
        # numpy parses the header with tokenize and ast.literal_eval, whose failures on damaged
        # text take many forms (ValueError, SyntaxError, tokenize.TokenError, RecursionError…);
        # nothing has been read or run yet, so every one of them means "damaged".
        raise DataFileError(f"{name}: not a NumPy .npy file, or a damaged one") from exc
    if dtype.hasobject:
        raise DataFileError(
            f"{name}: the array holds Python objects; only numbers can be imported "
            "(save it with a numeric dtype, e.g. np.save(path, x.astype(float)))"
        )
    if dtype.kind not in _NUMERIC_KINDS or dtype.subdtype is not None:
        what = _KIND_WORDS.get(dtype.kind, f"values of type {dtype}")
        raise DataFileError(f"{name}: the array holds {what}; only real numbers can be imported")
    if any(side < 0 for side in shape):
        raise DataFileError(f"{name}: not a NumPy .npy file, or a damaged one")
    n = math.prod(shape)  # Python integers: a forged header cannot overflow them
    if n > MAX_VALUES:
        raise DataFileError(
            f"{name}: file too large: {n:,} values; at most {MAX_VALUES:,} can be shown"
        )
    _squeezed_shape(tuple(shape), name)  # refuse a 3-D array before reading it
    f.seek(0)
    try:
        arr = np.load(f, allow_pickle=False)
    except (ValueError, OSError, EOFError) as exc:
        raise DataFileError(f"{name}: the file is cut short or damaged") from exc
    if not isinstance(arr, np.ndarray):  # pragma: no cover - np.load of a .npy gives an array
        raise DataFileError(f"{name}: not a NumPy .npy file")
    with np.errstate(over="ignore", invalid="ignore"):  # a long double beyond float64: inf
        out = arr.astype(np.float64)
    return out.reshape(_squeezed_shape(arr.shape, name))


def _squeezed_shape(shape: tuple[int, ...], name: str) -> tuple[int, int]:
    """The 2-D shape an array is shown with: a vector is one row; size-1 axes beyond two go."""
    if len(shape) > 2:
        kept = tuple(s for s in shape if s != 1)
        if len(kept) > 2:
            raise DataFileError(
                f"{name}: {len(shape)}-D array ({' × '.join(map(str, shape))}): only vectors "
                "and tables can be shown"
            )
        shape = kept
    if len(shape) == 0:
        return (1, 1)
    if len(shape) == 1:
        return (1, shape[0])
    return (shape[0], shape[1])


# --- text: CSV, TSV, whitespace ------------------------------------------------------------


def _decode(raw: bytes, name: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16, as Excel saves "Unicode text"
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise DataFileError(f"{name}: not a text file") from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")  # the numbers are ASCII in any 8-bit encoding
    if "\x00" in text:
        raise DataFileError(f"{name}: not a text file (it looks like binary data)")
    return text


def quoted(token: str) -> str:
    """A token quoted for a message: short, and with invisible characters made visible."""
    if len(token) > 24:
        token = token[:24] + "…"
    if not token.isprintable():
        token = token.encode("unicode_escape").decode("ascii")
    return f"'{token}'"


def _sniff_delimiter(lines: list[str]) -> str | None:
    """The delimiter the data lines use, or None for runs of spaces."""
    sample = lines[:_SNIFF_LINES]
    for delim in _DELIMITERS:
        if any(delim in line for line in sample):
            return delim
    return None


def _split(line: str, delim: str | None) -> list[str]:
    if delim is None:
        return line.split()
    fields = [f.strip() for f in line.split(delim)]
    if len(fields) > 1 and fields[-1] == "":  # a trailing delimiter, as spreadsheets write
        fields.pop()
    return fields


def _values(count: int) -> str:
    return "1 value" if count == 1 else f"{count} values"


def field_number(field: str, decimal_comma: bool) -> float | None:
    """The number a field holds, or None if it holds none."""
    token = field.strip().strip("\"'").strip().replace("−", "-")
    if decimal_comma:
        token = token.replace(",", ".")
    if not token or "_" in token:
        return None
    try:
        return float(token)
    except ValueError:
        return None


def text_lines(raw: bytes, name: str) -> tuple[list[tuple[int, list[str]]], bool]:
    """The data lines of a text file, each as (line number from 1, its fields), and whether a
    comma inside a field is a decimal comma. Blank lines and `#` comment lines are left out;
    DataFileError if the file is not text or has no data line."""
    text = _decode(raw, name)
    numbered = [
        (i, line.strip())
        for i, line in enumerate(text.splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise DataFileError(f"{name}: empty file (no numbers in it)")
    delim = _sniff_delimiter([line for _, line in numbered])
    # With ';' or tabs between values, a comma inside a value is a decimal comma (1,5 = 1.5).
    decimal_comma = delim in (";", "\t")
    return [(i, _split(line, delim)) for i, line in numbered], decimal_comma


def _read_text(raw: bytes, name: str) -> FloatArray:
    numbered, decimal_comma = text_lines(raw, name)
    first_no, first_fields = numbered[0]
    first = [f for f in first_fields if f]
    if first and all(field_number(f, decimal_comma) is None for f in first):
        numbered = numbered[1:]  # a header of column names
        if not numbered:
            raise DataFileError(f"{name}, line {first_no}: {quoted(first[0])} is not a number")
    rows: list[FloatArray] = []
    width, width_line = -1, 0
    total = 0
    for line_no, fields in numbered:
        values = np.empty(len(fields), dtype=np.float64)
        for j, field in enumerate(fields):
            value = field_number(field, decimal_comma)
            if value is None:
                if not field:
                    raise DataFileError(f"{name}, line {line_no}: value {j + 1} is empty")
                raise DataFileError(f"{name}, line {line_no}: {quoted(field)} is not a number")
            if not np.isfinite(value):
                raise DataFileError(
                    f"{name}, line {line_no}: {quoted(field)} is not a finite number"
                )
            values[j] = value
        if width < 0:
            width, width_line = len(fields), line_no
        elif len(fields) != width:
            raise DataFileError(
                f"{name}: rows have different lengths (line {line_no} has "
                f"{_values(len(fields))}, line {width_line} has {width})"
            )
        total += width
        if total > MAX_VALUES:
            raise DataFileError(
                f"{name}: file too large: more than {MAX_VALUES:,} values (at line {line_no})"
            )
        rows.append(values)
    return np.vstack(rows)


# --- the checks every array passes ---------------------------------------------------------


def _checked(arr: FloatArray, name: str) -> FloatArray:
    if arr.size == 0:
        raise DataFileError(f"{name}: the array is empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        row, col = (int(i) + 1 for i in np.argwhere(bad)[0])
        raise DataFileError(
            f"{name}: contains NaN or infinite values (the first at row {row}, column {col}); "
            "only finite numbers can be shown"
        )
    return np.ascontiguousarray(arr, dtype=np.float64)
