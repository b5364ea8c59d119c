"""The fields of a State in a session file: each written as JSON-ready data, and read back with
its own check and a message naming it.

A new State field is added here, on both sides; the document around it (format, version, the
training history, the file itself) is normgui.session's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Final

import numpy as np

from normgui.core.activations import RegimeSettings
from normgui.core.normalize import RunningStats
from normgui.core.state import MAX_VALUES, State
from normgui.core.training.setup import TrainingSetup, setup_from_dict, setup_to_dict

MAX_DEPTH: Final = 8


class SessionError(ValueError):
    """A session file that cannot be read, with what is wrong and where."""


def state_to_body(state: State, table: Callable[[np.ndarray], Any]) -> dict[str, Any]:
    """The fields of `state` as JSON-ready data; `table` turns an input's array into its JSON
    form (a list of rows, or a placeholder that the caller replaces with its text)."""
    return {
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
    }


def state_from_body(body: dict[str, Any], name: str) -> State:
    """The State of a session's "state" object, every field checked: SessionError names the
    field and says what is wrong; ValueError or TypeError from the State itself (a method
    it does not know, a γ list of the wrong length) is left to the caller to word."""
    _check_depth(body, name)
    reader = _Reader(body, name)
    inputs_a = reader.table("inputs_a")
    assert inputs_a is not None  # table() raises for a missing required field
    return State(
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
