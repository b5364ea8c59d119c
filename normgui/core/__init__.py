"""normgui's engine, pure numpy: normalizations, activations, regimes, invariances, parsing,
and the pipeline compute(State) -> Frame. Usable from a notebook; never imports Qt."""

from normgui.core.activations import (
    ACTIVATIONS,
    RegimeSettings,
    RegimeSummary,
    activate,
    activate_grad,
    regime_bounds,
    regime_summary,
)
from normgui.core.data_invariance import data_invariance, data_invariance_table
from normgui.core.invariance import invariance_changes, invariance_table
from normgui.core.methods import METHODS
from normgui.core.normalize import RunningStats, normalize, update_running_stats
from normgui.core.parsing import ParseError, format_vectors, parse_vectors
from normgui.core.pipeline import Frame, compute
from normgui.core.state import State

__all__ = [
    "ACTIVATIONS",
    "METHODS",
    "Frame",
    "ParseError",
    "RegimeSettings",
    "RegimeSummary",
    "RunningStats",
    "State",
    "activate",
    "activate_grad",
    "compute",
    "data_invariance",
    "data_invariance_table",
    "format_vectors",
    "invariance_changes",
    "invariance_table",
    "normalize",
    "parse_vectors",
    "regime_bounds",
    "regime_summary",
    "update_running_stats",
]
