"""Read a labelled table — a header of column names, numeric features and one label column —
from a CSV file, as the Training page's data sets are read.

The text is tokenized as File → Import tokenizes it (normgui.core.importers: encodings,
`,` `;` tab or space delimiters, decimal commas after `;` or tabs, `#` comment lines, a
trailing delimiter); what this module adds is the header, the label column and the classes.
Every problem raises DataFileError (a ValueError) whose message names the file, the line and
the column, in plain words.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from normgui.core.importers import DataFileError, checked_file, field_number, quoted, text_lines
from normgui.core.limits import MAX_VALUES


class LabelledTable(NamedTuple):
    """Features (float64, rows = samples), labels 0..k-1 (int64) and the names of both."""

    x: NDArray[np.float64]
    y: NDArray[np.int64]
    feature_names: tuple[str, ...]
    class_names: tuple[str, ...]


def read_labelled_csv(path: Path, label_column: str | int) -> LabelledTable:
    """The table in the CSV file at `path`; see labelled_table."""
    return labelled_table(*_read(path), label_column)


def read_column_names(path: Path) -> list[str]:
    """The names of the columns of the CSV file at `path`, from its header (a column without a
    name is called "column N"), to choose the label column from."""
    raw, name = _read(path)
    lines, decimal_comma = text_lines(raw, name)
    return _column_names(lines[0], decimal_comma, name)


def _read(path: Path) -> tuple[bytes, str]:
    """The bytes of the file at `path` and the name to show for it."""
    name = checked_file(path)
    try:
        return path.read_bytes(), name
    except OSError as exc:
        raise DataFileError(f"{name} cannot be read: {exc.strerror or exc}") from None


def _column_names(header_line: tuple[int, list[str]], decimal_comma: bool, name: str) -> list[str]:
    line_no, header = header_line
    if all(field_number(f, decimal_comma) is not None for f in header):
        raise DataFileError(
            f"{name}, line {line_no}: the first line holds numbers, not column names; "
            "add a header line naming the columns (for example x1,x2,label)"
        )
    return [_unquoted(f) or f"column {j + 1}" for j, f in enumerate(header)]


def labelled_table(raw: bytes, name: str, label_column: str | int) -> LabelledTable:
    """The table in the text `raw` of a file called `name`.

    `label_column` is a column's name in the header or its index (negative counts from the
    end). Labels are whole numbers or names; classes are numbered in sorted order (whole
    numbers numerically) and named by their label. There must be at least 2 classes.
    """
    lines, decimal_comma = text_lines(raw, name)
    columns = _column_names(lines[0], decimal_comma, name)
    label = _label_index(columns, label_column, name)
    if len(lines) < 2:
        raise DataFileError(f"{name}: the file has a header but no rows of data")
    if (len(lines) - 1) * (len(columns) - 1) > MAX_VALUES:
        raise DataFileError(
            f"{name}: too large: {len(lines) - 1:,} rows of {len(columns) - 1} features; "
            f"at most {MAX_VALUES:,} values can be used"
        )
    x = np.empty((len(lines) - 1, len(columns) - 1), dtype=np.float64)
    tokens: list[str] = []
    for row, (line_no, fields) in enumerate(lines[1:]):
        if len(fields) != len(columns):
            raise DataFileError(
                f"{name}, line {line_no}: {_count(len(fields))} but the header has "
                f"{len(columns)} columns; every row needs one value per column"
            )
        where = f"{name}, line {line_no}"
        tokens.append(_label_token(fields[label], f"{where}, column {columns[label]!r}"))
        features = fields[:label] + fields[label + 1 :]
        x[row] = _feature_values(features, decimal_comma, where, columns, label)
    y, classes = _classes(tokens, columns[label], name)
    x.flags.writeable = False
    y.flags.writeable = False
    return LabelledTable(x, y, tuple(columns[:label] + columns[label + 1 :]), classes)


def _feature_values(
    features: list[str], decimal_comma: bool, where: str, columns: list[str], label: int
) -> list[float]:
    """The numbers in one row's feature fields, or DataFileError naming the bad one."""
    # float() reads every field field_number reads, the same, except that it also takes
    # underscores (1_000), which field_number refuses; it is ten times faster, so try it first.
    if not decimal_comma and not any("_" in f for f in features):
        try:
            values = list(map(float, features))
        except ValueError:
            pass
        else:
            if np.isfinite(values).all():
                return values
    values = []
    for j, text in enumerate(features):
        value = field_number(text, decimal_comma)
        if value is None or not np.isfinite(value):
            column = columns[j + (j >= label)]
            raise DataFileError(_bad_value(text, value, f"{where}, column {column!r}"))
        values.append(value)
    return values


def _label_index(columns: list[str], label_column: str | int, name: str) -> int:
    width = len(columns)
    if width < 2:
        raise DataFileError(
            f"{name}: the header names only one column; the data needs at least one feature "
            "column besides the label column"
        )
    if isinstance(label_column, str):
        matches = [j for j, column in enumerate(columns) if column == label_column]
        if not matches:
            shown = ", ".join(repr(c) for c in columns[:12]) + (", …" if width > 12 else "")
            raise DataFileError(
                f"{name}: no column is named {label_column!r}; the header names {shown}"
            )
        if len(matches) > 1:
            raise DataFileError(
                f"{name}: {len(matches)} columns are named {label_column!r}; "
                "give the label column by its index instead"
            )
        return matches[0]
    if isinstance(label_column, bool) or not isinstance(label_column, int | np.integer):
        raise ValueError(
            f"label_column must be a column's name or index, not {type(label_column).__name__}"
        )
    if not -width <= label_column < width:
        raise DataFileError(
            f"{name}: there is no column {label_column}; the file has {width} columns, "
            f"indexed 0 to {width - 1} (or -1 for the last)"
        )
    return int(label_column) % width


def _label_token(field: str, where: str) -> str:
    token = _unquoted(field)
    if not token:
        raise DataFileError(f"{where}: the label is empty; every row needs a label")
    return token


def _classes(
    tokens: list[str], column: str, name: str
) -> tuple[NDArray[np.int64], tuple[str, ...]]:
    """Labels 0..k-1 and the class names, numbered in sorted order."""
    parsed = [field_number(t, decimal_comma=False) for t in tokens]
    numbers = [v for v in parsed if v is not None]
    if len(numbers) == len(tokens):
        # Whole numbers are sorted as numbers (2 before 10) and "1" and "1.0" are one class.
        whole = [v.is_integer() for v in numbers]
        if not all(whole):
            raise DataFileError(
                f"{name}: the label column {column!r} holds {quoted(tokens[whole.index(False)])}, "
                "a number that is not whole; labels are class names or whole numbers — "
                "is it the right column?"
            )
        values, y = np.unique(np.array(numbers, dtype=np.int64), return_inverse=True)
        classes = tuple(str(v) for v in values.tolist())
    else:
        values, y = np.unique(np.array(tokens), return_inverse=True)
        classes = tuple(values.tolist())
    if len(classes) < 2:
        raise DataFileError(
            f"{name}: every row has the label {classes[0]!r} in column {column!r}; "
            "a classification needs at least 2 classes"
        )
    return y.astype(np.int64).reshape(-1), classes


def _bad_value(text: str, value: float | None, where: str) -> str:
    if not text.strip():
        return f"{where}: the value is empty; every feature needs a number"
    if value is None:
        return f"{where}: {quoted(text)} is not a number; every column but the label is a feature"
    return f"{where}: {quoted(text)} is not a finite number; NaN and infinity cannot be learnt from"


def _unquoted(field: str) -> str:
    return field.strip().strip("\"'").strip()


def _count(n: int) -> str:
    return "1 value" if n == 1 else f"{n} values"
