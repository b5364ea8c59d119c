"""Training presets: a run described as JSON (data, network, optimizer, steps, seed), with an
optional second configuration B trained beside it from the same initial weights.

    {"dataset": "digits",
     "network": {"hidden": [100, 100, 100], "activation": "sigmoid", "norm": "none"},
     "optimizer": {"name": "sgd", "lr": 0.5, "batch_size": 60},
     "steps": 2000, "seed": 0,
     "compare": {"network": {"norm": "batchnorm"}}}

`dataset` is a name of normgui.core.datasets.DATASETS or {"csv": PATH, "label_column": NAME}
(PATH relative to the preset's file). Every field but `dataset` has a default; an unknown field
is an error, so a typo never passes silently.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from normgui.core.datasets import DATASETS, Dataset, load_csv, load_dataset
from normgui.core.training.checks import whole_number
from normgui.core.training.spec import NetworkSpec

if TYPE_CHECKING:  # the engine is imported when a preset trains, not with the configurations
    from normgui.core.training.loop import Trainer
    from normgui.core.training.records import Record

_NETWORK_KEYS = {"hidden", "activation", "norm", "input_norm", "init", "eps", "momentum"}
_OPTIMIZER_KEYS = {"name", "lr", "momentum", "batch_size"}
_TOP_KEYS = {"title", "dataset", "network", "optimizer", "steps", "record_every", "seed", "compare"}


@dataclass(frozen=True)
class RunConfig:
    """One configuration of a run: the network's shape and the optimizer's settings."""

    hidden: tuple[int, ...] = (100, 100, 100)
    activation: str = "sigmoid"
    norm: str = "none"
    input_norm: str = "none"
    init: str = "normal"
    eps: float = 1e-5
    bn_momentum: float = 0.1
    optimizer: str = "sgd"
    lr: float = 0.5
    momentum: float = 0.0
    batch_size: int = 60

    def spec(self, data: Dataset) -> NetworkSpec:
        """The network for `data`: its features in, its classes out."""
        return self.network(data.n_features, data.n_classes)

    def network(self, n_inputs: int, n_classes: int) -> NetworkSpec:
        """The network of this configuration between `n_inputs` inputs and `n_classes` classes
        (ValueError, naming the field, for a setting no network can have)."""
        return NetworkSpec(
            (n_inputs, *self.hidden, n_classes),
            activation=self.activation,
            norm=self.norm,
            input_norm=self.input_norm,
            eps=self.eps,
            momentum=self.bn_momentum,
            init=self.init,
        )

    def trainer(self, data: Dataset, seed: int, record_every: int) -> Trainer:
        from normgui.core.training.loop import Trainer

        return Trainer(
            self.spec(data),
            data,
            batch_size=self.batch_size,
            lr=self.lr,
            optimizer=self.optimizer,
            momentum=self.momentum,
            seed=seed,
            record_every=record_every,
        )


@dataclass(frozen=True)
class Preset:
    """A training run (A) and, optionally, the configuration B to compare it with."""

    dataset: str | Mapping[str, str]
    a: RunConfig = field(default_factory=RunConfig)
    b: RunConfig | None = None
    steps: int = 1000
    record_every: int = 50
    seed: int = 0
    title: str = ""
    base: Path | None = None  # the folder a CSV dataset's path is relative to

    def load_data(self) -> Dataset:
        if isinstance(self.dataset, str):
            return load_dataset(self.dataset, seed=self.seed)
        path = Path(self.dataset["csv"])
        if self.base is not None and not path.is_absolute():
            path = self.base / path
        return load_csv(path, self.dataset["label_column"])

    def runs(self, data: Dataset | None = None) -> dict[str, Iterator[Record]]:
        """The records of A (and B), each from step 0 to `steps`, as iterators."""
        data = self.load_data() if data is None else data
        configs = {"A": self.a} if self.b is None else {"A": self.a, "B": self.b}
        return {
            name: config.trainer(data, self.seed, self.record_every).records(self.steps)
            for name, config in configs.items()
        }


def preset_from_dict(raw: object, base: Path | None = None) -> Preset:
    """A Preset from parsed JSON; ValueError naming the field for anything wrong."""
    top = _object(raw, "the preset", _TOP_KEYS)
    if "dataset" not in top:
        raise ValueError("dataset: a preset names its data (" + ", ".join(DATASETS) + ")")
    dataset = _dataset(top["dataset"])
    a = _config(RunConfig(), top.get("network", {}), top.get("optimizer", {}), "")
    b = None
    if "compare" in top:
        compare = _object(top["compare"], "compare", {"network", "optimizer"})
        b = _config(a, compare.get("network", {}), compare.get("optimizer", {}), "compare.")
    preset = Preset(
        dataset=dataset,
        a=a,
        b=b,
        steps=whole_number(top.get("steps", 1000), "steps", 0),
        record_every=whole_number(top.get("record_every", 50), "record_every", 1),
        seed=whole_number(top.get("seed", 0), "seed", 0),
        title=str(top.get("title", "")),
        base=base,
    )
    return preset


def load_preset(path: str | Path) -> Preset:
    """Read a preset file; ValueError (in words) when it cannot be read or is not valid."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"there is no file {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"{p} cannot be read as text: {exc}") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{p} is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return preset_from_dict(raw, p.parent)


def shipped_presets() -> dict[str, Preset]:
    """The presets normgui ships (resources/training), by file name without .json, sorted."""
    folder = resources.files("normgui.resources") / "training"
    out = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            name = entry.name.removesuffix(".json")
            try:
                out[name] = preset_from_dict(json.loads(entry.read_text(encoding="utf-8")))
            except (ValueError, json.JSONDecodeError) as exc:
                raise ValueError(f"the shipped preset {entry.name} is broken: {exc}") from None
    return out


def _config(start: RunConfig, network: object, optimizer: object, prefix: str) -> RunConfig:
    net = _object(network, f"{prefix}network", _NETWORK_KEYS)
    opt = _object(optimizer, f"{prefix}optimizer", _OPTIMIZER_KEYS)
    changes: dict[str, Any] = {}
    if "hidden" in net:
        hidden = net["hidden"]
        if not isinstance(hidden, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in hidden
        ):
            raise ValueError(f"{prefix}network.hidden: a list of layer sizes (whole numbers ≥ 1)")
        changes["hidden"] = tuple(hidden)
    for key in ("activation", "norm", "input_norm", "init"):
        if key in net:
            changes[key] = _text(net[key], f"{prefix}network.{key}")
    if "eps" in net:
        changes["eps"] = _number(net["eps"], f"{prefix}network.eps")
    if "momentum" in net:
        changes["bn_momentum"] = _number(net["momentum"], f"{prefix}network.momentum")
    if "name" in opt:
        changes["optimizer"] = _text(opt["name"], f"{prefix}optimizer.name")
    for key in ("lr", "momentum"):
        if key in opt:
            changes[key] = _number(opt[key], f"{prefix}optimizer.{key}")
    if "batch_size" in opt:
        changes["batch_size"] = whole_number(opt["batch_size"], f"{prefix}optimizer.batch_size", 1)
    return replace(start, **changes)


def preset_to_dict(preset: Preset) -> dict[str, Any]:
    """The JSON form of a preset (what `preset_from_dict` reads back to an equal Preset)."""
    out: dict[str, Any] = {
        "dataset": preset.dataset if isinstance(preset.dataset, str) else dict(preset.dataset)
    }
    if preset.title:
        out["title"] = preset.title
    out.update(_config_dict(preset.a))
    out.update(steps=preset.steps, record_every=preset.record_every, seed=preset.seed)
    if preset.b is not None:
        out["compare"] = _config_dict(preset.b)
    return out


def _config_dict(config: RunConfig) -> dict[str, Any]:
    values = {f.name: getattr(config, f.name) for f in fields(config)}
    return {
        "network": {
            "hidden": list(values["hidden"]),
            "activation": values["activation"],
            "norm": values["norm"],
            "input_norm": values["input_norm"],
            "init": values["init"],
            "eps": values["eps"],
            "momentum": values["bn_momentum"],
        },
        "optimizer": {
            "name": values["optimizer"],
            "lr": values["lr"],
            "momentum": values["momentum"],
            "batch_size": values["batch_size"],
        },
    }


def _dataset(value: object) -> str | Mapping[str, str]:
    if isinstance(value, str):
        if value not in DATASETS:
            raise ValueError(f"dataset: {value!r} is not one of {', '.join(DATASETS)}")
        return value
    spec = _object(value, "dataset", {"csv", "label_column"})
    if not isinstance(spec.get("csv"), str) or not isinstance(spec.get("label_column"), (str, int)):
        raise ValueError('dataset: a CSV is given as {"csv": "file.csv", "label_column": "name"}')
    return {"csv": spec["csv"], "label_column": str(spec["label_column"])}


def _object(value: object, name: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be a JSON object {{…}}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValueError(
            f"{name}: unknown field {unknown[0]!r}; the fields are {', '.join(sorted(allowed))}"
        )
    return value


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    return float(value)


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{name} must be a text, not {value!r}")
    return value
