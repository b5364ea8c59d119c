"""Sessions: File → New, Open, Open Recent, Save and Save As, and the autosave that brings the
last session back after a quit or a crash."""

from __future__ import annotations

from normgui.qt.sessions.autosave import Autosaver, start_autosave
from normgui.qt.sessions.session_actions import SessionActions

__all__ = ["Autosaver", "SessionActions", "start_autosave"]
