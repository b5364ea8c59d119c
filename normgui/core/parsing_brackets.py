"""Brackets, for normgui.core.parsing: which spans of a text with [ ] are its rows, and every
misplaced bracket, comma or number outside them as a ParseError that says where."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final

from normgui.core.parsing_text import ParseError, SourceText

_BRACKET_OR_SEMICOLON: Final = re.compile(r"[\[\];]")
_GAP_ITEM: Final = re.compile(r",|[^\s,;]+")


@dataclass
class _Group:
    """A top-level bracket: where it opens and closes, its inner brackets and its semicolons."""

    open: int
    close: int = -1
    inner: list[tuple[int, int]] = field(default_factory=list)
    semicolons: list[int] = field(default_factory=list)


def bracket_rows(t: SourceText) -> list[tuple[int, int]]:
    """The rows of a text with brackets, as spans; ParseError for brackets out of place."""
    groups = _bracket_groups(t)
    _check_gap(t, 0, groups[0].open, level=0, between=False)
    for before, after in pairwise(groups):
        _check_gap(t, before.close + 1, after.open, level=0, between=True)
    _check_gap(t, groups[-1].close + 1, len(t.text), level=0, between=False)
    rows: list[tuple[int, int]] = []
    for group in groups:
        if group.inner:
            if group.semicolons:
                raise _semicolon_in_matrix(t, group.semicolons[0])
            first, last = group.inner[0], group.inner[-1]
            _check_gap(t, group.open + 1, first[0], level=1, between=False)
            for before_, after_ in pairwise(group.inner):
                _check_gap(t, before_[1] + 1, after_[0], level=1, between=True)
            _check_gap(t, last[1] + 1, group.close, level=1, between=False)
            for start, end in group.inner:
                if _is_blank(t, start + 1, end):
                    raise _empty_brackets(t, start)
                rows.append((start + 1, end))
        else:
            cuts = [group.open, *group.semicolons, group.close]
            pieces = [(a + 1, b) for a, b in pairwise(cuts)]
            filled = [(a, b) for a, b in pieces if not _is_blank(t, a, b)]
            if not filled:
                raise _empty_brackets(t, group.open)
            rows.extend(filled)
    return rows


def _bracket_groups(t: SourceText) -> list[_Group]:
    groups: list[_Group] = []
    open_group = _Group(-1)
    inner_open = -1
    depth = 0
    for match in _BRACKET_OR_SEMICOLON.finditer(t.text):
        char, position = match.group(), match.start()
        if char == "[":
            if depth == 2:
                raise t.error(
                    f"brackets nested too deep: '[' at {t.where(position)} opens a third "
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
                raise t.error(
                    f"unbalanced brackets: ']' at {t.where(position)} has no matching '['",
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
            raise _semicolon_in_matrix(t, position)
    if depth > 0:
        position = inner_open if depth == 2 else open_group.open
        raise t.error(
            f"unbalanced brackets: '[' at {t.where(position)} is never closed", position, 1
        )
    return groups


def _check_gap(t: SourceText, start: int, end: int, *, level: int, between: bool) -> None:
    """What lies outside the brackets of one level: separators, and one comma between two."""
    comma_seen = False
    for match in _GAP_ITEM.finditer(t.text, start, end):
        position, length = match.start(), len(match.group())
        if match.group() != ",":
            if level == 0:
                advice = "when you use brackets, put every number inside them"
                outside = "the brackets"
            else:
                advice = "in [[...], [...]] every number belongs inside an inner [...]"
                outside = "the inner brackets"
            token = t.quoted(position, length)
            raise t.error(
                f"{token} is outside {outside} ({t.where(position)}): {advice}",
                position,
                length,
            )
        if not between:
            raise t.error(
                f"stray comma at {t.where(position)}: "
                "commas go only between numbers or between bracketed rows",
                position,
                1,
            )
        if comma_seen:
            raise t.error(
                f"two commas in a row at {t.where(position)}: a bracketed row is missing "
                "between them",
                position,
                1,
            )
        comma_seen = True


def _is_blank(t: SourceText, start: int, end: int) -> bool:
    return not t.text[start:end].strip()


def _semicolon_in_matrix(t: SourceText, position: int) -> ParseError:
    return t.error(
        f"';' at {t.where(position)} cannot be used inside [[...]]: "
        "there each row is an inner [...], separated by commas",
        position,
        1,
    )


def _empty_brackets(t: SourceText, position: int) -> ParseError:
    return t.error(
        f"empty brackets at {t.where(position)}: a row needs at least one number",
        position,
        1,
    )
