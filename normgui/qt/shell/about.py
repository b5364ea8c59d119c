"""normgui's identity: its app id, its icon, and Help → About (versions and licences)."""

from __future__ import annotations

import html
import platform
from importlib.resources import files
from typing import Final

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

# The reverse-DNS id of the desktop entry, the AppStream metainfo and the icon (lower case, as
# AppStream asks); Qt's desktop file name and Wayland's app_id.
APP_ID: Final = "org.normgui.normgui"
# The sizes the hicolor theme, the window and the installers get.
ICON_SIZES: Final = (16, 24, 32, 48, 64, 128, 256, 512)
# Up to this size the simplified drawing, aligned to the pixel grid, reads better.
_SMALL_ICON_MAX: Final = 24

QT_SOURCE_URL: Final = "https://download.qt.io/official_releases/qt/"
PYSIDE_SOURCE_URL: Final = "https://code.qt.io/cgit/pyside/pyside-setup.git/"
LGPL3_URL: Final = "https://www.gnu.org/licenses/lgpl-3.0.html"

# (component, licence, where its text and source are)
LICENCES: Final = (
    ("normgui", "MIT", "https://opensource.org/license/mit"),
    ("Qt", "LGPL-3.0", QT_SOURCE_URL),
    ("PySide6 and shiboken6", "LGPL-3.0", PYSIDE_SOURCE_URL),
    ("pyqtgraph", "MIT", "https://github.com/pyqtgraph/pyqtgraph"),
    ("numpy", "BSD-3-Clause", "https://github.com/numpy/numpy"),
)


def icon_svg(size: int) -> bytes:
    """The SVG drawing of the icon best suited to `size` pixels."""
    name = "normgui-small.svg" if size <= _SMALL_ICON_MAX else "normgui.svg"
    return files("normgui.resources").joinpath("icons", name).read_bytes()


def icon_image(size: int) -> QImage:
    """The icon rendered at `size`×`size` pixels, transparent around the rounded square."""
    renderer = QSvgRenderer(QByteArray(icon_svg(size)))
    if not renderer.isValid():
        raise ValueError("the icon's SVG could not be read")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def app_icon() -> QIcon:
    """normgui's icon in every size, for the window, the taskbar and the dialogs.

    Rendered from the SVG with QtSvg itself, so it needs no image-format or icon-engine plugin.
    """
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(QPixmap.fromImage(icon_image(size)))
    return icon


def versions() -> dict[str, str]:
    """The versions of normgui and of what it runs on, for the About box and bug reports."""
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    from normgui import __version__

    return {
        "normgui": __version__,
        "Qt": qVersion(),
        "PySide6": PySide6.__version__,
        "pyqtgraph": str(pyqtgraph.__version__),
        "numpy": numpy.__version__,
        "Python": platform.python_version(),
        "Platform": f"{platform.system()} {platform.machine()}, Qt platform "
        f"{QGuiApplication.platformName() or '?'}",
    }


def versions_text() -> str:
    """The versions as plain text lines, as "Copy versions" puts them on the clipboard."""
    return "\n".join(f"{name}: {value}" for name, value in versions().items())


def about_html() -> str:
    """The About text: what normgui is, the versions, and the licences with Qt's LGPL note."""
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>&nbsp;&nbsp;{html.escape(value)}</td></tr>"
        for name, value in versions().items()
    )
    licences = "".join(
        f'<li>{html.escape(name)}: {html.escape(licence)} — <a href="{url}">{url}</a></li>'
        for name, licence, url in LICENCES
    )
    return (
        "<p>See what normalization does inside a neural network: LayerNorm, BatchNorm, "
        "RMSNorm and friends, live, through a sigmoid.</p>"
        f"<h3>Versions</h3><table>{rows}</table>"
        f"<h3>Licences</h3><ul>{licences}</ul>"
        "<p>normgui is free software under the MIT licence.</p>"
        "<p><b>Qt and PySide6</b> are used under the GNU Lesser General Public License "
        f'version 3 (<a href="{LGPL3_URL}">LGPLv3</a>). normgui loads them as separate '
        "shared libraries, so you may replace them with your own build of the same or a "
        "compatible version: they are the files in the app's folder <tt>_internal/PySide6</tt> "
        "(on Linux <tt>/opt/normgui/_internal/PySide6</tt>; on macOS "
        "<tt>normgui.app/Contents/Frameworks/PySide6</tt>). "
        f'Their source code is at <a href="{QT_SOURCE_URL}">{QT_SOURCE_URL}</a> and '
        f'<a href="{PYSIDE_SOURCE_URL}">{PYSIDE_SOURCE_URL}</a>.</p>'
        "<p>The licence texts of the bundled components come with the app, in its "
        "<tt>licenses</tt> folder (on Linux <tt>/opt/normgui/_internal/licenses</tt> and "
        "<tt>/usr/share/doc/normgui/copyright</tt>).</p>"
    )


class AboutDialog(QDialog):
    """Help → About normgui."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from normgui import __version__

        self.setWindowTitle("About normgui")
        self.setObjectName("aboutDialog")

        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(QSize(64, 64)))
        logo.setAccessibleName("normgui icon")
        self.title = QLabel(f"<h2>normgui {html.escape(__version__)}</h2>")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addWidget(self.title, 1)

        self.text = QTextBrowser()
        self.text.setAccessibleName("About normgui")
        self.text.setOpenExternalLinks(True)
        self.text.setHtml(about_html())
        self.text.setMinimumSize(520, 400)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("&Copy versions")
        self.copy_button.setToolTip("Copy the versions to the clipboard, for a bug report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(versions_text())


def show_about(parent: QWidget | None = None) -> AboutDialog:
    """Open the About box (modal to its window, without blocking) and return it."""
    dialog = AboutDialog(parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def show_about_qt(parent: QWidget | None = None) -> None:
    """Help → About Qt: Qt's own box, with its version and licence."""
    QMessageBox.aboutQt(parent, "About Qt")


if __name__ == "__main__":  # a quick look: python -m normgui.qt.shell.about
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv)
    app.setWindowIcon(app_icon())
    sys.exit(AboutDialog().exec())
