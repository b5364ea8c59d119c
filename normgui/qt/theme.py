"""Colours and sizes of the light, dark and presentation looks.

A and B use the Okabe–Ito palette, which stays distinct for the common colour-vision
deficiencies; the regime bands are pale so that points on them stay readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    grid_alpha: float
    curve: str
    tangent: str
    series: tuple[str, str]  # A, B
    linear_band: tuple[int, int, int, int]  # RGBA
    saturation_band: tuple[int, int, int, int]
    line_width: float
    marker_size: float
    font_pt: int


OKABE_ITO: Final = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "black": "#000000",
}

LIGHT: Final = Theme(
    name="light",
    background="#FFFFFF",
    foreground="#202020",
    grid_alpha=0.15,
    curve="#202020",
    tangent="#7F7F7F",
    series=(OKABE_ITO["blue"], OKABE_ITO["vermillion"]),
    linear_band=(0, 158, 115, 45),  # bluish green
    saturation_band=(204, 121, 167, 45),  # reddish purple
    line_width=2.5,
    marker_size=11,
    font_pt=10,
)

DARK: Final = Theme(
    name="dark",
    background="#1E1F22",
    foreground="#E6E6E6",
    grid_alpha=0.2,
    curve="#E6E6E6",
    tangent="#A0A0A0",
    series=(OKABE_ITO["sky_blue"], OKABE_ITO["orange"]),
    linear_band=(0, 158, 115, 60),
    saturation_band=(204, 121, 167, 60),
    line_width=2.5,
    marker_size=11,
    font_pt=10,
)

# For a projector: black on white, thick lines, big markers, fonts readable from the back row.
PRESENTATION: Final = Theme(
    name="presentation",
    background="#FFFFFF",
    foreground="#000000",
    grid_alpha=0.25,
    curve="#000000",
    tangent="#555555",
    series=(OKABE_ITO["blue"], OKABE_ITO["vermillion"]),
    linear_band=(0, 158, 115, 70),
    saturation_band=(204, 121, 167, 70),
    line_width=5.0,
    marker_size=20,
    font_pt=20,
)

THEMES: Final = {t.name: t for t in (LIGHT, DARK, PRESENTATION)}
