"""Records as a table: one row per record and run, for a spreadsheet or a notebook."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence

from normgui.core.training.records import Record

_RUN_COLUMNS = (
    "step",
    "loss",
    "smoothed_loss",
    "train_accuracy",
    "test_accuracy",
    "test_loss",
    "diverged",
)
_LAYER_COLUMNS = (
    "unit",
    "p15",
    "p50",
    "p85",
    "pooled_p15",
    "pooled_p50",
    "pooled_p85",
    "linear",
    "saturated",
    "act_mean",
    "act_std",
    "grad",
    "gamma_mean",
    "gamma_std",
    "gamma_unit",
    "beta_mean",
    "beta_std",
    "beta_unit",
)


def records_to_csv(runs: Mapping[str, Sequence[Record]]) -> str:
    """CSV text: a `run` column (A, B), the run's columns, then each hidden layer's (`layer1_p15`
    …: the tracked unit's 15th percentile of the activation's input; `pooled_…` over all units).
    Values a record lacks (γ without a normalization, a diverged run's accuracy) are empty."""
    n_layers = max((len(r.layers) for records in runs.values() for r in records), default=0)
    header = ["run", *_RUN_COLUMNS]
    for i in range(1, n_layers + 1):
        header += [f"layer{i}_{c}" for c in _LAYER_COLUMNS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for name, records in runs.items():
        for record in records:
            writer.writerow([name, *_row(record, n_layers)])
    return out.getvalue()


def _row(record: Record, n_layers: int) -> list[object]:
    row: list[object] = [
        record.step,
        _value(record.loss),
        _value(record.smoothed_loss),
        _value(record.train_accuracy),
        _value(record.test_accuracy),
        _value(record.test_loss),
        int(record.diverged),
    ]
    for i in range(n_layers):
        if i >= len(record.layers):
            row += [""] * len(_LAYER_COLUMNS)
            continue
        layer = record.layers[i]
        row += [layer.unit, *map(_value, (*layer.tracked, *layer.pooled))]
        row += [
            _value(v) for v in (layer.linear, layer.saturated, layer.mean, layer.std, layer.grad)
        ]
        for spread in (layer.gamma, layer.beta):
            if spread is None:
                row += ["", "", ""]
            else:
                row += [_value(spread.mean), _value(spread.std), _value(spread.tracked)]
    return row


def _value(x: float | None) -> str:
    return "" if x is None else repr(float(x))
