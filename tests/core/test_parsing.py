"""Tests for normgui.core.parsing: what parse_vectors accepts, how it refuses, format_vectors."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from normgui.core.parsing import ParseError, _parse_vectors, format_vectors, parse_vectors

# --- accepted forms ---------------------------------------------------------------------------

ACCEPTED: list[tuple[str, list[list[float]]]] = [
    # values within a row
    ("1 2 3", [[1, 2, 3]]),
    ("1,2,3", [[1, 2, 3]]),
    ("1, 2,3 4", [[1, 2, 3, 4]]),
    ("1\t2\t3", [[1, 2, 3]]),
    ("1   2\t\t 3", [[1, 2, 3]]),
    ("1 ,2 , 3", [[1, 2, 3]]),
    ("  1 2  ", [[1, 2]]),
    ("1\u00a02\u20033", [[1, 2, 3]]),  # no-break space, em space
    ("7", [[7]]),
    # rows
    ("1,2\n3,4", [[1, 2], [3, 4]]),
    ("1,2;3,4", [[1, 2], [3, 4]]),
    ("1, 2; 3, 4;", [[1, 2], [3, 4]]),
    ("1 2;;3 4", [[1, 2], [3, 4]]),
    ("\n\n1 2\n\n\n3 4\n\n", [[1, 2], [3, 4]]),
    ("1 2\r\n3 4\r\n", [[1, 2], [3, 4]]),
    ("1 2\r3 4", [[1, 2], [3, 4]]),
    ("1 2\u20293 4", [[1, 2], [3, 4]]),  # Qt's paragraph separator
    ("1\n2\n3", [[1], [2], [3]]),
    ("1\t2\n3\t4\n", [[1, 2], [3, 4]]),  # a spreadsheet paste
    # brackets
    ("[1, 2]", [[1, 2]]),
    ("[1 2 3]", [[1, 2, 3]]),
    ("[[1, 2], [3, 4]]", [[1, 2], [3, 4]]),
    ("[[1, 2]]", [[1, 2]]),
    ("[[1], [2]]", [[1], [2]]),
    ("[1,2],[3,4]", [[1, 2], [3, 4]]),
    ("[1 2]\n[3 4]", [[1, 2], [3, 4]]),
    ("[1 2];[3 4];", [[1, 2], [3, 4]]),
    ("  [1, 2] ,\n [3, 4]  \n", [[1, 2], [3, 4]]),
    ("[[1, 2],\n [3, 4]]", [[1, 2], [3, 4]]),
    ("[[1, 2] [3, 4]]", [[1, 2], [3, 4]]),
    ("[1 2; 3 4]", [[1, 2], [3, 4]]),
    ("[1 2; 3 4;]", [[1, 2], [3, 4]]),
    ("[[1, 2], [3, 4]], [5, 6]", [[1, 2], [3, 4], [5, 6]]),
    ("[ 1.5\n  2.5 ]", [[1.5, 2.5]]),  # numpy wraps long rows: a new line inside [] is a space
    ("[[ 1. -2.]\n [-3.  4.]]", [[1, -2], [-3, 4]]),  # print(np.array(...))
    # numpy and torch reprs
    ("array([[1., 2.],\n       [3., 4.]])", [[1, 2], [3, 4]]),
    ("array([1, 2, 3])", [[1, 2, 3]]),
    ("np.array([0.5, -1.5], dtype=float32)", [[0.5, -1.5]]),
    ("array([[1.e-03, 2.e+00]])", [[1e-3, 2]]),
    ("tensor([[0.1000, 0.2000]], requires_grad=True)", [[0.1, 0.2]]),
    ("tensor([1., 2.], dtype=torch.float64, grad_fn=<AddBackward0>)", [[1, 2]]),
    # numbers
    ("1e-3 2.5E+4 1E5 3e0", [[1e-3, 2.5e4, 1e5, 3]]),
    ("+3 -3 +0.5 -.5 +.5e1", [[3, -3, 0.5, -0.5, 5]]),
    ("−2 −0.5e−3", [[-2, -0.5e-3]]),  # U+2212 minus sign
    (".5 5. 5.e2 007", [[0.5, 5, 500, 7]]),
    (
        "1.7976931348623157e308 -1.7976931348623157e308",
        [[1.7976931348623157e308] * 1 + [-1.7976931348623157e308]],
    ),
    ("5e-324 1e-400", [[5e-324, 0.0]]),  # too small for float64: rounds to 0, as float() does
    ("0.1 0.2 0.30000000000000004", [[0.1, 0.2, 0.30000000000000004]]),
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "slow"])
@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted(text: str, expected: list[list[float]], fast: bool) -> None:
    result = _parse_vectors(text, fast=fast)
    assert result.dtype == np.float64
    assert result.ndim == 2
    np.testing.assert_array_equal(result, np.array(expected, dtype=np.float64))


def test_public_function_is_the_fast_path() -> None:
    np.testing.assert_array_equal(parse_vectors("1, 2; 3, 4"), [[1.0, 2.0], [3.0, 4.0]])


def test_minus_zero_keeps_its_sign() -> None:
    assert np.signbit(parse_vectors("-0 −0.0 0")).tolist() == [[True, True, False]]


def test_result_is_a_fresh_writable_array() -> None:
    result = parse_vectors("1 2")
    assert result.flags.writeable
    assert result.flags.c_contiguous


def test_not_a_string_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        parse_vectors(b"1 2")  # type: ignore[arg-type]


# --- rejected forms ---------------------------------------------------------------------------

# text, fragments the message must contain, the token named, its position (None: not checked)
REJECTED: list[tuple[str, list[str], str | None, int | None]] = [
    ("abc", ["'abc' is not a number", "row 1, column 1"], "abc", 0),
    ("1 2 3\n4 5 abc", ["'abc' is not a number", "row 2, column 3"], "abc", 10),
    ("1, 2\n\n3, x4", ["'x4' is not a number", "row 2, column 2"], "x4", 9),
    ("1 2 3 4\n1 2 3", ["row 2 has 3 values but row 1 has 4"], None, 8),
    ("1 2\n3", ["row 2 has 1 value but row 1 has 2"], None, 4),
    ("[[1, 2], [3]]", ["row 2 has 1 value but row 1 has 2"], None, 10),
    ("[1, 2", ["unbalanced brackets", "'[' at character 1 is never closed"], "[", 0),
    ("[[1, 2], [3, 4]", ["unbalanced brackets", "'[' at character 1 is never closed"], "[", 0),
    ("[[1, 2], [3, 4", ["unbalanced brackets", "'[' at character 10 is never closed"], "[", 9),
    ("1, 2]", ["unbalanced brackets", "']' at character 5 has no matching '['"], "]", 4),
    ("[1]\n[2]]", ["unbalanced brackets", "']' at line 2, character 4"], "]", 7),
    ("[[[1]]]", ["nested too deep", "'[' at character 3"], "[", 2),
    ("1,,2", ["empty field between two commas in row 1", "character 3"], ",", 2),
    ("1 2\n3, ,4", ["empty field between two commas in row 2", "line 2, character 4"], ",", 7),
    (",1", ["row 1 starts with a comma", "character 1"], ",", 0),
    ("1, 2,", ["row 1 ends with a comma", "character 5"], ",", 4),
    ("1, 2,\n3, 4", ["row 1 ends with a comma"], ",", 4),
    ("[1, 2,]", ["row 1 ends with a comma"], ",", 5),
    (",", ["row 1 starts with a comma"], ",", 0),
    ("nan", ["'nan' is not allowed: only finite numbers", "row 1, column 1"], "nan", 0),
    ("1 NaN", ["'NaN' is not allowed: only finite numbers", "row 1, column 2"], "NaN", 2),
    ("inf", ["'inf' is not allowed: only finite numbers"], "inf", 0),
    ("1\n-inf", ["'-inf' is not allowed: only finite numbers", "row 2, column 1"], "-inf", 2),
    ("Infinity", ["'Infinity' is not allowed: only finite numbers"], "Infinity", 0),
    ("∞", ["'∞' is not allowed: only finite numbers"], "∞", 0),
    ("1 1e999", ["'1e999' is too large for a number", "row 1, column 2"], "1e999", 2),
    ("−1e400", ["'−1e400' is too large for a number"], "−1e400", 0),
    ("1" * 400, ["is too large for a number"], "1" * 400, 0),
    ("", ["nothing to parse: the input is empty"], None, None),
    ("  \n\t \n", ["nothing to parse: the input is empty"], None, None),
    (";;\n;", ["nothing to parse"], None, None),
    ("1_000", ["'1_000' is not a number", "without underscores, as 1000"], "1_000", 0),
    ("0x10", ["'0x10' is not a number"], "0x10", 0),
    ("1 - 2", ["'-' is not a number", "row 1, column 2"], "-", 2),
    ("1.2.3", ["'1.2.3' is not a number"], "1.2.3", 0),
    ("1e", ["'1e' is not a number"], "1e", 0),
    ("e5", ["'e5' is not a number"], "e5", 0),
    ("−abc", ["'−abc' is not a number"], "−abc", 0),  # the message quotes the original text
    ("1 [2, 3]", ["'1' is outside the brackets", "character 1"], "1", 0),
    ("[2, 3] 4", ["'4' is outside the brackets", "character 8"], "4", 7),
    ("[[1, 2] 3]", ["'3' is outside the inner brackets", "character 9"], "3", 8),
    ("[1, 2],, [3, 4]", ["two commas in a row", "character 8"], ",", 7),
    ("[1, 2],", ["stray comma", "character 7"], ",", 6),
    (", [1, 2]", ["stray comma", "character 1"], ",", 0),
    ("[[1, 2],]", ["stray comma", "character 8"], ",", 7),
    ("[[1, 2]; [3, 4]]", ["';' at character 8 cannot be used inside [[...]]"], ";", 7),
    ("[[1; 2]]", ["';' at character 4 cannot be used inside [[...]]"], ";", 3),
    ("[]", ["empty brackets at character 1"], "[", 0),
    ("[ ; ]", ["empty brackets at character 1"], "[", 0),
    ("[[1, 2], []]", ["empty brackets at character 10"], "[", 9),
    ("[0. 1. ... 8. 9.]", ["'...' is not a number", "numpy shortened the array"], "...", 7),
    ("(1, 2)", ["'(1' is not a number", "square brackets"], "(1", 0),
    ("{1, 2}", ["'{1' is not a number", "square brackets"], "{1", 0),
    ("١٢ 3", ["'١٢' is not a number", "digits as 0-9"], "١٢", 0),
    ("１２", ["'１２' is not a number", "digits as 0-9"], "１２", 0),
    ("1 2\x00", ["'2\\x00' is not a number"], "2\x00", 2),
    ("x" * 100, ["'" + "x" * 39 + "…' is not a number"], "x" * 100, 0),
    ("array([1, 2)", ["unbalanced brackets", "character 7 is never closed"], "[", 6),
    ("array([1, 2]) + 1", ["'array(' is outside the brackets"], "array(", 0),
]


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "slow"])
@pytest.mark.parametrize(("text", "fragments", "token", "position"), REJECTED)
def test_rejected(
    text: str, fragments: list[str], token: str | None, position: int | None, fast: bool
) -> None:
    with pytest.raises(ParseError) as info:
        _parse_vectors(text, fast=fast)
    error = info.value
    for fragment in fragments:
        assert fragment in str(error)
    assert error.token == token
    if position is not None:
        assert error.position == position
    if error.token is not None:
        assert error.position is not None
        assert text[error.position : error.position + len(error.token)] == error.token


def test_parse_error_is_a_value_error_and_pickles() -> None:
    with pytest.raises(ValueError, match="is not a number") as info:
        parse_vectors("1 2\n3 oops")
    error = info.value
    assert isinstance(error, ParseError)
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.position, copy.token) == (str(error), 6, "oops")


def test_multiline_locations_name_the_line() -> None:
    with pytest.raises(ParseError, match=r"line 3, character 4"):
        parse_vectors("[1]\n[2]\n[3]]")


def test_first_problem_is_reported() -> None:
    # A bad value in row 2 comes before a ragged row 3 and a NaN in row 4.
    with pytest.raises(ParseError, match=r"'zz' is not a number \(row 2, column 2\)"):
        parse_vectors("1 2\n3 zz\n4\nnan nan")
    with pytest.raises(ParseError, match=r"row 3 has 1 value but row 1 has 2"):
        parse_vectors("1 2\n3 4\n5\nnan nan")
    # An overflow in row 1 comes before a bad token in row 2 (the fast path sees both at once).
    with pytest.raises(ParseError, match=r"'1e999' is too large for a number \(row 1, column 1\)"):
        parse_vectors("1e999\n-")


# --- properties -------------------------------------------------------------------------------


def _outcome(text: str, fast: bool) -> tuple[str, object]:
    try:
        result = _parse_vectors(text, fast=fast)
    except ParseError as error:
        if error.position is not None:
            assert 0 <= error.position < len(text)
        if error.token is not None:
            assert error.position is not None
            assert text[error.position : error.position + len(error.token)] == error.token
        return "error", (str(error), error.position, error.token)
    assert result.dtype == np.float64
    assert result.ndim == 2
    assert result.size > 0
    assert np.isfinite(result).all()
    return "array", result.tobytes() + repr(result.shape).encode()


@settings(max_examples=300)
@given(st.text())
def test_arbitrary_text_raises_only_parse_error(text: str) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


PIECES = [
    *"0123456789",
    *".,;eE+- \t\n[]",
    "\r\n",
    "−",
    "\u00a0",
    "_",
    "x",
    "nan",
    "inf",
    "1e999",
    "1e-400",
    "...",
    "array(",
    ")",
    ", dtype=float32)",
    "١",
]
NUMBERISH = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=1000)
@given(NUMBERISH)
def test_number_like_text_raises_only_parse_error(text: str) -> None:
    assert _outcome(text, fast=True) == _outcome(text, fast=False)


def _number_text(value: float) -> str:
    return format_vectors(np.array([value]))


ROWS = st.lists(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False).map(_number_text),
        min_size=1,
        max_size=6,
    ),
    min_size=1,
    max_size=6,
)


@given(ROWS, st.sampled_from([", ", ",", " ", "\t", " , "]), st.sampled_from(["\n", ";", "; "]))
def test_well_formed_text_parses(rows: list[list[str]], comma: str, newline: str) -> None:
    width = len(rows[0])
    text = newline.join(comma.join(row) for row in rows)
    if any(len(row) != width for row in rows):
        with pytest.raises(ParseError, match=r"values? but row 1 has"):
            parse_vectors(text)
    else:
        expected = np.array([[float(v) for v in row] for row in rows])
        np.testing.assert_array_equal(parse_vectors(text), expected)
        bracketed = "[" + ", ".join("[" + comma.join(row) + "]" for row in rows) + "]"
        np.testing.assert_array_equal(parse_vectors(bracketed), expected)


FINITE_MATRICES = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8),
    elements=st.floats(allow_nan=False, allow_infinity=False),
)


@given(FINITE_MATRICES)
def test_round_trip_is_exact(x: np.ndarray) -> None:
    back = parse_vectors(format_vectors(x))
    assert back.shape == x.shape
    np.testing.assert_array_equal(back, x)
    np.testing.assert_array_equal(np.signbit(back), np.signbit(x))


@given(
    hnp.arrays(
        np.float32,
        hnp.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=8),
        elements=st.floats(allow_nan=False, allow_infinity=False, width=32),
    )
)
def test_round_trip_of_float32_gives_the_same_float32(x: np.ndarray) -> None:
    back = parse_vectors(format_vectors(x)).astype(np.float32)
    np.testing.assert_array_equal(back, np.atleast_2d(x))


# --- format_vectors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected"),
    [
        (np.array([[1.0, 2.0], [3.0, 4.0]]), "1, 2; 3, 4"),
        (np.array([1.0, 2.0, 3.0, 4.0]), "1, 2, 3, 4"),
        (np.arange(4), "0, 1, 2, 3"),
        (np.array([[True, False]]), "1, 0"),
        (np.array([0.1, -0.0, 1e16, 1.5e-10, -2.5]), "0.1, -0, 1e+16, 1.5e-10, -2.5"),
        (np.array([0.1], dtype=np.float32), "0.1"),
        (np.array([2**63 - 1], dtype=np.int64), "9223372036854775807"),
        (np.array([[0.5], [1.5]]), "0.5; 1.5"),
        (np.array([np.nan, np.inf, -np.inf]), "nan, inf, -inf"),
        (np.zeros((0, 3)), ""),
        ([[1.0, 2.5]], "1, 2.5"),
    ],
)
def test_format_vectors(x: np.ndarray, expected: str) -> None:
    assert format_vectors(x) == expected


def test_format_vectors_with_precision() -> None:
    x = np.array([[1 / 3, 2.0, 123456.0, -1e-7]])
    assert format_vectors(x, precision=3) == "0.333, 2, 1.23e+05, -1e-07"
    assert format_vectors(np.array([7, 8]), precision=1) == "7, 8"
    np.testing.assert_allclose(parse_vectors(format_vectors(x, precision=3)), x, rtol=1e-2)


@pytest.mark.parametrize("x", [np.float64(1.0), np.zeros((2, 2, 2))])
def test_format_vectors_needs_one_or_two_dimensions(x: np.ndarray) -> None:
    with pytest.raises(ValueError, match="1-D or 2-D"):
        format_vectors(x)


def test_format_vectors_rejects_bad_precision_and_complex() -> None:
    with pytest.raises(ValueError, match="precision"):
        format_vectors(np.ones(2), precision=0)
    with pytest.raises(TypeError, match="complex"):
        format_vectors(np.ones(2, dtype=complex))


# --- a large paste (works; not a timing test) -------------------------------------------------


def test_large_paste() -> None:
    rng = np.random.default_rng(0)
    x = np.round(rng.standard_normal((200, 5000)), 6)
    text = "\n".join(", ".join(repr(v) for v in row) for row in x.tolist())
    np.testing.assert_array_equal(parse_vectors(text), x)
    with pytest.raises(ParseError, match=r"'oops' is not a number \(row 200, column 5001\)"):
        parse_vectors(text + ", oops")
    with pytest.raises(ParseError, match=r"row 201 has 1 value but row 1 has 5000"):
        parse_vectors(text + "\n1")
