"""The core is pure numpy: importing and using it must load no Qt and no pyqtgraph."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import numpy as np
import normgui.core as core
from normgui.core.pipeline import compute
from normgui.core.state import State
compute(State(inputs_b=np.array([[4.0, 5, 6, 7]]), compare=True, method="batchnorm"))
core.normalize([1.0, 2.0, 3.0], "layernorm")
core.parse_vectors("1, 2; 3, 4")
core.invariance_table()
from normgui.core.datasets import load_dataset
load_dataset("iris")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"))
print(",".join(loaded))
"""


def test_core_loads_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"the core loaded: {result.stdout.strip()}"
