"""Limits shared by the State and the importers, in a module of their own so that the importers
(which the datasets, and through them the training setup in the State, use) need not import
the State."""

from __future__ import annotations

from typing import Final

# More values than this would not fit a picture nor, comfortably, the memory of a laptop.
MAX_VALUES: Final = 10_000_000
