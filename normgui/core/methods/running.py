"""BatchNorm's running statistics, the buffers torch.nn.BatchNorm1d keeps between batches."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from normgui.core.types import FloatArray


@dataclass(frozen=True, eq=False)
class RunningStats:
    """BatchNorm's running statistics (PyTorch's running_mean, running_var, num_batches_tracked)."""

    mean: FloatArray
    var: FloatArray
    count: int = 0

    def __post_init__(self) -> None:
        mean = np.array(self.mean, dtype=np.float64, ndmin=1)
        var = np.array(self.var, dtype=np.float64, ndmin=1)
        if mean.ndim != 1 or mean.shape != var.shape:
            raise ValueError("running mean and variance must be 1-D and of the same length")
        if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(var))):
            raise ValueError("running statistics must be finite numbers")
        if np.any(var < 0):
            raise ValueError("a running variance cannot be negative")
        if self.count < 0:
            raise ValueError("the number of batches tracked cannot be negative")
        mean.flags.writeable = False
        var.flags.writeable = False
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "var", var)

    @classmethod
    def initial(cls, n_features: int) -> RunningStats:
        """The buffers of a fresh torch.nn.BatchNorm1d: mean 0, variance 1, no batch seen."""
        return cls(np.zeros(n_features), np.ones(n_features), 0)

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    def same_as(self, other: RunningStats) -> bool:
        return (
            self.count == other.count
            and np.array_equal(self.mean, other.mean)
            and np.array_equal(self.var, other.var)
        )

    def fitted(self, n_features: int) -> RunningStats:
        """These statistics, or fresh ones when they are for another number of features."""
        return self if self.n_features == n_features else RunningStats.initial(n_features)
