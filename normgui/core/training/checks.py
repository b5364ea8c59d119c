"""The one check of a whole number read from a file, a preset or a setup, and its message."""

from __future__ import annotations


def whole_number(value: object, name: str, least: int, most: int | None = None) -> int:
    """`value` if it is a whole number from `least` to `most` (no upper bound if None); else a
    ValueError naming `name`, the numbers allowed and what was given. True and False are not
    numbers here, though Python counts them as 1 and 0."""
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or value < least
        or (most is not None and value > most)
    ):
        allowed = f"≥ {least}" if most is None else f"from {least} to {most}"
        raise ValueError(f"{name} must be a whole number {allowed}, not {value!r}")
    return value
