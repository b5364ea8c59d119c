"""Numbers as people write them in formulas: 2.5 and 1e-05, 0.4472, a true minus sign."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

MINUS: Final = "−"
SUBSCRIPTS: Final = str.maketrans("0123456789-", "₀₁₂₃₄₅₆₇₈₉₋")
# Sums and vectors longer than this are shortened to their first and last terms.
MAX_TERMS: Final = 6


def num(value: float) -> str:
    """A statistic or a parameter, to 6 significant digits: 2.5, 1.25, 1e-05, −3."""
    if value == 0:
        return "0"
    return _true_minus(f"{value:.6g}")


def result(value: float) -> str:
    """A computed value, to 4 decimals where that reads well (0.4472, 0.6100), else 4 digits."""
    if value == 0 or not math.isfinite(value):
        return short(value)
    return _true_minus(f"{value:.4f}" if 1e-3 <= abs(value) < 1e5 else f"{value:.4g}")


def short(value: float) -> str:
    """A value in a sentence or a table cell: 4 significant digits."""
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return "∞" if value > 0 else f"{MINUS}∞"
    return _true_minus(f"{value:.4g}")


def _true_minus(text: str) -> str:
    """The minus sign of print (−) for Python's hyphen."""
    return MINUS + text[1:] if text.startswith("-") else text


def shortened(items: Sequence[str]) -> list[str]:
    """The first three and the last item when there are more than MAX_TERMS."""
    if len(items) <= MAX_TERMS:
        return list(items)
    return [*items[:3], "…", items[-1]]


def signed_sum(values: Sequence[float], term: str = "{}") -> str:
    """'1 + 2 − 3 + 4': the values in `term` (with {} for the value), shortened when long."""
    parts: list[str] = []
    texts = shortened([num(abs(v)) if i else num(v) for i, v in enumerate(values)])
    signs = shortened([MINUS if v < 0 else "+" for v in values])
    for i, (text, sign) in enumerate(zip(texts, signs, strict=True)):
        if text == "…":
            parts.append("+ …")
            continue
        body = term.format(text)
        parts.append(body if i == 0 else f"{sign} {body}")
    return " ".join(parts)


def square_sum(values: Sequence[float]) -> str:
    """'1² + 2² + (−3)²': squares of the values, shortened when long."""
    texts = shortened([num(v) for v in values])
    parts = [t if t == "…" else (f"({t})²" if t.startswith(MINUS) else f"{t}²") for t in texts]
    return " + ".join(parts)


def deviation_sum(values: Sequence[float], mean: float) -> str:
    """'(1 − 2.5)² + (2 − 2.5)²': squared deviations from `mean`, shortened when long."""
    m = num(abs(mean))
    op = "+" if mean < 0 else MINUS
    texts = shortened([num(v) for v in values])
    return " + ".join(t if t == "…" else f"({t} {op} {m})²" for t in texts)


def vector(values: Sequence[float]) -> str:
    """'[1, 2, 3, 4]', shortened when long."""
    return "[" + ", ".join(shortened([num(v) for v in values])) + "]"


def sub(index: int) -> str:
    """The 1-based subscript of a 0-based index: sub(2) == '₃'."""
    return str(index + 1).translate(SUBSCRIPTS)
