"""Sessions: a State saved as JSON (`.normgui`), versioned, validated on load, written atomically.

Loading never executes anything: the file is parsed as JSON and every field is checked, so a
damaged or hostile file gives a SessionError saying what is wrong and where. This module needs no
Qt, so sessions can be read and written from a notebook too.
"""

from __future__ import annotations

import json
import os
import re
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import numpy as np

from normgui.core.atomic_write import save_text
from normgui.core.state import State
from normgui.session_fields import SessionError, state_from_body, state_to_body

if TYPE_CHECKING:  # a training history (and the engine it holds) is read when a file keeps one
    from normgui.core.training.history import History

FORMAT: Final = "normgui-session"
# 2 adds "training_setup" (version 1 opens with the default); 3, "training_history" (optional)
VERSION: Final = 3
SUFFIX: Final = ".normgui"
MAX_FILE_BYTES: Final = 400 * 1024 * 1024  # 10 million values as JSON text fit well within this

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "SUFFIX",
    "VERSION",
    "Session",
    "SessionError",
    "dumps",
    "from_dict",
    "load",
    "load_session",
    "loads",
    "loads_session",
    "save",
    "save_text",
    "session_from_dict",
    "to_dict",
]


class Session(NamedTuple):
    """What a session file holds: the State, and the training history if it was kept."""

    state: State
    history: History | None = None


def to_dict(state: State, history: History | None = None) -> dict[str, Any]:
    """The State (and a training history to keep) as plain JSON-ready data."""
    return _to_dict(state, np.ndarray.tolist, history)


def _to_dict(
    state: State, table: Callable[[np.ndarray], Any], history: History | None = None
) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "state": state_to_body(state, table),
    }
    if history is not None:
        from normgui.core.training.history_file import history_to_dict

        document["training_history"] = history_to_dict(history)
    return document


def dumps(state: State, history: History | None = None) -> str:
    """The text of a session file for `state`, keeping `history` if given (compact JSON)."""
    # A large input is turned into text once: the next States (γ moved, say) share its array,
    # so saving them again (the autosave after every change) costs little more than writing.
    tables: dict[str, str] = {}

    def table(array: np.ndarray) -> Any:
        if array.size < _CACHED_SIZE:
            return array.tolist()
        placeholder = _PLACEHOLDER.format(len(tables))
        tables[placeholder] = _table_text(array)
        return placeholder

    text = json.dumps(_to_dict(state, table, history), allow_nan=False, separators=(",", ":"))
    for placeholder, table_text in tables.items():
        text = text.replace(f'"{placeholder}"', table_text, 1)
    return text


_CACHED_SIZE: Final = 10_000
_PLACEHOLDER: Final = "<normgui-table {}>"  # no other text in a session looks like this
_TABLE_TEXT: dict[int, tuple[weakref.ref[np.ndarray], str]] = {}


def _table_text(array: np.ndarray) -> str:
    key = id(array)
    cached = _TABLE_TEXT.get(key)
    if cached is not None and cached[0]() is array:
        return cached[1]
    text = json.dumps(array.tolist(), allow_nan=False, separators=(",", ":"))
    if not array.flags.writeable:  # a State's array: it never changes, its text can be kept
        _TABLE_TEXT[key] = (weakref.ref(array, lambda _ref: _TABLE_TEXT.pop(key, None)), text)
    return text


def save(state: State, path: str | os.PathLike[str], history: History | None = None) -> None:
    """Write `state` (and `history`, to keep it) to `path` atomically: a crash mid-save never
    leaves a truncated file (see normgui.core.atomic_write)."""
    save_text(dumps(state, history), path)


def load(path: str | os.PathLike[str]) -> State:
    """Read a session file's State; SessionError says what is wrong and where."""
    return load_session(path).state


def load_session(path: str | os.PathLike[str]) -> Session:
    """Read a session file, with its training history if it keeps one."""
    source = Path(path)
    try:
        size = source.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SessionError(f"{source.name}: the file is too large ({size:,} bytes)")
        raw = source.read_bytes()
    except OSError as exc:
        raise SessionError(f"{source.name}: cannot be read ({exc.strerror or exc})") from exc
    return loads_session(raw, source.name)


def loads(data: bytes | str, name: str = "session") -> State:
    """A State from the text of a session file."""
    return loads_session(data, name).state


def loads_session(data: bytes | str, name: str = "session") -> Session:
    """A Session from the text of a session file."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise SessionError(f"{name}: not a normgui session (not UTF-8 text)") from exc
    if not text.strip():
        raise SessionError(f"{name}: the file is empty")
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except _ConstantError as exc:
        raise SessionError(
            f"{name}: '{exc.token}'{_where(text, exc.token)} is not allowed: only finite numbers"
        ) from None
    except RecursionError as exc:
        raise SessionError(f"{name}: the data is nested too deeply") from exc
    except ValueError as exc:  # json.JSONDecodeError
        raise SessionError(f"{name}: not a normgui session (invalid JSON: {exc})") from exc
    return session_from_dict(document, name)


class _ConstantError(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _refuse_constant(token: str) -> Any:
    raise _ConstantError(token)


def _where(text: str, token: str) -> str:
    """' (line L, column C)' of the first `token` outside a string, or '' if not found."""
    match = re.search(rf'(?<![\w"]){re.escape(token)}(?![\w"])', text)
    if match is None:
        return ""
    start = match.start()
    line = text.count("\n", 0, start) + 1
    return f" (line {line}, column {start - text.rfind(chr(10), 0, start)})"


def from_dict(document: Any, name: str = "session") -> State:
    """Validate a parsed session field by field and build its State."""
    return session_from_dict(document, name).state


def session_from_dict(document: Any, name: str = "session") -> Session:
    """Validate a parsed session field by field: its State, and its training history if kept
    (checked against the State's training setup)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise SessionError(f"{name}: not a normgui session (no 'format': '{FORMAT}')")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise SessionError(f"{name}: 'version' must be a whole number")
    if version > VERSION:
        raise SessionError(
            f"{name}: written by a newer normgui (session version {version}; this one reads up "
            f"to {VERSION}); please update normgui"
        )
    if version < 1:
        raise SessionError(f"{name}: unknown session version {version}")
    body = document.get("state")
    if not isinstance(body, dict):
        raise SessionError(f"{name}: 'state' must be an object")
    try:
        state = state_from_body(body, name)
        if document.get("training_history") is None:
            return Session(state)
        from normgui.core.training.history_file import history_from_dict

        try:
            history = history_from_dict(document["training_history"], state.training_setup)
            return Session(state, history)
        except ValueError as exc:
            raise SessionError(f"{name}: field 'training_history': {exc}") from exc
    except SessionError:
        raise
    except (ValueError, TypeError, OverflowError) as exc:
        raise SessionError(f"{name}: {exc}") from exc
