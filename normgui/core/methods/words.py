"""What a method says about itself: its explanation lines and the words for its slopes.

Each method module writes its own (`explain` and `slope_words` of its Method) from the numbers
its Stats hold; `Steps` and `SlopeView` are what it is given. A method that writes none gets the
general words below, which say what any normalization does: x̂ = (x − shift)/scale.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from normgui.core.formatting import MINUS, deviation_sum, num, result, short, signed_sum, vector
from normgui.core.methods.base import Stats
from normgui.core.types import FloatArray


@dataclass(frozen=True)
class Line:
    """One step: its general `formula`, the same with the numbers in (`text`), and its value."""

    key: str
    formula: str
    text: str
    value: float | None = None


def minus(a: float, b: float) -> str:
    """'3 − 2.5', or '3 + 2.5' for b = −2.5."""
    return f"{num(a)} + {num(-b)}" if b < 0 else f"{num(a)} {MINUS} {num(b)}"


@dataclass
class Steps:
    """The explanation of one element being written: what a method's `explain` is given.

    `stats` are the method's statistics of `data` (None where it refused the data), the sample
    is row `row` of it; `x` is the sample, `column` the selected feature over the batch (for a
    method whose statistics are over each feature), `who` says which samples that batch holds.
    """

    j: str  # the element's subscript
    feature: int
    x: FloatArray
    column: FloatArray | None
    who: str
    stats: Stats | None
    row: int
    eps: float
    xhat: float
    training: bool = True
    steps_taken: int = 0
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, formula: str, text: str, value: float | None = None) -> None:
        self.lines.append(Line(key, formula, text, None if value is None else float(value)))

    def at(self, a: NDArray[Any]) -> float:
        """A statistic (broadcastable against the data) at the selected element."""
        return float(a[self.row if a.shape[0] > 1 else 0, self.feature if a.shape[1] > 1 else 0])

    def stat(self, name: str) -> float:
        """The named statistic at the selected element."""
        if self.stats is None:
            raise ValueError("the method refused this data: it has no statistics")
        return self.at(self.stats.named[name])

    def fired(self) -> bool:
        """Whether a convention of the method took over at the selected element."""
        return self.stats is not None and bool(self.at(self.stats.fired))

    @property
    def xj(self) -> float:
        return float(self.x[self.feature])

    def sample_line(self) -> None:
        self.add("x", "the sample", f"x = {vector(self.x.tolist())}")

    def column_line(self) -> FloatArray:
        """The line that shows the feature over the batch; its values."""
        col = self.column if self.column is not None else self.x[self.feature : self.feature + 1]
        self.add(
            "column",
            f"feature {self.feature + 1} over the batch",
            f"x{self.j} over {self.who} = {vector(col.tolist())}",
        )
        return col

    def mean_var(self, values: FloatArray, sym: str = "", over: str = "d") -> tuple[float, float]:
        """The lines of the mean and the biased variance of `values`, from the statistics."""
        mean, var = self.stat("mean"), self.stat("var")
        n = values.size
        self.add(
            "mean",
            f"μ{sym} = Σ x / {over}",
            f"μ{sym} = ({signed_sum(values.tolist())})/{n} = {num(mean)}",
            mean,
        )
        self.add(
            "var",
            f"σ{sym}² = Σ (x − μ)² / {over}",
            f"σ{sym}² = ({deviation_sum(values.tolist(), mean)})/{n} = {num(var)}",
            var,
        )
        return mean, var

    def xhat_centred(self, mean: float, var: float, sym: str = "") -> None:
        j = self.j
        self.add(
            "xhat",
            f"x̂{j} = (x{j} − μ{sym})/√(σ{sym}² + ε)",
            f"x̂{j} = ({minus(self.xj, mean)})/√({num(var)} + {num(self.eps)}) = "
            f"{result(self.xhat)}",
            self.xhat,
        )


@dataclass(frozen=True)
class SlopeView:
    """What a method's `slope_words` is given: its statistics of `data` and the selected element
    (row `row`, column `feature` of `data`), the slope found there, and how to name things."""

    stats: Stats
    data: FloatArray
    row: int
    feature: int
    slope: float  # ∂x̂/∂x of the element on itself
    label: str  # "feature 3" (over a batch) or "the sample"
    eps: float
    column: bool

    @property
    def n(self) -> int:
        return int(self.data.shape[0])

    def at(self, array: FloatArray) -> float:
        """A statistic broadcast against `data`, at the selected element."""
        return float(np.broadcast_to(array, self.data.shape)[self.row, self.feature])

    def fired(self) -> bool:
        return bool(np.broadcast_to(self.stats.fired, self.data.shape)[self.row, self.feature])

    def scale(self) -> float:
        """The scale at the selected element, in the data's units."""
        return self.at(self.stats.gain)


ExplainLines = Callable[[Steps], None]
SlopeWords = Callable[[SlopeView], tuple[str, list[str]]]


def general_explain(label: str) -> ExplainLines:
    """Lines for a method that writes none: its shift and scale, and x̂ from them."""

    def lines(steps: Steps) -> None:
        if steps.stats is None:
            raise ValueError(f"{label} cannot normalize this data, so it has nothing to explain")
        j = steps.j
        shift, scale = steps.at(steps.stats.offset), steps.at(steps.stats.gain)
        steps.add("shift", f"the shift of {label}", f"shift = {num(shift)}", shift)
        steps.add("scale", f"the scale of {label}", f"scale = {num(scale)}", scale)
        steps.add(
            "xhat",
            f"x̂{j} = (x{j} − shift)/scale",
            f"x̂{j} = ({minus(steps.xj, shift)})/{num(scale)} = {result(steps.xhat)}",
            steps.xhat,
        )

    return lines


def general_slope_words(label: str) -> SlopeWords:
    """Words for a method that writes none: what it divides by."""

    def words(view: SlopeView) -> tuple[str, list[str]]:
        over = f"{view.label} over the {view.n} samples" if view.column else "the sample"
        how = (
            f"{label} divides by a scale of {short(view.scale())} taken from {over}; "
            "its statistics move with x too"
        )
        return how, []

    return words
