"""normgui: see what normalization does inside a neural network."""

# The one place the version is written: pyproject.toml reads it from here. (Asking
# importlib.metadata instead costs some 15 ms of every start-up.)
__version__ = "0.1.0"
