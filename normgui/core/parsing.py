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

import math
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = ["ParseError", "format_vectors", "parse_vectors"]

# The characters str.splitlines() breaks lines at (all of them are whitespace, too).
_LINE_BREAK_CHARS: Final = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_ROW_SEPARATOR: Final = re.compile(f"[;{_LINE_BREAK_CHARS}]")
_LINE_BREAK: Final = re.compile(f"\r\n|[{_LINE_BREAK_CHARS}]")
_BRACKET_OR_SEMICOLON: Final = re.compile(r"[\[\];]")
_NUMBER: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_FIELD: Final = re.compile(r",|[^\s,]+")
_GAP_ITEM: Final = re.compile(r",|[^\s,;]+")
_DOUBLE_COMMA: Final = re.compile(r",\s*,")
_NAN: Final = re.compile(r"[+-]?nan", re.IGNORECASE)
_INF: Final = re.compile(r"[+-]?(?:inf|infinity|∞)", re.IGNORECASE)
_WRAPPER_HEAD: Final = re.compile(r"\s*(?:(?:np|numpy|torch)\.)?(?:array|tensor)\(")
_WRAPPER_TAIL: Final = re.compile(r"\s*(?:,\s*\w+\s*=\s*[^\s,()]+\s*)*\)\s*")
# Every character a valid text can contain: on such a text float() accepts exactly the tokens
# that _NUMBER accepts (float() alone would also take 'nan', 'inf', '1_000', '١٢').
_VALID_ASCII: Final = b"0123456789eE.+-,;[] \t\n\r\v\f\x1c\x1d\x1e\x1f"
_INVALID_CHAR: Final = re.compile(r"[^0-9eE.+\-,;\[\]\s]")
_MAX_SHOWN: Final = 40


class ParseError(ValueError):
    """Text that is not a list of numbers; the message says what is wrong and where.

    ``position`` is the 0-based character offset of the offending token in the parsed text and
    ``token`` its text; either is None when the problem is not at one place.
    """

    def __init__(self, message: str, position: int | None = None, token: str | None = None):
        super().__init__(message)
        self.message = message
        self.position = position
        self.token = token

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, int | None, str | None]]:
        return type(self), (self.message, self.position, self.token)


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
    return _Parser(text).parse(fast=fast)


@dataclass
class _Group:
    """A top-level bracket: where it opens and closes, its inner brackets and its semicolons."""

    open: int
    close: int = -1
    inner: list[tuple[int, int]] = field(default_factory=list)
    semicolons: list[int] = field(default_factory=list)


class _Parser:
    """One parse: the original text (for quoting tokens) and a normalized copy of equal length.

    A row is a span (start, end) of the text that holds its values: no brackets and no ';'.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = _normalize(text)

    def parse(self, *, fast: bool) -> NDArray[np.float64]:
        text = self.text
        spans = self._bracket_rows() if "[" in text or "]" in text else None
        if not fast:
            return self._convert_slow(self._line_rows() if spans is None else spans)
        # Without brackets, str.split gives the rows of _line_rows, without their positions.
        rows = _ROW_SEPARATOR.split(text) if spans is None else [text[a:b] for a, b in spans]
        # The fast path may only see rows of valid characters: those before the first invalid one.
        invalid = self._first_invalid_character()
        if invalid is None:
            clean = len(rows)
        elif spans is None:
            clean = len(_ROW_SEPARATOR.findall(text, 0, invalid))
        else:  # Outside the rows, _bracket_rows allows only valid characters.
            clean = bisect_right([end for _, end in spans], invalid)
        result = _convert_fast(rows[:clean])
        if isinstance(result, np.ndarray):
            if clean == len(rows):
                return result
            result = _Resume(clean, *result.shape)
        return self._convert_slow(self._line_rows() if spans is None else spans, result)

    # --- locating and quoting ---------------------------------------------------------------

    def where(self, position: int) -> str:
        """'character 5', or 'line 2, character 3' in a text of several lines (1-based)."""
        line, line_start = 1, 0
        for match in _LINE_BREAK.finditer(self.text, 0, position):
            line, line_start = line + 1, match.end()
        if line == 1 and _LINE_BREAK.search(self.text) is None:
            return f"character {position + 1}"
        return f"line {line}, character {position - line_start + 1}"

    def error(self, message: str, position: int, length: int) -> ParseError:
        return ParseError(message, position, self.original[position : position + length])

    def quoted(self, position: int, length: int) -> str:
        token = _shorten(self.original[position : position + length])
        return f"'{token}'" if token.isprintable() else repr(token)

    # --- rows -------------------------------------------------------------------------------

    def _first_invalid_character(self) -> int | None:
        """The position of the first character no valid text has, or None."""
        text = self.text
        if text.isascii() and not text.encode("ascii").translate(None, _VALID_ASCII):
            return None  # The common case, checked ten times faster than with the regex.
        match = _INVALID_CHAR.search(text)
        return None if match is None else match.start()

    def _line_rows(self) -> list[tuple[int, int]]:
        rows, start = [], 0
        for match in _ROW_SEPARATOR.finditer(self.text):
            rows.append((start, match.start()))
            start = match.end()
        rows.append((start, len(self.text)))
        return rows

    def _bracket_rows(self) -> list[tuple[int, int]]:
        groups = self._bracket_groups()
        self._check_gap(0, groups[0].open, level=0, between=False)
        for before, after in pairwise(groups):
            self._check_gap(before.close + 1, after.open, level=0, between=True)
        self._check_gap(groups[-1].close + 1, len(self.text), level=0, between=False)
        rows: list[tuple[int, int]] = []
        for group in groups:
            if group.inner:
                if group.semicolons:
                    raise self._semicolon_in_matrix(group.semicolons[0])
                first, last = group.inner[0], group.inner[-1]
                self._check_gap(group.open + 1, first[0], level=1, between=False)
                for before_, after_ in pairwise(group.inner):
                    self._check_gap(before_[1] + 1, after_[0], level=1, between=True)
                self._check_gap(last[1] + 1, group.close, level=1, between=False)
                for start, end in group.inner:
                    if self._is_blank(start + 1, end):
                        raise self._empty_brackets(start)
                    rows.append((start + 1, end))
            else:
                cuts = [group.open, *group.semicolons, group.close]
                pieces = [(a + 1, b) for a, b in pairwise(cuts)]
                filled = [(a, b) for a, b in pieces if not self._is_blank(a, b)]
                if not filled:
                    raise self._empty_brackets(group.open)
                rows.extend(filled)
        return rows

    def _bracket_groups(self) -> list[_Group]:
        groups: list[_Group] = []
        open_group = _Group(-1)
        inner_open = -1
        depth = 0
        for match in _BRACKET_OR_SEMICOLON.finditer(self.text):
            char, position = match.group(), match.start()
            if char == "[":
                if depth == 2:
                    raise self.error(
                        f"brackets nested too deep: '[' at {self.where(position)} opens a third "
                        "level; use at most two, as in [[1, 2], [3, 4]]",
                        position,
                        1,
                    )
                depth += 1
                if depth == 1:
                    open_group = _Group(position)
                else:
                    inner_open = position
            elif char == "]":
                if depth == 0:
                    raise self.error(
                        f"unbalanced brackets: ']' at {self.where(position)} has no matching '['",
                        position,
                        1,
                    )
                if depth == 2:
                    open_group.inner.append((inner_open, position))
                else:
                    open_group.close = position
                    groups.append(open_group)
                depth -= 1
            elif depth == 1:
                open_group.semicolons.append(position)
            elif depth == 2:
                raise self._semicolon_in_matrix(position)
        if depth > 0:
            position = inner_open if depth == 2 else open_group.open
            raise self.error(
                f"unbalanced brackets: '[' at {self.where(position)} is never closed", position, 1
            )
        return groups

    def _check_gap(self, start: int, end: int, *, level: int, between: bool) -> None:
        """What lies outside the brackets of one level: separators, and one comma between two."""
        comma_seen = False
        for match in _GAP_ITEM.finditer(self.text, start, end):
            position, length = match.start(), len(match.group())
            if match.group() != ",":
                if level == 0:
                    advice = "when you use brackets, put every number inside them"
                    outside = "the brackets"
                else:
                    advice = "in [[...], [...]] every number belongs inside an inner [...]"
                    outside = "the inner brackets"
                token = self.quoted(position, length)
                raise self.error(
                    f"{token} is outside {outside} ({self.where(position)}): {advice}",
                    position,
                    length,
                )
            if not between:
                raise self.error(
                    f"stray comma at {self.where(position)}: "
                    "commas go only between numbers or between bracketed rows",
                    position,
                    1,
                )
            if comma_seen:
                raise self.error(
                    f"two commas in a row at {self.where(position)}: a bracketed row is missing "
                    "between them",
                    position,
                    1,
                )
            comma_seen = True

    def _is_blank(self, start: int, end: int) -> bool:
        return not self.text[start:end].strip()

    def _semicolon_in_matrix(self, position: int) -> ParseError:
        return self.error(
            f"';' at {self.where(position)} cannot be used inside [[...]]: "
            "there each row is an inner [...], separated by commas",
            position,
            1,
        )

    def _empty_brackets(self, position: int) -> ParseError:
        return self.error(
            f"empty brackets at {self.where(position)}: a row needs at least one number",
            position,
            1,
        )

    # --- values -----------------------------------------------------------------------------

    def _convert_slow(
        self, rows: list[tuple[int, int]], resume: _Resume | None = None
    ) -> NDArray[np.float64]:
        """Read the rows token by token, raising the first problem with its position.

        ``resume`` skips the rows before the one where the fast path found a problem.
        """
        values: list[float] = []
        first, row_count, width = (0, 0, 0) if resume is None else resume
        for start, end in rows[first:]:
            row = self._row_values(start, end, row_count + 1)
            if not row:
                continue
            row_count += 1
            if row_count == 1:
                width = len(row)
            elif len(row) != width:
                position = _FIELD.search(self.text, start, end)
                raise ParseError(
                    f"row {row_count} has {_values(len(row))} but row 1 has {width}",
                    None if position is None else position.start(),
                    None,
                )
            values.extend(row)
        if row_count == 0:
            if self.text.strip():
                raise ParseError("nothing to parse: the input has no numbers")
            raise ParseError("nothing to parse: the input is empty")
        if first > 0:  # Not reached: the fast path fails only where this finds a problem.
            return self._convert_slow(rows)
        return np.array(values, dtype=np.float64).reshape(row_count, width)

    def _row_values(self, start: int, end: int, row: int) -> list[float]:
        values: list[float] = []
        previous = ""  # "", "value" or ","
        comma = -1
        for match in _FIELD.finditer(self.text, start, end):
            token, position = match.group(), match.start()
            if token == ",":
                if previous == "":
                    raise self.error(
                        f"row {row} starts with a comma ({self.where(position)}): "
                        "a number is missing before it",
                        position,
                        1,
                    )
                if previous == ",":
                    raise self.error(
                        f"empty field between two commas in row {row} ({self.where(position)})",
                        position,
                        1,
                    )
                previous, comma = ",", position
            else:
                values.append(self._value(token, position, row, len(values) + 1))
                previous = "value"
        if previous == ",":
            raise self.error(
                f"row {row} ends with a comma ({self.where(comma)}): a number is missing after it",
                comma,
                1,
            )
        return values

    def _value(self, token: str, position: int, row: int, column: int) -> float:
        length = len(token)
        shown = self.quoted(position, length)
        place = f"(row {row}, column {column})"
        if _NUMBER.fullmatch(token):
            value = float(token)
            if not math.isfinite(value):
                raise self.error(
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
                f"write it without underscores, as {_shorten(token.replace('_', ''))}"
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
        raise self.error(message, position, length)


class _Resume(NamedTuple):
    """Where the fast path found a problem: the index of the row in the list of rows, how many
    rows with values come before it, and how many values each of those has."""

    row: int
    row_count: int
    width: int


def _convert_fast(rows: list[str]) -> NDArray[np.float64] | _Resume:
    """Convert rows of valid characters at C speed, or say which row has a problem.

    Only call on a text of _VALID_ASCII characters and Unicode whitespace: there float() takes
    exactly the tokens _NUMBER describes. _Parser._convert_slow then describes the problem.
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
            return _Resume(failed, len(indices), width)
        bad = int(nonfinite[0])
    return _Resume(indices[bad // width], bad // width, width)


def _is_finite_number(token: str) -> bool:
    try:
        return math.isfinite(float(token))
    except ValueError:
        return False


def _shorten(token: str) -> str:
    return token if len(token) <= _MAX_SHOWN else token[: _MAX_SHOWN - 1] + "…"


def _values(count: int) -> str:
    return "1 value" if count == 1 else f"{count} values"


def _normalize(text: str) -> str:
    """Read '−' as '-' and blank out an array(...)/tensor(...) wrapper, keeping every offset."""
    text = text.replace("\u2212", "-")
    head = _WRAPPER_HEAD.match(text)
    if head is not None:
        close = text.rfind("]")
        if close >= head.end() and _WRAPPER_TAIL.fullmatch(text, close + 1):
            text = " " * head.end() + text[head.end() : close + 1] + " " * (len(text) - close - 1)
    return text
