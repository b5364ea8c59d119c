"""Values, for normgui.core.parsing: the rows' tokens as float64, at C speed when the text is
clean, else token by token with a ParseError naming the first bad one and where it is."""

from __future__ import annotations

import math
import re
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import NDArray

from normgui.core.parsing_text import ParseError, SourceText, count_values, shorten

_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_FIELD: Final = re.compile(r",|[^\s,]+")
_DOUBLE_COMMA: Final = re.compile(r",\s*,")
_NAN: Final = re.compile(r"[+-]?nan", re.IGNORECASE)
_INF: Final = re.compile(r"[+-]?(?:inf|infinity|∞)", re.IGNORECASE)


def convert_slow(
    t: SourceText, rows: list[tuple[int, int]], resume: Resume | None = None
) -> NDArray[np.float64]:
    """Read the rows token by token, raising the first problem with its position.

    ``resume`` skips the rows before the one where the fast path found a problem.
    """
    values: list[float] = []
    first, row_count, width = (0, 0, 0) if resume is None else resume
    for start, end in rows[first:]:
        row = _row_values(t, start, end, row_count + 1)
        if not row:
            continue
        row_count += 1
        if row_count == 1:
            width = len(row)
        elif len(row) != width:
            position = _FIELD.search(t.text, start, end)
            raise ParseError(
                f"row {row_count} has {count_values(len(row))} but row 1 has {width}",
                None if position is None else position.start(),
                None,
            )
        values.extend(row)
    if row_count == 0:
        if t.text.strip():
            raise ParseError("nothing to parse: the input has no numbers")
        raise ParseError("nothing to parse: the input is empty")
    if first > 0:  # Not reached: the fast path fails only where this finds a problem.
        return convert_slow(t, rows)
    return np.array(values, dtype=np.float64).reshape(row_count, width)


def _row_values(t: SourceText, start: int, end: int, row: int) -> list[float]:
    values: list[float] = []
    previous = ""  # "", "value" or ","
    comma = -1
    for match in _FIELD.finditer(t.text, start, end):
        token, position = match.group(), match.start()
        if token == ",":
            if previous == "":
                raise t.error(
                    f"row {row} starts with a comma ({t.where(position)}): "
                    "a number is missing before it",
                    position,
                    1,
                )
            if previous == ",":
                raise t.error(
                    f"empty field between two commas in row {row} ({t.where(position)})",
                    position,
                    1,
                )
            previous, comma = ",", position
        else:
            values.append(_value(t, token, position, row, len(values) + 1))
            previous = "value"
    if previous == ",":
        raise t.error(
            f"row {row} ends with a comma ({t.where(comma)}): a number is missing after it",
            comma,
            1,
        )
    return values


def _value(t: SourceText, token: str, position: int, row: int, column: int) -> float:
    length = len(token)
    shown = t.quoted(position, length)
    place = f"(row {row}, column {column})"
    if _NUMBER.fullmatch(token):
        value = float(token)
        if not math.isfinite(value):
            raise t.error(
                f"{shown} is too large for a number {place}: the limit is ±1.8e308",
                position,
                length,
            )
        return value
    if _NAN.fullmatch(token) or _INF.fullmatch(token):
        message = f"{shown} is not allowed: only finite numbers {place}"
    elif "_" in token and _NUMBER.fullmatch(token.replace("_", "")):
        message = (
            f"{shown} is not a number {place}: "
            f"write it without underscores, as {shorten(token.replace('_', ''))}"
        )
    elif "..." in token or "…" in token:
        message = (
            f"{shown} is not a number {place}: numpy shortened the array when printing it; "
            "print it in full with np.set_printoptions(threshold=sys.maxsize)"
        )
    elif any(char.isdigit() and not char.isascii() for char in token):
        message = f"{shown} is not a number {place}: write digits as 0-9"
    elif any(char in "(){}" for char in token):
        message = (
            f"{shown} is not a number {place}: "
            "only plain numbers and square brackets [ ] are understood"
        )
    else:
        message = f"{shown} is not a number {place}"
    raise t.error(message, position, length)


class Resume(NamedTuple):
    """Where the fast path found a problem: the index of the row in the list of rows, how many
    rows with values come before it, and how many values each of those has."""

    row: int
    row_count: int
    width: int


def convert_fast(rows: list[str]) -> NDArray[np.float64] | Resume:
    """Convert rows of valid characters at C speed, or say which row has a problem.

    Only call on rows of the characters parsing._VALID_ASCII lists and Unicode whitespace:
    there float() takes exactly the tokens _NUMBER describes. convert_slow then describes the
    problem.
    """
    tokens: list[str] = []
    indices: list[int] = []  # the index in rows of each row with values
    width = 0
    failed = len(rows)
    for index, row in enumerate(rows):
        if "," in row:
            if (
                row.lstrip().startswith(",")
                or row.rstrip().endswith(",")
                or _DOUBLE_COMMA.search(row)
            ):
                failed = index
                break
            fields = row.replace(",", " ").split()
        else:
            fields = row.split()
        if not fields:
            continue
        if not indices:
            width = len(fields)
        elif len(fields) != width:
            failed = index
            break
        tokens += fields
        indices.append(index)
    try:
        values = np.fromiter(map(float, tokens), dtype=np.float64, count=len(tokens))
    except ValueError:
        bad = next(i for i, token in enumerate(tokens) if not _is_finite_number(token))
    else:
        nonfinite = np.flatnonzero(~np.isfinite(values))
        if nonfinite.size == 0:
            if failed == len(rows) and indices:
                return values.reshape(len(indices), width)
            return Resume(failed, len(indices), width)
        bad = int(nonfinite[0])
    return Resume(indices[bad // width], bad // width, width)


def _is_finite_number(token: str) -> bool:
    try:
        return math.isfinite(float(token))
    except ValueError:
        return False
