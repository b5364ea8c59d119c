"""The text being parsed by normgui.core.parsing: the original (for quoting tokens), a normalized
copy of equal length (for reading), where a position is, and the error raised."""

from __future__ import annotations

import re
from typing import Final

# The characters str.splitlines() breaks lines at (all of them are whitespace, too).
LINE_BREAK_CHARS: Final = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE_BREAK: Final = re.compile(f"\r\n|[{LINE_BREAK_CHARS}]")
_WRAPPER_HEAD: Final = re.compile(r"\s*(?:(?:np|numpy|torch)\.)?(?:array|tensor)\(")
_WRAPPER_TAIL: Final = re.compile(r"\s*(?:,\s*\w+\s*=\s*[^\s,()]+\s*)*\)\s*")
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


class SourceText:
    """One text being parsed: the original (for quoting tokens) and a normalized copy of equal
    length (for reading), so that a position in one is the same position in the other.

    A row is a span (start, end) of the text that holds its values: no brackets and no ';'.
    """

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = _normalize(text)

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
        token = shorten(self.original[position : position + length])
        return f"'{token}'" if token.isprintable() else repr(token)


def shorten(token: str) -> str:
    return token if len(token) <= _MAX_SHOWN else token[: _MAX_SHOWN - 1] + "…"


def count_values(count: int) -> str:
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
