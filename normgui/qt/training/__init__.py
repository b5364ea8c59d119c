"""The Training page: a small network learning, with and without normalization, on real data —
its setup docks, Run / Pause / Step / Reset, the worker that trains off the window's thread,
and four live plots.

Run on its own for a look: ``python -m normgui.qt.training [--thread]``.
"""

from __future__ import annotations

from normgui.qt.training.controller import TrainingController, layer_state
from normgui.qt.training.page import TRAINING_PLOTS, TrainingPage
from normgui.qt.training.setup_panel import DataSetupPanel, NetworkSetupPanel
from normgui.qt.training.worker import TrainingWorker

__all__ = [
    "TRAINING_PLOTS",
    "DataSetupPanel",
    "NetworkSetupPanel",
    "TrainingController",
    "TrainingPage",
    "TrainingWorker",
    "layer_state",
]
