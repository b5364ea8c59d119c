"""A recorded training history as plain JSON-ready data, and back, checked field by field — so
that a session file can keep a finished run and open it without training again.

Records are written as numbers (a value that is not finite as the text "nan", "inf" or "-inf":
JSON has no such numbers). The snapshots' pre-activations are many (rows × units per layer per
record), so they are written as base64 text of their float32 bytes, little-endian: a third of
the size of the same numbers as decimal text, read back exactly, and in one step. No weights
are kept: a history read back is a picture of a run, not a run that can go on.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any, Final

import numpy as np

from normgui.core.training.checks import whole_number
from normgui.core.training.history import SNAPSHOT_ROWS, DataInfo, History, Snapshot
from normgui.core.training.records import LayerRecord, Record, Spread
from normgui.core.training.setup import MAX_UNITS, TrainingSetup
from normgui.core.types import FloatArray

MAX_RECORDS: Final = 100_000  # per run: far more than a run the page can draw
MAX_TEXT: Final = 1000
MAX_COUNT: Final = 2**31  # a step or a number of samples
MAX_ARRAY: Final = 100_000  # numbers in one transform (one per input feature)
_SPECIAL: Final = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}
_RECORD_FLOATS: Final = ("loss", "smoothed_loss", "train_accuracy", "test_accuracy", "test_loss")


def history_to_dict(history: History) -> dict[str, Any]:
    """`history` as JSON-ready data (its setup is not in it: a session holds that already)."""
    info = history.info
    return {
        "info": None if info is None else _info_to_dict(info),
        "runs": {
            run: {
                "records": [_record_to_dict(r) for r in records],
                "snapshots": [_snapshot_to_dict(s) for s in history.snapshots.get(run, [])],
            }
            for run, records in history.records.items()
        },
    }


def history_from_dict(raw: object, setup: TrainingSetup) -> History:
    """The History of `setup` in `raw`; ValueError naming the field for anything wrong."""
    body = _object(raw, "training history", {"info", "runs"})
    history = History(setup)
    if body.get("info") is not None:
        history.info = _info_from_dict(body["info"])
    runs = _object(body.get("runs", {}), "runs", set(setup.runs))
    for run, value in runs.items():
        where = f"runs.{run}"
        item = _object(value, where, {"records", "snapshots"})
        n_hidden = len(setup.runs[run].hidden)
        records = _list(item.get("records", []), f"{where}.records", MAX_RECORDS)
        snapshots = _list(item.get("snapshots", []), f"{where}.snapshots", MAX_RECORDS)
        last = -1
        for i, rec in enumerate(records):
            record = _record_from_dict(rec, f"{where}.records[{i}]", n_hidden)
            if record.step < last or record.step > setup.steps:
                raise ValueError(
                    f"{where}.records[{i}]: step {record.step} is out of order "
                    f"(steps go up from 0 to {setup.steps})"
                )
            last = record.step
            history.records.setdefault(run, []).append(record)
        for i, snap in enumerate(snapshots):
            snapshot = _snapshot_from_dict(snap, f"{where}.snapshots[{i}]", setup, run)
            history.snapshots.setdefault(run, []).append(snapshot)
    return history


# --- writing ------------------------------------------------------------------------------------


def _number(value: float) -> float | str:
    if math.isfinite(value):
        return value
    return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")


def _maybe(value: float | None) -> float | str | None:
    return None if value is None else _number(value)


def _spread(value: Spread | None) -> dict[str, float | str] | None:
    if value is None:
        return None
    return {k: _number(getattr(value, k)) for k in ("mean", "std", "tracked")}


def _layer_to_dict(layer: LayerRecord) -> dict[str, Any]:
    return {
        "unit": layer.unit,
        "tracked": [_number(v) for v in layer.tracked],
        "pooled": [_number(v) for v in layer.pooled],
        **{k: _number(getattr(layer, k)) for k in ("linear", "saturated", "mean", "std")},
        "grad": _maybe(layer.grad),
        "gamma": _spread(layer.gamma),
        "beta": _spread(layer.beta),
    }


def _record_to_dict(record: Record) -> dict[str, Any]:
    return {
        "step": record.step,
        **{k: _maybe(getattr(record, k)) for k in _RECORD_FLOATS},
        "layers": [_layer_to_dict(layer) for layer in record.layers],
        "diverged": record.diverged,
        "message": record.message,
    }


def _array_text(array: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=dtype).tobytes()).decode("ascii")


def _snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    transform = snapshot.transform
    return {
        "step": snapshot.step,
        "ys": [{"shape": list(y.shape), "float32": _array_text(y, "<f4")} for y in snapshot.ys],
        "transform": None
        if transform is None
        else {"scale": _array_text(transform[0], "<f8"), "shift": _array_text(transform[1], "<f8")},
    }


def _info_to_dict(info: DataInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "n_train": info.n_train,
        "n_test": info.n_test,
        "feature_names": list(info.feature_names),
        "class_names": list(info.class_names),
        "chance": info.chance,
        "source": info.source,
    }


# --- reading ------------------------------------------------------------------------------------


def _object(value: object, where: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where} must be an object")
    unknown = set(value) - keys
    if unknown:
        allowed = ", ".join(sorted(keys)) or "nothing"
        raise ValueError(f"{where}: {sorted(unknown)[0]!r} is not expected here ({allowed} are)")
    return value


def _list(value: object, where: str, most: int) -> list[Any]:
    if not isinstance(value, list) or len(value) > most:
        raise ValueError(f"{where} must be a list (of at most {most:,} items)")
    return value


def _float(value: object, where: str) -> float:
    if isinstance(value, str) and value in _SPECIAL:
        return _SPECIAL[value]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f'{where} must be a number (or "nan", "inf", "-inf")')
    return float(value)


def _optional(value: object, where: str) -> float | None:
    return None if value is None else _float(value, where)


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise ValueError(f"{where} must be a text of at most {MAX_TEXT} characters")
    return value


def _three(value: object, where: str) -> tuple[float, float, float]:
    if not isinstance(value, list) or len(value) != 3:
        raise ValueError(f"{where} must be three numbers (the 15th, 50th and 85th percentiles)")
    a, b, c = (_float(v, where) for v in value)
    return a, b, c


def _spread_from(value: object, where: str) -> Spread | None:
    if value is None:
        return None
    body = _object(value, where, {"mean", "std", "tracked"})
    mean, std, tracked = (_float(body.get(k), f"{where}.{k}") for k in ("mean", "std", "tracked"))
    return Spread(mean, std, tracked)


def _layer_from_dict(value: object, where: str) -> LayerRecord:
    keys = {"unit", "tracked", "pooled", "linear", "saturated", "mean", "std", "grad"}
    body = _object(value, where, keys | {"gamma", "beta"})
    floats = {
        k: _float(body.get(k), f"{where}.{k}") for k in ("linear", "saturated", "mean", "std")
    }
    return LayerRecord(
        unit=whole_number(body.get("unit"), f"{where}.unit", 0, MAX_UNITS - 1),
        tracked=_three(body.get("tracked"), f"{where}.tracked"),
        pooled=_three(body.get("pooled"), f"{where}.pooled"),
        grad=_optional(body.get("grad"), f"{where}.grad"),
        gamma=_spread_from(body.get("gamma"), f"{where}.gamma"),
        beta=_spread_from(body.get("beta"), f"{where}.beta"),
        **floats,
    )


def _record_from_dict(value: object, where: str, n_hidden: int) -> Record:
    keys = {"step", "layers", "diverged", "message", *_RECORD_FLOATS}
    body = _object(value, where, keys)
    diverged = body.get("diverged", False)
    if not isinstance(diverged, bool):
        raise ValueError(f"{where}.diverged must be true or false")
    layers = _list(body.get("layers", []), f"{where}.layers", n_hidden)
    if not diverged and len(layers) != n_hidden:
        raise ValueError(f"{where}.layers: one per hidden layer ({n_hidden}), not {len(layers)}")
    return Record(
        step=whole_number(body.get("step"), f"{where}.step", 0, MAX_COUNT),
        **{k: _optional(body.get(k), f"{where}.{k}") for k in _RECORD_FLOATS},
        layers=tuple(_layer_from_dict(v, f"{where}.layers[{i}]") for i, v in enumerate(layers)),
        diverged=diverged,
        message=_text(body.get("message", ""), f"{where}.message"),
    )


def _array(value: object, where: str, dtype: str, count: int | None) -> FloatArray:
    """`count` numbers (any number: None) of `dtype` from base64 text; their bytes are checked,
    not trusted."""
    size = np.dtype(dtype).itemsize
    most = MAX_ARRAY if count is None else count
    if not isinstance(value, str) or len(value) > 4 * (most * size // 3 + 1):
        raise ValueError(f"{where} must be base64 text of at most {most:,} numbers")
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{where} is not base64 text") from None
    if len(raw) % size or (count is not None and len(raw) != count * size):
        raise ValueError(f"{where} holds {len(raw)} bytes, not the numbers its shape says")
    array = np.frombuffer(raw, dtype=dtype).astype(dtype[1:])  # native byte order, a copy
    array.flags.writeable = False
    return array


def _snapshot_from_dict(value: object, where: str, setup: TrainingSetup, run: str) -> Snapshot:
    body = _object(value, where, {"step", "ys", "transform"})
    hidden = setup.runs[run].hidden
    ys_raw = _list(body.get("ys", []), f"{where}.ys", len(hidden))
    ys = []
    for i, item in enumerate(ys_raw):
        at = f"{where}.ys[{i}]"
        entry = _object(item, at, {"shape", "float32"})
        shape = entry.get("shape")
        if not isinstance(shape, list) or len(shape) != 2:
            raise ValueError(f"{at}.shape must be [rows, units]")
        rows = whole_number(shape[0], f"{at}.shape", 0, SNAPSHOT_ROWS)
        units = whole_number(shape[1], f"{at}.shape", hidden[i], hidden[i])
        y = _array(entry.get("float32"), f"{at}.float32", "<f4", rows * units)
        ys.append(y.reshape(rows, units))
    transform = body.get("transform")
    pair = None
    if transform is not None:
        entry = _object(transform, f"{where}.transform", {"scale", "shift"})
        scale = _array(entry.get("scale"), f"{where}.transform.scale", "<f8", None)
        shift = _array(entry.get("shift"), f"{where}.transform.shift", "<f8", scale.size)
        pair = (scale, shift)
    step = whole_number(body.get("step"), f"{where}.step", 0, setup.steps)
    return Snapshot(step, tuple(ys), pair)


def _info_from_dict(value: object) -> DataInfo:
    keys = {"name", "n_train", "n_test", "feature_names", "class_names", "chance", "source"}
    body = _object(value, "info", keys)

    def names(key: str) -> tuple[str, ...]:
        items = _list(body.get(key, []), f"info.{key}", 100_000)
        return tuple(_text(v, f"info.{key}") for v in items)

    chance = _float(body.get("chance"), "info.chance")
    if not 0.0 <= chance <= 1.0:
        raise ValueError("info.chance must be a fraction from 0 to 1")
    return DataInfo(
        name=_text(body.get("name"), "info.name"),
        n_train=whole_number(body.get("n_train"), "info.n_train", 0, MAX_COUNT),
        n_test=whole_number(body.get("n_test"), "info.n_test", 0, MAX_COUNT),
        feature_names=names("feature_names"),
        class_names=names("class_names"),
        chance=chance,
        source=_text(body.get("source", ""), "info.source"),
    )
