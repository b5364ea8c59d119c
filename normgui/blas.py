"""How many threads numpy's matrix products use.

numpy's BLAS starts a thread per core for every matrix product. On the small matrices of
normgui (a 60×100 batch through a 100-unit layer) those threads cost more than they give, and on
a 2-core machine they spin against each other, the window and a training worker: measured,
a 64-100-100-100-10 network trained at 50 steps/s with them and 1900 with one. The libraries
read these variables once, when they load, so they must be set before numpy is imported.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from typing import Final

BLAS_THREAD_VARIABLES: Final = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def prefer_single_threaded_blas() -> None:
    """One BLAS thread for this process, unless the user set the variables (call it first)."""
    for name in BLAS_THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


@contextlib.contextmanager
def single_threaded_blas() -> Iterator[None]:
    """The environment a child process started inside this block inherits: one BLAS thread
    (the variables are put back afterwards)."""
    saved = {name: os.environ.get(name) for name in BLAS_THREAD_VARIABLES}
    os.environ.update(dict.fromkeys(BLAS_THREAD_VARIABLES, "1"))
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
