"""Lecture mode: scenes with their caption bar, presentation mode, parameter animation, and the
plots exported to files and the clipboard.

Run on its own for a look at a scene's caption: ``python -m normgui.qt.lecture [SCENE-ID]
[--large]``.
"""

from __future__ import annotations

from normgui.qt.lecture.animation import AnimationBar, Animator
from normgui.qt.lecture.caption import CaptionBar
from normgui.qt.lecture.controller import Lecture
from normgui.qt.lecture.export import copy_to_clipboard, save_plots, save_svg, svg_bytes
from normgui.qt.lecture.presentation import PresentationMode

__all__ = [
    "AnimationBar",
    "Animator",
    "CaptionBar",
    "Lecture",
    "PresentationMode",
    "copy_to_clipboard",
    "save_plots",
    "save_svg",
    "svg_bytes",
]
