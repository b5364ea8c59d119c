"""Render normgui's icon from its SVG into what each platform's installer wants.

    python resources/packaging/render_icons.py OUT_DIR

writes OUT_DIR/hicolor/<N>x<N>/apps/<app id>.png for N in 16..512 and
OUT_DIR/hicolor/scalable/apps/<app id>.svg (Linux), OUT_DIR/normgui.ico (Windows) and
OUT_DIR/normgui.icns (macOS). The drawing is normgui.qt.shell.about.icon_image, the one the
window uses, so the installers and the running app show the same pixels. ICO and ICNS hold PNG
images, which every Windows since Vista and every macOS since 10.7 read, so no image library is
needed.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication, QImageWriter

from normgui.qt.shell.about import APP_ID, ICON_SIZES, icon_image, icon_svg

# ICNS element types that hold a PNG: the type for each pixel size (16..1024).
_ICNS_TYPES = {
    16: b"icp4",
    32: b"icp5",
    64: b"icp6",
    128: b"ic07",
    256: b"ic08",
    512: b"ic09",
    1024: b"ic10",
}
_ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)  # 256 is the largest an ICO directory entry holds


def png_bytes(size: int) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(icon_image(size)):
        raise OSError(f"could not encode the {size} px icon as PNG: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_bytes(sizes: tuple[int, ...] = _ICO_SIZES) -> bytes:
    images = [png_bytes(s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries = b""
    for size, png in zip(sizes, images, strict=True):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + entries + b"".join(images)


def icns_bytes() -> bytes:
    body = b""
    for size, kind in _ICNS_TYPES.items():
        png = png_bytes(size)
        body += kind + struct.pack(">I", 8 + len(png)) + png
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def render(out: Path) -> None:
    for size in ICON_SIZES:
        folder = out / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{APP_ID}.png").write_bytes(png_bytes(size))
    scalable = out / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True, exist_ok=True)
    (scalable / f"{APP_ID}.svg").write_bytes(icon_svg(512))
    (out / "normgui.ico").write_bytes(ico_bytes())
    (out / "normgui.icns").write_bytes(icns_bytes())


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    app = QGuiApplication(argv[:1])  # QImage text and pixmap support want an application
    render(Path(argv[1]))
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
