"""normgui: see what normalization does inside a neural network."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("normgui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
