"""What the Training page trains: the data, configuration A and, to compare, B, the number of
steps, the seed, and which hidden layer the plots look into — one immutable value, part of the
app's State, so that undo, sessions and the autosave cover it like everything else.

It is a training preset (see preset.py) with two things a preset does not hold: whether B is
compared (B's settings are kept while it is not, as input B is on the Layer page) and the layer
shown. Its JSON form wraps the preset's own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any, Final

from normgui.core.datasets import DATASETS, Dataset
from normgui.core.training.checks import whole_number
from normgui.core.training.preset import (
    Preset,
    RunConfig,
    preset_from_dict,
    preset_to_dict,
)
from normgui.core.training.spec import OPTIMIZERS

CSV: Final = "csv"  # the dataset name of a user's CSV file
MAX_STEPS: Final = 1_000_000
MAX_LAYERS: Final = 8
MAX_UNITS: Final = 1000
# The run the page opens with: Ioffe & Szegedy's Figure 1 setting, without (A) and with (B)
# BatchNorm — the comparison the page exists for.
DEFAULT_A: Final = RunConfig()
DEFAULT_B: Final = replace(DEFAULT_A, norm="batchnorm")


@dataclass(frozen=True)
class TrainingSetup:
    """A training run as the Training page shows it. Every field is checked when made; a bad
    one raises ValueError naming it.

    `dataset` is a name of normgui.core.datasets.DATASETS, or "csv" for the file `csv_path`
    whose `label_column` holds the classes. `layer` is the hidden layer the plots track
    (0 the first, −1 the last).
    """

    dataset: str = "digits"
    csv_path: str = ""
    label_column: str = ""
    a: RunConfig = field(default_factory=lambda: DEFAULT_A)
    b: RunConfig = field(default_factory=lambda: DEFAULT_B)
    compare: bool = True
    steps: int = 3000
    record_every: int = 50
    seed: int = 0
    layer: int = -1

    def __post_init__(self) -> None:
        if self.dataset == CSV:
            if not self.csv_path.strip() or not self.label_column.strip():
                raise ValueError("dataset: a CSV file needs its path and its label column")
        elif self.dataset not in DATASETS:
            raise ValueError(
                f"dataset: {self.dataset!r} is not one of {', '.join(DATASETS)} (or a CSV file)"
            )
        check_config(self.a, "A")
        check_config(self.b, "B")
        whole_number(self.steps, "steps", 1, MAX_STEPS)
        whole_number(self.record_every, "record every", 1, MAX_STEPS)
        whole_number(self.seed, "seed", 0, 2**32 - 1)
        whole_number(self.layer, "layer", -MAX_LAYERS, MAX_LAYERS - 1)

    def replace(self, **changes: Any) -> TrainingSetup:
        """A copy with `changes` applied and checked."""
        return replace(self, **changes)

    def with_run(self, name: str, **changes: Any) -> TrainingSetup:
        """A copy with configuration `name` ("A" or "B") changed."""
        if name == "A":
            return self.replace(a=replace(self.a, **changes))
        return self.replace(b=replace(self.b, **changes))

    @property
    def runs(self) -> dict[str, RunConfig]:
        """The configurations trained: A, and B when it is compared."""
        return {"A": self.a, "B": self.b} if self.compare else {"A": self.a}

    def layer_index(self, n_hidden: int) -> int:
        """The tracked layer's index in a network of `n_hidden` hidden layers (the last one
        when the setup's layer is beyond it)."""
        if n_hidden <= 0:
            return 0
        index = self.layer if self.layer >= 0 else n_hidden + self.layer
        return min(max(index, 0), n_hidden - 1)

    def preset(self) -> Preset:
        """This run as a training preset (B included only when compared)."""
        dataset: str | dict[str, str] = (
            {"csv": self.csv_path, "label_column": self.label_column}
            if self.dataset == CSV
            else self.dataset
        )
        return Preset(
            dataset=dataset,
            a=self.a,
            b=self.b if self.compare else None,
            steps=self.steps,
            record_every=self.record_every,
            seed=self.seed,
        )

    def load_data(self) -> Dataset:
        """The data, loaded (the synthetic sets drawn from the seed); ValueError in words."""
        return self.preset().load_data()


def from_preset(preset: Preset, layer: int = -1) -> TrainingSetup:
    """The setup that trains `preset` (a CSV path is taken as the preset gives it)."""
    if isinstance(preset.dataset, str):
        data: dict[str, str] = {"dataset": preset.dataset}
    else:
        path = preset.dataset["csv"]
        if preset.base is not None:
            path = str(preset.base / path)
        data = {"dataset": CSV, "csv_path": path, "label_column": preset.dataset["label_column"]}
    b = preset.b
    return TrainingSetup(
        **data,
        a=preset.a,
        b=b if b is not None else replace(preset.a, norm=_other_norm(preset.a.norm)),
        compare=b is not None,
        steps=preset.steps,
        record_every=preset.record_every,
        seed=preset.seed,
        layer=layer,
    )


def _other_norm(norm: str) -> str:
    return "batchnorm" if norm == "none" else "none"


def setup_to_dict(setup: TrainingSetup) -> dict[str, Any]:
    """The JSON form: the preset (B always, as its "compare"), whether B is compared, the
    layer."""
    preset = replace(setup.preset(), b=setup.b)
    return {"run": preset_to_dict(preset), "compare": setup.compare, "layer": setup.layer}


def setup_from_dict(raw: object) -> TrainingSetup:
    """A TrainingSetup from its JSON form; ValueError naming the field for anything wrong."""
    if not isinstance(raw, dict) or set(raw) - {"run", "compare", "layer"} or "run" not in raw:
        raise ValueError('the training setup is {"run": {…}, "compare": …, "layer": …}')
    compare = raw.get("compare", True)
    if not isinstance(compare, bool):
        raise ValueError("compare must be true or false")
    layer = raw.get("layer", -1)
    if not isinstance(layer, int) or isinstance(layer, bool):
        raise ValueError("layer must be a whole number")
    preset = preset_from_dict(raw["run"])
    return from_preset(preset, layer).replace(compare=compare and preset.b is not None)


def check_config(config: RunConfig, name: str) -> None:
    """ValueError, naming the run and the field, when `config` cannot train."""
    try:
        hidden = tuple(config.hidden)
        if not 1 <= len(hidden) <= MAX_LAYERS:
            raise ValueError(f"hidden layers: 1 to {MAX_LAYERS}, not {len(hidden)}")
        for units in hidden:
            whole_number(units, "units in a hidden layer", 1, MAX_UNITS)
        config.network(1, 2)  # the network's own checks, whatever the data
        if config.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer: {config.optimizer!r} is not one of {OPTIMIZERS}")
        if not (math.isfinite(config.lr) and 0 < config.lr <= 100):
            raise ValueError(f"learning rate: a number above 0 and at most 100, not {config.lr}")
        if not (math.isfinite(config.momentum) and 0 <= config.momentum < 1):
            raise ValueError(f"momentum: SGD's momentum is in [0, 1), not {config.momentum}")
        least = 2 if "batchnorm" in (config.norm, config.input_norm) else 1
        why = " (BatchNorm needs batches of two samples at least)" if least == 2 else ""
        batch = config.batch_size
        if isinstance(batch, bool) or not isinstance(batch, int) or not least <= batch <= 100_000:
            raise ValueError(
                f"batch size: a whole number from {least} to 100000, not {batch!r}{why}"
            )
    except ValueError as exc:
        raise ValueError(f"{name}: {exc}") from None
