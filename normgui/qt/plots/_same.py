"""Whether A and B coincide as the plots draw them: then B's marks sitting under A's would hide
it, so the plots draw B as an outline around A and say so in words."""

from __future__ import annotations

from typing import Final

from normgui.core.methods import get_method
from normgui.core.pipeline import Frame
from normgui.core.readouts import ab_coincide
from normgui.core.types import FloatArray

# A and B count as the same on a plot when their x̂ agree to three significant figures, as the
# readouts print them: far below a pixel at any zoom the plots offer, so the marks fall on top of
# each other (ε leaves differences of ~1e-6 that no plot can show).
DISPLAY_RTOL: Final = 1e-3

# The last answer, with the arrays it was for: while γ or β move the normalization is reused,
# and every plot asks again on every frame; comparing a million values each time would cost
# milliseconds. The arrays are held, so their ids cannot be taken by others meanwhile.
_last: tuple[FloatArray, FloatArray, bool] | None = None


def ab_same(frame: Frame) -> bool:
    """Whether B is shown and its x̂ equal A's, element by element, to the display's precision
    (then γ·x̂ + β and the activation are equal too: γ and β are the same for both)."""
    global _last
    if frame.b is None:
        return False
    a, b = frame.a.normalized, frame.b.normalized
    if _last is not None and _last[0] is a and _last[1] is b:
        return _last[2]
    same = bool(ab_coincide(frame, DISPLAY_RTOL))
    _last = (a, b, same)
    return same


def same_words(frame: Frame) -> str:
    """The line that says so (HTML), or "" when A and B differ."""
    if not ab_same(frame):
        return ""
    method = get_method(frame.state.method).label
    return f"<b>A and B coincide after {method}</b>: B is drawn around A"
