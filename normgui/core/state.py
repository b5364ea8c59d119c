"""The whole truth of what the app shows, as one immutable value."""

from __future__ import annotations

import dataclasses
import weakref
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike

from normgui.core.activations import ACTIVATIONS, RegimeSettings
from normgui.core.images import ImageLayout
from normgui.core.limits import MAX_VALUES
from normgui.core.normalize import METHODS, RunningStats
from normgui.core.training.setup import TrainingSetup
from normgui.core.types import FloatArray

STATS_SOURCES: Final = ("joint", "each")


# Arrays this module has already checked and frozen, by id: a State made from another State's
# arrays (every `replace`) reuses them instead of copying and checking a million values again.
_VALIDATED: weakref.WeakValueDictionary[int, np.ndarray] = weakref.WeakValueDictionary()


def as_data(values: ArrayLike, name: str = "the data") -> FloatArray:
    """A read-only 2-D float64 copy of `values`, or ValueError saying what is wrong."""
    if isinstance(values, np.ndarray) and _VALIDATED.get(id(values)) is values:
        return values
    try:
        arr = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers in rows and columns") from exc
    if arr.ndim == 1:
        arr = arr[np.newaxis, :]
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a vector or a table, not {arr.ndim}-D")
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if arr.size > MAX_VALUES:
        raise ValueError(f"{name} has {arr.size:,} values; at most {MAX_VALUES:,} are allowed")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinite values; only finite numbers work")
    arr.flags.writeable = False
    _VALIDATED[id(arr)] = arr
    return arr


def _default_a() -> FloatArray:
    return as_data([[1.0, 2.0, 3.0, 4.0]])


@dataclass(frozen=True, eq=False)
class State:
    """Inputs, method, parameters, activation, regime settings, view options, and the
    Training page's setup.

    Build a changed copy with `state.replace(field=value)`; every State is validated when made,
    so a State that exists can always be computed.
    """

    inputs_a: FloatArray = field(default_factory=_default_a)
    inputs_b: FloatArray | None = None
    compare: bool = False
    # Column-wise methods (BatchNorm, the scalers) take statistics over A and B as one batch
    # ("joint") or over each input on its own ("each").
    stats_source: str = "joint"
    method: str = "layernorm"
    gamma: float = 1.0
    beta: float = 0.0
    per_feature: bool = False
    gamma_features: tuple[float, ...] = ()
    beta_features: tuple[float, ...] = ()
    eps: float | None = None  # None: the method's own default
    groups: int = 2
    feature_range: tuple[float, float] = (0.0, 1.0)
    training: bool = True
    momentum: float = 0.1
    # Every Step of BatchNorm's running statistics, oldest first; the last is in force.
    running_history: tuple[RunningStats, ...] = ()
    input_scale: float = 1.0
    input_shift: float = 0.0
    activation: str = "sigmoid"
    regime: RegimeSettings = field(default_factory=RegimeSettings)
    show_raw: bool = False
    # How input A's rows form a picture, when it was imported from one (see image_shown).
    image: ImageLayout | None = None
    selected_sample: int = 0
    selected_feature: int = 0
    # The Training page's run (its configuration, not its weights nor its records).
    training_setup: TrainingSetup = field(default_factory=TrainingSetup)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "inputs_a", as_data(self.inputs_a, "input A"))
        if self.inputs_b is not None:
            set_(self, "inputs_b", as_data(self.inputs_b, "input B"))
        if self.method not in METHODS:
            raise ValueError(f"unknown normalization {self.method!r}")
        if self.activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {self.activation!r}")
        if self.stats_source not in STATS_SOURCES:
            raise ValueError(f"statistics come from {' or '.join(STATS_SOURCES)}")
        for name in ("gamma", "beta", "input_scale", "input_shift", "momentum"):
            _check_finite(name, getattr(self, name))
        set_(self, "gamma_features", _finite_tuple("gamma", self.gamma_features))
        set_(self, "beta_features", _finite_tuple("beta", self.beta_features))
        if self.eps is not None:
            _check_finite("epsilon", self.eps)
            if self.eps < 0:
                raise ValueError("ε cannot be negative")
        if isinstance(self.groups, bool) or int(self.groups) != self.groups or self.groups < 1:
            raise ValueError("the number of groups must be a whole number ≥ 1")
        set_(self, "groups", int(self.groups))
        low, high = (float(v) for v in self.feature_range)
        _check_finite("feature range", low)
        _check_finite("feature range", high)
        if low >= high:
            raise ValueError("the feature range must go from a smaller to a larger number")
        set_(self, "feature_range", (low, high))
        if not 0.0 <= self.momentum <= 1.0:
            raise ValueError("momentum must be between 0 and 1")
        if not all(isinstance(s, RunningStats) for s in self.running_history):
            raise ValueError("running statistics must be RunningStats")
        if not isinstance(self.regime, RegimeSettings):
            raise ValueError("regime settings must be RegimeSettings")
        if self.image is not None and not isinstance(self.image, ImageLayout):
            raise ValueError("the picture's layout must be an ImageLayout")
        if not isinstance(self.training_setup, TrainingSetup):
            raise ValueError("the training setup must be a TrainingSetup")
        for name in ("selected_sample", "selected_feature"):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < 0:
                raise ValueError(f"{name.replace('_', ' ')} must be a whole number ≥ 0")
            set_(self, name, int(value))

    def replace(self, **changes: Any) -> State:
        """A copy with `changes` applied and validated."""
        return dataclasses.replace(self, **changes)

    @property
    def b_shown(self) -> bool:
        """Whether B is compared with A."""
        return self.compare and self.inputs_b is not None

    @property
    def image_shown(self) -> ImageLayout | None:
        """The picture input A is, while A keeps its shape (an edit that reshapes A makes it
        numbers again; one that only changes values keeps the picture)."""
        return self.image if self.image is not None and self.image.fits(self.inputs_a) else None

    @property
    def running(self) -> RunningStats:
        """BatchNorm's running statistics in force (fresh buffers until the first Step)."""
        n = self.inputs_a.shape[1]
        if self.running_history and self.running_history[-1].n_features == n:
            return self.running_history[-1]
        return RunningStats.initial(n)

    def same_as(self, other: State) -> bool:
        """Whether two States show the same thing (arrays compared by value)."""
        for f in dataclasses.fields(self):
            mine, theirs = getattr(self, f.name), getattr(other, f.name)
            if mine is theirs:  # (a change of γ keeps the inputs: no pass over a million)
                continue
            if isinstance(mine, np.ndarray) or isinstance(theirs, np.ndarray):
                if mine is None or theirs is None or not np.array_equal(mine, theirs):
                    return False
            elif f.name == "running_history":
                if len(mine) != len(theirs) or not all(
                    a.same_as(b) for a, b in zip(mine, theirs, strict=True)
                ):
                    return False
            elif mine != theirs:
                return False
        return True


def _check_finite(name: str, value: float) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise ValueError(f"{name} must be a number")
    if not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number")


def _finite_tuple(name: str, values: tuple[float, ...]) -> tuple[float, ...]:
    out = tuple(float(v) for v in values)
    for v in out:
        _check_finite(name, v)
    return out
