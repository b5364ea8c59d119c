"""Reading a picture (PNG, JPEG, BMP, GIF) with Qt's image reader into rows of numbers.

Qt decodes the file (no other dependency), large pictures are scaled down as they are read,
and the pixels go to normgui.core.images as a numpy array: the core stays free of Qt.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

from normgui.core.images import MAX_PIXELS, MAX_PIXELS_PER_ROW, ImageLayout, scaled_size, to_rows
from normgui.core.importers import DataFileError, checked_file
from normgui.core.types import FloatArray

IMAGE_SUFFIXES: Final = (".png", ".jpg", ".jpeg", ".bmp", ".gif")
LAYOUTS: Final = {
    False: "One row per pixel, its channels (grey, or red, green, blue) as the features",
    True: "One row per image, its pixels as the features",
}


def is_picture(path: str | Path) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def read_picture(path: str | Path, per_image: bool = False) -> tuple[FloatArray, ImageLayout, str]:
    """The picture at `path` as data (see normgui.core.images.to_rows), its layout, and a note
    saying how it was scaled down ("" if it was not). DataFileError if it cannot be read."""
    p = Path(path)
    name = checked_file(p)
    reader = QImageReader(str(p))
    reader.setAutoTransform(True)  # a photo's orientation as it was taken
    size = reader.size()
    if not reader.canRead() or not size.isValid():
        raise DataFileError(f"{name}: not a picture normgui can read (PNG, JPEG, BMP or GIF)")
    limit = MAX_PIXELS_PER_ROW if per_image else MAX_PIXELS
    height, width = scaled_size(size.height(), size.width(), limit)
    note = ""
    if (height, width) != (size.height(), size.width()):
        reader.setScaledSize(QSize(width, height))
        note = (
            f"scaled down from {size.width()} × {size.height()} to {width} × {height} pixels "
            f"(at most {limit:,} pixels)"
        )
    image = reader.read()
    if image.isNull():
        raise DataFileError(f"{name}: the picture cannot be read ({reader.errorString()})")
    return (*to_rows(pixels(image), per_image), note)


def pixels(image: QImage) -> np.ndarray:
    """A QImage's pixels as (height, width, channels) of 0..255: one channel if it is all grey
    (a transparent picture is taken as drawn on black), else red, green and blue."""
    grey = image.allGray()
    channels = 1 if grey else 3
    converted = image.convertToFormat(
        QImage.Format.Format_Grayscale8 if grey else QImage.Format.Format_RGB888
    )
    height, width = converted.height(), converted.width()
    # Rows are padded to 4 bytes: take each row's pixels only.
    raw = np.frombuffer(converted.constBits(), np.uint8, count=converted.sizeInBytes())
    rows = raw.reshape(height, converted.bytesPerLine())[:, : width * channels]
    return rows.reshape(height, width, channels).copy()
