"""Controls shared by the panels: number widgets (spin boxes that read numbers as people write
them, sliders kept in step with them) and the parameter editors generated from a ParamSpec."""

from __future__ import annotations

from normgui.qt.widgets.number_widgets import (
    CompactComboBox,
    NumberSpinBox,
    SliderSpin,
    WheelWhenFocusedSlider,
    WholeSpinBox,
)
from normgui.qt.widgets.param_widgets import LogEditor, ParamEditor, make_editor

__all__ = [
    "CompactComboBox",
    "LogEditor",
    "NumberSpinBox",
    "ParamEditor",
    "SliderSpin",
    "WheelWhenFocusedSlider",
    "WholeSpinBox",
    "make_editor",
]
