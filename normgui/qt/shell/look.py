"""The whole window in the theme's colours: a dark theme darkens the panels, menus, tables and
dialogs too, not only the plots.

The palette is the application's: widgets with a style sheet of their own (the input entries,
whose red frame marks an error) take their colours from it, not from their parent's palette.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QDockWidget

from normgui.qt.plots._style import mix
from normgui.qt.theme import Theme


def dark_palette(theme: Theme) -> QPalette:
    """A palette for widgets in the colours of a dark `theme`."""
    back, fore = QColor(theme.background), QColor(theme.foreground)
    panel = QColor(mix(theme.foreground, theme.background, 0.06))
    button = QColor(mix(theme.foreground, theme.background, 0.14))
    muted = QColor(mix(theme.foreground, theme.background, 0.5))
    highlight = QColor(theme.series[0])
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in (
        (roles.Window, panel),
        (roles.WindowText, fore),
        (roles.Base, back),
        (roles.AlternateBase, panel),
        (roles.Text, fore),
        (roles.Button, button),
        (roles.ButtonText, fore),
        (roles.BrightText, QColor("#FFFFFF")),
        (roles.ToolTipBase, button),
        (roles.ToolTipText, fore),
        (roles.PlaceholderText, muted),
        (roles.Highlight, highlight),
        (roles.HighlightedText, QColor("#000000")),
        (roles.Link, highlight),
        (roles.Light, button.lighter(140)),
        (roles.Midlight, button.lighter(120)),
        (roles.Mid, button.darker(120)),
        (roles.Dark, back.darker(140)),
        (roles.Shadow, QColor("#000000")),
    ):
        palette.setColor(role, colour)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, muted)
    return palette


# The palette the application started with, to go back to from a dark one.
_STARTING: dict[str, QPalette] = {}


def apply_look(theme: Theme, dark: bool) -> None:
    """Give every window the colours of `theme`: a dark palette when `dark`, else the palette
    the application started with."""
    starting = _STARTING.setdefault("palette", QPalette(QApplication.palette()))
    QApplication.setPalette(dark_palette(theme) if dark else starting)


def name_dock_buttons(dock: QDockWidget) -> None:
    """Tooltips for the Float and Close buttons of `dock`'s title bar (Qt gives them none)."""
    title = dock.windowTitle()
    for name, tip in (
        ("qt_dockwidget_floatbutton", f"Float the {title} panel in a window of its own"),
        ("qt_dockwidget_closebutton", f"Close the {title} panel (the View menu brings it back)"),
    ):
        button = dock.findChild(QAbstractButton, name)
        if button is not None:
            button.setToolTip(tip)
