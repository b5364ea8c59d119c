"""The regimes shaded on the Training page's plots 2 and 4: each run's own, since A and B may
have different activations — A's filled, B's hatched and outlined over them — in the item the
Layer page shades its regimes with (normgui.qt.plots._bands), under the regime settings the
records count with."""

from __future__ import annotations

from typing import Final

# isort: split
import pyqtgraph as pg  # after PySide6, so that pyqtgraph binds to it and not to another Qt

from normgui.core.activations import RegimeSettings, bounds_for
from normgui.core.training.setup import TrainingSetup
from normgui.qt.plots._bands import RegimeBands
from normgui.qt.plots._items import Span
from normgui.qt.plots._style import function_symbol
from normgui.qt.theme import Theme

# The regime settings a run's records count its units' regimes with (core.training.records):
# the defaults, whatever the Layer page's settings are.
RECORDS_REGIME: Final = RegimeSettings()


def near_zero(activation: str) -> Span:
    """The least value range of a plot of `activation`'s input: its linear band around 0 and a
    little more (a band that runs on, ReLU's, gives ±1)."""
    z_linear, _ = bounds_for(activation, RECORDS_REGIME)
    reach = 1.15 * z_linear if z_linear < float("inf") else 1.0
    return -reach, reach


class RunBands:
    """A's regime bands on a plot, and B's over them when B's activation is not A's; across
    the plot's x axis (`across_x`, as on the activation curve) or its y axis (over training)."""

    def __init__(self, plot: pg.PlotItem, across_x: bool) -> None:
        self.a = RegimeBands(plot, across_x)
        self.b = RegimeBands(plot, across_x, hatched=True)
        self.b.setVisible(False)

    def set_theme(self, theme: Theme) -> None:
        self.a.set_theme(theme)
        self.b.set_theme(theme)

    def show(self, setup: TrainingSetup, b_shown: bool) -> bool:
        """The bands of `setup`'s activations; whether B's are drawn apart from A's."""
        self.a.set_regimes(setup.a.activation, RECORDS_REGIME)
        apart = b_shown and setup.b.activation != setup.a.activation
        if apart:
            self.b.set_regimes(setup.b.activation, RECORDS_REGIME)
        self.b.setVisible(apart)
        return apart


def bands_key(setup: TrainingSetup, apart: bool) -> str:
    """A line saying what B's hatched bands are (empty when B has A's activation)."""
    if not apart:
        return ""
    return (
        f"hatched: B's {function_symbol(setup.b.activation)} regimes "
        f"(A's {function_symbol(setup.a.activation)} filled)"
    )
