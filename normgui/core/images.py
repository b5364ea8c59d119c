"""Pictures as data: the pixels of an image as rows and columns, and back.

Two ways to lay an image out, as the two ways networks see one:

- one row per pixel, its channels (grey, or red, green and blue) as the features: what a CNN's
  per-channel input normalization works on (statistics over all pixels, per channel);
- one row per image, its pixels as the features: what a fully connected network sees.

Decoding the file is the Qt side's job (Qt's image reader, no new dependency); it hands the
pixels over as a (height, width, channels) array of 0..255, and everything after that is numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import NDArray

from normgui.core.types import FloatArray

# The most pixels an imported picture keeps (larger ones are scaled down, with a note): a row
# per pixel makes a table of this many rows, and its picture is drawn at every stage.
MAX_PIXELS: Final = 128 * 128
# One row per image: its pixels are the features, and the stages plot follows them all.
MAX_PIXELS_PER_ROW: Final = 48 * 48


@dataclass(frozen=True)
class ImageLayout:
    """How the rows and columns of input A form a picture."""

    height: int
    width: int
    channels: int  # 1 (grey) or 3 (red, green, blue)
    per_image: bool = False  # one row per image (pixels as features), else one row per pixel

    def __post_init__(self) -> None:
        for name in ("height", "width"):
            value = getattr(self, name)
            if isinstance(value, bool) or int(value) != value or value < 1:
                raise ValueError(f"the picture's {name} must be a whole number ≥ 1")
        if self.channels not in (1, 3):
            raise ValueError("a picture has 1 channel (grey) or 3 (red, green, blue)")

    @property
    def shape(self) -> tuple[int, int]:
        """The (rows, columns) of one picture's data."""
        pixels = self.height * self.width
        return (1, pixels * self.channels) if self.per_image else (pixels, self.channels)

    def fits(self, data: FloatArray) -> bool:
        """Whether `data` still has this picture's shape (one picture, or one per row)."""
        rows, columns = self.shape
        if self.per_image:
            return data.ndim == 2 and data.shape[1] == columns
        return data.shape == (rows, columns)

    def describe(self) -> str:
        colour = "grey" if self.channels == 1 else "red, green, blue"
        if self.per_image:
            return f"{self.width} × {self.height} pixels ({colour}) as one row"
        return f"{self.width} × {self.height} pixels, one row each ({colour})"


def scaled_size(height: int, width: int, limit: int) -> tuple[int, int]:
    """The largest size of the same shape with at most `limit` pixels (the size itself if it
    has no more)."""
    if height * width <= limit:
        return height, width
    factor = math.sqrt(limit / (height * width))
    return max(1, int(height * factor)), max(1, int(width * factor))


def to_rows(pixels: NDArray[np.generic], per_image: bool) -> tuple[FloatArray, ImageLayout]:
    """The data of a picture: `pixels` is (height, width) or (height, width, channels) with 1 or
    3 channels. Returns the rows and the layout that turns them back into the picture."""
    arr = np.asarray(pixels, dtype=np.float64)
    if arr.ndim == 2:
        arr = arr[:, :, np.newaxis]
    if arr.ndim != 3 or arr.shape[2] not in (1, 3):
        raise ValueError("a picture is height × width pixels of 1 or 3 channels")
    height, width, channels = arr.shape
    layout = ImageLayout(height, width, channels, per_image)
    return arr.reshape(layout.shape), layout


def picture(values: FloatArray, layout: ImageLayout, row: int = 0) -> FloatArray:
    """The picture (height, width, channels) that `values` (data of the layout's shape) hold;
    for one row per image, that of `row`."""
    flat = values[row] if layout.per_image else values
    return np.asarray(flat, dtype=np.float64).reshape(layout.height, layout.width, layout.channels)


def to_grey_levels(image: FloatArray) -> NDArray[np.uint8]:
    """An image's values stretched over 0..255 by their own lowest and highest (as a plot of
    each stage does), so that only what the picture shows is compared, not the numbers."""
    lo, hi = float(np.min(image)), float(np.max(image))
    if not hi > lo:
        return np.full(image.shape, 128, dtype=np.uint8)
    return np.round((image - lo) * (255.0 / (hi - lo))).astype(np.uint8)
