"""normgui's engine, pure numpy: normalizations, activations, regimes, invariances, parsing,
and the pipeline compute(State) -> Frame. Usable from a notebook; never imports Qt.

The names below are imported on first use: importing any module of this package runs this file
first, and the window's start should not pay for what it does not draw yet (the invariance
tables, say).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
# The module each of those names lives in.
_WHERE = {
    "activations": (
        "ACTIVATIONS",
        "RegimeSettings",
        "RegimeSummary",
        "activate",
        "activate_grad",
        "regime_bounds",
        "regime_summary",
    ),
    "data_invariance": ("data_invariance", "data_invariance_table"),
    "invariance": ("invariance_changes", "invariance_table"),
    "methods": ("METHODS",),
    "normalize": ("RunningStats", "normalize", "update_running_stats"),
    "parsing": ("ParseError", "format_vectors", "parse_vectors"),
    "pipeline": ("Frame", "compute"),
    "state": ("State",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # found here from now on
    return value
