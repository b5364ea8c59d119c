"""Pictures as data, without Qt: rows per pixel or per image and back, scaling sizes, and the
State's picture following A's shape."""

from __future__ import annotations

import numpy as np
import pytest

from normgui.core.images import ImageLayout, picture, scaled_size, to_grey_levels, to_rows
from normgui.core.state import State

PIXELS = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)  # 2 high, 3 wide, RGB


def test_rows_per_pixel_and_per_image_give_the_picture_back() -> None:
    rows, layout = to_rows(PIXELS, per_image=False)
    assert rows.shape == (6, 3) and rows[1].tolist() == [3.0, 4.0, 5.0]  # pixel (x=1, y=0)
    assert np.array_equal(picture(rows, layout), PIXELS)
    one, per_image = to_rows(PIXELS, per_image=True)
    assert one.shape == (1, 18) and per_image.shape == (1, 18)
    assert np.array_equal(picture(np.vstack([one, one + 1]), per_image, row=1), PIXELS + 1)
    grey, grey_layout = to_rows(PIXELS[:, :, 0], per_image=False)
    assert grey.shape == (6, 1) and grey_layout.channels == 1


def test_sizes_layouts_and_levels() -> None:
    assert scaled_size(300, 400, 128 * 128) == (110, 147)
    assert scaled_size(10, 10, 100) == (10, 10)
    with pytest.raises(ValueError, match="1 channel"):
        ImageLayout(2, 2, 2)
    with pytest.raises(ValueError, match="height"):
        ImageLayout(0, 2, 1)
    assert to_grey_levels(np.array([[-1.0, 0.0, 1.0]])).tolist() == [[0, 128, 255]]
    assert to_grey_levels(np.full((2, 2), 5.0)).tolist() == [[128, 128], [128, 128]]


def test_the_state_shows_a_picture_while_a_keeps_its_shape() -> None:
    rows, layout = to_rows(PIXELS, per_image=False)
    state = State(inputs_a=rows, image=layout)
    assert state.image_shown == layout
    assert state.replace(inputs_a=rows * 2).image_shown == layout  # new values, same picture
    assert state.replace(inputs_a=[[1.0, 2.0]]).image_shown is None
    with pytest.raises(ValueError, match="ImageLayout"):
        State(image=(2, 3, 3))  # type: ignore[arg-type]
