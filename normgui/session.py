"""Sessions: a State saved as JSON (`.normgui`), versioned, validated on load, written atomically.

Loading never executes anything: the file is parsed as JSON and every field is checked, so a
damaged or hostile file gives a SessionError saying what is wrong and where. This module needs no
Qt, so sessions can be read and written from a notebook too.
"""

from __future__ import annotations

import json
import math
import os
import re
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple

import numpy as np

from normgui.core.activations import RegimeSettings
from normgui.core.atomic_write import save_text
from normgui.core.normalize import RunningStats
from normgui.core.state import MAX_VALUES, State
from normgui.core.training.setup import TrainingSetup, setup_from_dict, setup_to_dict

if TYPE_CHECKING:  # a training history (and the engine it holds) is read when a file keeps one
    from normgui.core.training.history import History

FORMAT: Final = "normgui-session"
# 2 adds "training_setup" (version 1 opens with the default); 3, "training_history" (optional)
VERSION: Final = 3
SUFFIX: Final = ".normgui"
MAX_FILE_BYTES: Final = 400 * 1024 * 1024  # 10 million values as JSON text fit well within this
MAX_DEPTH: Final = 8


class SessionError(ValueError):
    """A session file that cannot be read, with what is wrong and where."""


class Session(NamedTuple):
    """What a session file holds: the State, and the training history if it was kept."""

    state: State
    history: History | None = None


def to_dict(state: State, history: History | None = None) -> dict[str, Any]:
    """The State (and a training history to keep) as plain JSON-ready data."""
    return _to_dict(state, np.ndarray.tolist, history)


def _to_dict(state: State, table: Any, history: History | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "state": {
            "inputs_a": table(state.inputs_a),
            "inputs_b": None if state.inputs_b is None else table(state.inputs_b),
            "compare": state.compare,
            "stats_source": state.stats_source,
            "method": state.method,
            "gamma": state.gamma,
            "beta": state.beta,
            "per_feature": state.per_feature,
            "gamma_features": list(state.gamma_features),
            "beta_features": list(state.beta_features),
            "eps": state.eps,
            "groups": state.groups,
            "feature_range": list(state.feature_range),
            "training": state.training,
            "momentum": state.momentum,
            "running_history": [
                {"mean": s.mean.tolist(), "var": s.var.tolist(), "count": s.count}
                for s in state.running_history
            ],
            "input_scale": state.input_scale,
            "input_shift": state.input_shift,
            "activation": state.activation,
            "regime": {
                "criterion": state.regime.criterion,
                "linear_tol": state.regime.linear_tol,
                "linear_grad_ratio": state.regime.linear_grad_ratio,
                "saturation_ratio": state.regime.saturation_ratio,
            },
            "show_raw": state.show_raw,
            "selected_sample": state.selected_sample,
            "selected_feature": state.selected_feature,
            "training_setup": setup_to_dict(state.training_setup),
        },
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
    _check_depth(body, name)
    reader = _Reader(body, name)
    try:
        inputs_a = reader.table("inputs_a")
        assert inputs_a is not None  # table() raises for a missing required field
        state = State(
            inputs_a=inputs_a,
            inputs_b=reader.table("inputs_b", optional=True),
            compare=reader.boolean("compare", False),
            stats_source=reader.text("stats_source", "joint"),
            method=reader.text("method", "layernorm"),
            gamma=reader.number("gamma", 1.0),
            beta=reader.number("beta", 0.0),
            per_feature=reader.boolean("per_feature", False),
            gamma_features=tuple(reader.numbers("gamma_features")),
            beta_features=tuple(reader.numbers("beta_features")),
            eps=reader.number("eps", None),
            groups=int(reader.number("groups", 2)),
            feature_range=reader.pair("feature_range", (0.0, 1.0)),
            training=reader.boolean("training", True),
            momentum=reader.number("momentum", 0.1),
            running_history=reader.running_history(),
            input_scale=reader.number("input_scale", 1.0),
            input_shift=reader.number("input_shift", 0.0),
            activation=reader.text("activation", "sigmoid"),
            regime=reader.regime(),
            show_raw=reader.boolean("show_raw", False),
            selected_sample=int(reader.number("selected_sample", 0)),
            selected_feature=int(reader.number("selected_feature", 0)),
            training_setup=reader.training_setup(),
        )
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


def _check_depth(value: Any, name: str, depth: int = 0) -> None:
    if depth > MAX_DEPTH:
        raise SessionError(f"{name}: the data is nested too deeply")
    if isinstance(value, dict):
        for item in value.values():
            if isinstance(item, (dict, list)):
                _check_depth(item, name, depth + 1)
    elif isinstance(value, list) and value and isinstance(value[0], (dict, list)):
        for item in value:
            _check_depth(item, name, depth + 1)


class _Reader:
    """Reads the fields of a session's state, each with its own check and message."""

    def __init__(self, body: dict[str, Any], name: str) -> None:
        self._body = body
        self._name = name

    def _fail(self, key: str, what: str) -> SessionError:
        return SessionError(f"{self._name}: field '{key}' {what}")

    def number(self, key: str, default: float | None) -> Any:
        value = self._body.get(key, default)
        if value is None and default is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._fail(key, "must be a number")
        if not math.isfinite(value):
            raise self._fail(key, "must be a finite number")
        return float(value) if isinstance(value, float) else value

    def boolean(self, key: str, default: bool) -> bool:
        value = self._body.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false")
        return value

    def text(self, key: str, default: str) -> str:
        value = self._body.get(key, default)
        if not isinstance(value, str) or len(value) > 100:
            raise self._fail(key, "must be a short text")
        return value

    def numbers(self, key: str, body: dict[str, Any] | None = None) -> list[float]:
        value = (self._body if body is None else body).get(key, [])
        if not isinstance(value, list) or len(value) > MAX_VALUES:
            raise self._fail(key, "must be a list of numbers")
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise self._fail(key, "must contain only numbers")
        return [float(v) for v in value]

    def pair(self, key: str, default: tuple[float, float]) -> tuple[float, float]:
        value = self._body.get(key, list(default))
        if not isinstance(value, list) or len(value) != 2:
            raise self._fail(key, "must be a pair of numbers")
        low, high = self.numbers(key, {key: value})
        return low, high

    def table(self, key: str, optional: bool = False) -> np.ndarray | None:
        if key not in self._body:
            if optional:
                return None
            raise self._fail(key, "is missing")
        value = self._body[key]
        if value is None and optional:
            return None
        if not isinstance(value, list) or not value:
            raise self._fail(key, "must be a non-empty list of rows")
        if not all(isinstance(row, list) for row in value):
            raise self._fail(key, "must be a list of rows (lists of numbers)")
        width = len(value[0])
        total = 0
        for i, row in enumerate(value):
            if len(row) != width:
                raise self._fail(key, f"has rows of different lengths (row {i + 1})")
            total += len(row)
            if total > MAX_VALUES:
                raise self._fail(key, f"has more than {MAX_VALUES:,} values")
        if width == 0:
            raise self._fail(key, "has empty rows")
        # numpy would quietly turn true into 1.0 and "2" into 2.0: check the JSON types first.
        for row in value:
            if not all(type(v) in (int, float) for v in row):
                raise self._fail(key, "must contain only numbers")
        return np.array(value, dtype=np.float64)

    def running_history(self) -> tuple[RunningStats, ...]:
        value = self._body.get("running_history", [])
        if not isinstance(value, list) or len(value) > 100_000:
            raise self._fail("running_history", "must be a list")
        out = []
        for i, item in enumerate(value):
            where = f"running_history[{i}]"
            if not isinstance(item, dict):
                raise self._fail(where, "must be an object")
            count = item.get("count", 0)
            if isinstance(count, bool) or not isinstance(count, int):
                raise self._fail(where, "'count' must be a whole number")
            try:
                out.append(
                    RunningStats(
                        np.array(self.numbers("mean", item)),
                        np.array(self.numbers("var", item)),
                        count,
                    )
                )
            except ValueError as exc:
                raise self._fail(where, str(exc)) from exc
        return tuple(out)

    def training_setup(self) -> TrainingSetup:
        if "training_setup" not in self._body:
            return TrainingSetup()
        try:
            return setup_from_dict(self._body["training_setup"])
        except ValueError as exc:
            raise self._fail("training_setup", str(exc)) from exc

    def regime(self) -> RegimeSettings:
        value = self._body.get("regime", {})
        if not isinstance(value, dict):
            raise self._fail("regime", "must be an object")
        sub = _Reader(value, self._name)
        try:
            return RegimeSettings(
                criterion=sub.text("criterion", "tangent"),
                linear_tol=sub.number("linear_tol", 0.01),
                linear_grad_ratio=sub.number("linear_grad_ratio", 0.9),
                saturation_ratio=sub.number("saturation_ratio", 0.1),
            )
        except ValueError as exc:
            raise self._fail("regime", str(exc)) from exc
