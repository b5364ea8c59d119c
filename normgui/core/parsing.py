"""Read numbers that people paste into a 2-D array, and write an array back as text.

What ``parse_vectors`` accepts (anything else raises ``ParseError``, nothing is ever evaluated):

Numbers
    Decimal numbers in plain or exponent notation: ``3``, ``-2.5``, ``+4``, ``.5``, ``5.``,
    ``1e-3``, ``2.5E+4``. The Unicode minus sign ``−`` (U+2212) counts as ``-``. Only the
    digits 0-9 are digits. Rejected: words, ``nan``, ``inf``/``infinity``, hexadecimal,
    underscores (``1_000``), and values too large for float64 (``1e400``). Values too small
    for float64 (``1e-400``) become 0, as everywhere in floating point.

Values within a row
    Separated by commas, spaces or tabs in any mix (``1, 2 3,4``); repeated whitespace is fine,
    and any Unicode space (a no-break space from a web page, say) counts as a space.
    Every comma must sit between two numbers: an empty field (``1,,2``), a comma at the start
    of a row or a trailing comma at the end of a row (``1, 2,``) is an error, so that a missing
    value is never silently dropped.

Rows, without brackets
    Separated by new lines (``\\n``, ``\\r\\n``, ``\\r`` and the other line breaks of
    ``str.splitlines``) or ``;``. Blank lines and extra ``;`` (a trailing one, say) are ignored.
    All rows must have the same number of values.

Rows, with brackets (square brackets only, at most two levels deep)
    ``[1, 2]`` is one row; ``[[1, 2], [3, 4]]`` is one row per inner bracket; several
    top-level brackets ``[1, 2], [3, 4]`` or ``[1 2]`` / ``[3 4]`` on separate lines are one
    row each; ``;`` splits a single bracket into rows as in MATLAB, ``[1 2; 3 4]``. Inside
    brackets a new line is just a space, so numpy's printout ``[[1. 2.]\\n [3. 4.]]`` works.
    Between brackets there may be whitespace, ``;`` and at most one comma. Once brackets are
    used, every number must be inside them. numpy's and PyTorch's reprs,
    ``array([[1., 2.]])``, ``np.array([1, 2], dtype=float32)``, ``tensor([1., 2.])``, are
    read by ignoring the wrapper.

``ParseError.position`` is the 0-based character offset of the offending token in the text
(for rows of different lengths, of the first value of the offending row, with ``token`` None);
messages count characters from 1, and give the line too when the text has several lines.
When the text has several problems, the first row with one is reported; problems with the
brackets come before problems with the values.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from normgui.core.parsing_brackets import bracket_rows
from normgui.core.parsing_text import LINE_BREAK_CHARS, ParseError, SourceText
from normgui.core.parsing_values import Resume, convert_fast, convert_slow

__all__ = ["ParseError", "format_vectors", "parse_vectors"]

_ROW_SEPARATOR: Final = re.compile(f"[;{LINE_BREAK_CHARS}]")
# Every character a valid text can contain: on such a text float() accepts exactly the tokens
# that parsing_values reads as numbers (float() alone would also take 'nan', 'inf', '1_000', '١٢').
_VALID_ASCII: Final = b"0123456789eE.+-,;[] \t\n\r\v\f\x1c\x1d\x1e\x1f"
_INVALID_CHAR: Final = re.compile(r"[^0-9eE.+\-,;\[\]\s]")


def parse_vectors(text: str) -> NDArray[np.float64]:
    """Parse pasted numbers into a 2-D float64 array: rows are samples, columns are features.

    The accepted forms are described in this module's docstring; anything else raises
    ``ParseError`` with a message naming the offending token and where it is.
    """
    return _parse_vectors(text, fast=True)


def format_vectors(x: ArrayLike, precision: int | None = None) -> str:
    """Write a 1-D (one row) or 2-D array as text: rows joined by "; ", values by ", ".

    By default floats are written in the shortest form that reads back exactly, so
    ``parse_vectors(format_vectors(x))`` equals ``x`` for every finite float64 array with at
    least one value; whole numbers are written without ".0" ("1, 2; 3, 4"). float32 and float16
    values are written in the shortest form that reads back to the same float32/float16.
    ``precision`` asks for that many significant digits instead (ignored for integer arrays).
    NaN and infinities are written as "nan", "inf", "-inf", which ``parse_vectors`` rejects; an
    array without values gives "".
    """
    arr = np.asarray(x)
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    elif arr.ndim != 2:
        raise ValueError(f"format_vectors takes a 1-D or 2-D array, not a {arr.ndim}-D one")
    if precision is not None and precision < 1:
        raise ValueError(f"precision must be at least 1 significant digit, not {precision}")
    if arr.dtype.kind == "c":
        raise TypeError("format_vectors cannot write complex numbers")
    if arr.size == 0:
        return ""
    cells: list[list[str]]
    if arr.dtype.kind in "biu":
        cells = [[str(int(v)) for v in row] for row in arr.tolist()]
    elif precision is not None:
        spec = f".{precision}g"
        cells = [[format(v, spec) for v in row] for row in arr.astype(np.float64).tolist()]
    elif arr.dtype in (np.float16, np.float32):
        # str() of a numpy scalar is the shortest text that reads back to the same value.
        cells = [[_drop_point_zero(str(v)) for v in row] for row in arr]
    else:
        cells = [
            [_drop_point_zero(repr(v)) for v in row] for row in arr.astype(np.float64).tolist()
        ]
    return "; ".join(", ".join(row) for row in cells)


def _drop_point_zero(number: str) -> str:
    return number[:-2] if number.endswith(".0") else number


def _parse_vectors(text: str, *, fast: bool) -> NDArray[np.float64]:
    """parse_vectors, with the fast path on or off (off: the tests check both agree)."""
    if not isinstance(text, str):
        raise TypeError(f"parse_vectors takes a str, not {type(text).__name__}")
    return _parse(SourceText(text), fast=fast)


def _parse(t: SourceText, *, fast: bool) -> NDArray[np.float64]:
    """The fast path where it can (C speed), and token by token from where it cannot."""
    text = t.text
    spans = bracket_rows(t) if "[" in text or "]" in text else None
    if not fast:
        return convert_slow(t, _line_rows(t) if spans is None else spans)
    # Without brackets, str.split gives the rows of _line_rows, without their positions.
    rows = _ROW_SEPARATOR.split(text) if spans is None else [text[a:b] for a, b in spans]
    # The fast path may only see rows of valid characters: those before the first invalid one.
    invalid = _first_invalid_character(t)
    if invalid is None:
        clean = len(rows)
    elif spans is None:
        clean = len(_ROW_SEPARATOR.findall(text, 0, invalid))
    else:  # Outside the rows, bracket_rows allows only valid characters.
        clean = bisect_right([end for _, end in spans], invalid)
    result = convert_fast(rows[:clean])
    if isinstance(result, np.ndarray):
        if clean == len(rows):
            return result
        result = Resume(clean, *result.shape)
    return convert_slow(t, _line_rows(t) if spans is None else spans, result)


def _first_invalid_character(t: SourceText) -> int | None:
    """The position of the first character no valid text has, or None."""
    text = t.text
    if text.isascii() and not text.encode("ascii").translate(None, _VALID_ASCII):
        return None  # The common case, checked ten times faster than with the regex.
    match = _INVALID_CHAR.search(text)
    return None if match is None else match.start()


def _line_rows(t: SourceText) -> list[tuple[int, int]]:
    """The rows of a text without brackets: spans between ';' and line breaks."""
    rows, start = [], 0
    for match in _ROW_SEPARATOR.finditer(t.text):
        rows.append((start, match.start()))
        start = match.end()
    rows.append((start, len(t.text)))
    return rows
