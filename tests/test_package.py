"""The Debian package, as a user gets it: built, unpacked with dpkg-deb -x, run, validated.

Builds with resources/packaging/build-deb.sh into a temporary folder (PyInstaller and xz take a
minute or two), then checks the package's metadata, its layout, that the packaged app passes its
selftest from the unpacked tree, that the desktop entry and the AppStream metainfo validate, and
that every system library the app loads comes from a package it depends on.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from normgui import __version__
from normgui.qt.shell.about import APP_ID, ICON_SIZES

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "resources" / "packaging"
MAX_DEB_BYTES = 50 * 1000 * 1000
# The system libraries Debian provides, which the package must depend on rather than carry.
SYSTEM_LIBS = re.compile(
    r"^lib(fontconfig|freetype|xcb|X11|xkbcommon|GL|EGL|OpenGL|GLX|glib-2|gthread|gobject|gio|"
    r"dbus-1|stdc\+\+|gcc_s|wayland|gtk|gdk|cairo|pango|harfbuzz|png16|z|zstd|ssl|crypto|"
    r"sqlite3|ffi|expat)\b"
)
# Qt plugin folders the app has no use for (see the spec).
UNUSED_PLUGIN_FOLDERS = {
    "sqldrivers",
    "tls",
    "networkinformation",
    "qmltooling",
    "generic",
    "egldeviceintegrations",
    "designer",
    "printsupport",
}

pytestmark = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None or not sys.platform.startswith("linux"),
    reason="builds a Debian package: needs Debian or Ubuntu",
)


def _debian_version(version: str) -> str:
    return re.sub(r"^([0-9.]+)[.-]?(a|b|rc|dev)", r"\1~\2", version)


def _depends_file() -> list[str]:
    lines = (PACKAGING / "qt-xcb-libs.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _ensure(script: Path) -> None:
    """Run an ensure-* script (installs what is missing as root); skip if it cannot."""
    result = subprocess.run([str(script)], capture_output=True, text=True)
    if result.returncode != 0:
        if os.geteuid() != 0:
            pytest.skip(f"not root, and {script.name} says: {result.stderr.strip()}")
        pytest.fail(f"{script.name} failed: {result.stderr.strip()}")


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _ensure(PACKAGING / "ensure-build-tools")
    out = tmp_path_factory.mktemp("package")
    env = {
        **os.environ,
        "PYTHON": sys.executable,
        "DIST_DIR": str(out / "dist"),
        "BUILD_DIR": str(out / "build"),
    }
    result = subprocess.run(
        [str(PACKAGING / "build-deb.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, f"build-deb.sh failed:\n{result.stdout}\n{result.stderr}"
    debs = list((out / "dist").glob("*.deb"))
    assert len(debs) == 1, debs
    return debs[0]


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _control(deb: Path) -> dict[str, str]:
    text = subprocess.run(
        ["dpkg-deb", "-f", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    fields: dict[str, str] = {}
    for line in text.splitlines():
        if line[:1] not in (" ", "\t") and ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    return fields


def test_package_name_size_and_control(deb: Path) -> None:
    version = _debian_version(__version__)
    assert deb.name == f"normgui_{version}_amd64.deb"
    assert deb.stat().st_size <= MAX_DEB_BYTES, f"{deb.stat().st_size / 1e6:.1f} MB"
    control = _control(deb)
    assert control["Package"] == "normgui"
    assert control["Version"] == version
    assert control["Architecture"] == "amd64"
    assert control["Section"] == "science"
    assert re.fullmatch(r".+ <[^@ ]+@[^@ ]+>", control["Maintainer"])
    assert control["Description"]
    depends = [d.strip() for d in control["Depends"].split(",")]
    assert depends == _depends_file()
    assert "libxcb-cursor0" in depends


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_layout(unpacked: Path) -> None:
    app = unpacked / "opt" / "normgui" / "normgui"
    assert app.is_file() and os.access(app, os.X_OK)
    launcher = unpacked / "usr" / "bin" / "normgui"
    assert launcher.is_symlink() and launcher.resolve() == app.resolve()
    share = unpacked / "usr" / "share"
    assert (share / "applications" / f"{APP_ID}.desktop").is_file()
    assert (share / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()
    assert (share / "doc" / "normgui" / "copyright").is_file()
    for size in ICON_SIZES:
        png = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(png) == (size, size)
    svg = share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    assert ET.parse(svg).getroot().tag.endswith("svg")


def test_lean_bundle(unpacked: Path) -> None:
    internal = unpacked / "opt" / "normgui" / "_internal"
    bundled = [p for p in internal.rglob("*") if p.is_file() or p.is_symlink()]
    system = sorted(p.name for p in bundled if SYSTEM_LIBS.match(p.name))
    assert not system, f"system libraries bundled instead of depended on: {system}"
    assert not list(internal.rglob("translations/*.qm")), "Qt's translations are bundled"
    plugins = {p.parent.name for p in internal.glob("PySide6/Qt/plugins/*/*")}
    assert {"platforms", "xcbglintegrations"} <= plugins
    assert not plugins & UNUSED_PLUGIN_FOLDERS
    qt_modules = {p.name.split(".")[0] for p in internal.glob("PySide6/Qt*.so")}
    assert not qt_modules & {"QtNetwork", "QtQml", "QtQuick", "QtTest", "QtDBus", "QtSql"}
    assert not [p for p in internal.rglob("*") if p.is_symlink() and not p.exists()]


def _clean_env(home: Path) -> dict[str, str]:
    """What a user's session has: none of the test run's Python or Qt settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "QT_", "PYQTGRAPH", "LD_", "VIRTUAL_ENV"))
    }
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.update(XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"))
    return env


def test_packaged_app_passes_its_selftest(unpacked: Path, tmp_path: Path) -> None:
    launcher = unpacked / "usr" / "bin" / "normgui"
    env = _clean_env(tmp_path)
    version = subprocess.run(
        [str(launcher), "--version"], env=env, capture_output=True, text=True, timeout=60
    )
    assert version.returncode == 0, version.stderr
    assert version.stdout.strip() == f"normgui {__version__}"
    result = subprocess.run(
        [str(launcher), "--selftest"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "selftest passed" in result.stdout


def test_desktop_entry_and_metainfo_validate(unpacked: Path) -> None:
    share = unpacked / "usr" / "share"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    result = subprocess.run(["desktop-file-validate", str(desktop)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in result.stdout.lower()
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(metainfo)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr

    entry = dict(line.split("=", 1) for line in desktop.read_text().splitlines() if "=" in line)
    assert {"Education", "Science"} <= set(entry["Categories"].split(";"))
    assert entry["Icon"] == APP_ID
    assert entry["Exec"].split()[0] == "normgui"
    component = ET.parse(metainfo).getroot()
    assert component.findtext("id") == APP_ID
    assert component.findtext("launchable") == f"{APP_ID}.desktop"
    assert component.find("developer_name") is not None
    releases = component.findall("releases/release")
    assert releases and releases[0].get("version") == __version__, (
        "add a <release> for this version to the metainfo"
    )


def _elf_files(folder: Path) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                if f.read(4) == b"\x7fELF":
                    yield path


def _owning_packages(paths: set[str]) -> dict[str, str]:
    """The Debian package of each file (dpkg knows /lib or /usr/lib, whichever it installed)."""
    owners: dict[str, str] = {}
    for path in sorted(paths):
        real = os.path.realpath(path)
        candidates = {path, real}
        for p in list(candidates):
            candidates.add(p[4:] if p.startswith("/usr/") else "/usr" + p)
        for candidate in sorted(candidates):
            result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if result.returncode == 0:
                owners[path] = result.stdout.split(":", 1)[0].strip()
                break
    return owners


def _dependency_closure(packages: list[str]) -> set[str]:
    """The packages, and everything they depend on, among the installed packages."""
    listing = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Depends}, ${Pre-Depends}\t${Provides}\n"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    depends: dict[str, list[list[str]]] = {}
    providers: dict[str, set[str]] = {}
    for line in listing.splitlines():
        name, deps, provides = [*line.split("\t"), "", ""][:3]
        depends[name] = [
            [re.split(r"[ :(]", alt.strip())[0] for alt in group.split("|")]
            for group in deps.split(",")
            if group.strip()
        ]
        for virtual in provides.split(","):
            if virtual.strip():
                providers.setdefault(re.split(r"[ (]", virtual.strip())[0], set()).add(name)
    seen: set[str] = set()
    todo = list(packages)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for group in depends.get(name, []):
            for alt in group:
                todo.extend(p for p in {alt, *providers.get(alt, ())} if p in depends)
    return seen


def test_system_libraries_come_from_depends(unpacked: Path) -> None:
    _ensure(ROOT / "tools" / "ensure-qt-libs")  # the Depends, installed as apt would
    app = unpacked / "opt" / "normgui"
    # GTK's platform theme loads only where GTK is (a GNOME desktop); Qt does without it.
    optional = re.compile(r"plugins/platformthemes/libqgtk3")
    missing, system_libs = [], set()
    for elf in _elf_files(app):
        if optional.search(str(elf)):
            continue
        ldd = subprocess.run(["ldd", str(elf)], capture_output=True, text=True).stdout
        for line in ldd.splitlines():
            if "not found" in line:
                missing.append(f"{elf.relative_to(app)}: {line.strip()}")
            match = re.search(r"=> (/\S+)", line)
            if match and not match.group(1).startswith(str(app)):
                system_libs.add(match.group(1))
    assert not missing, "\n".join(missing)
    owners = _owning_packages(system_libs)
    assert set(owners) == system_libs, f"no package owns {sorted(system_libs - set(owners))}"
    allowed = _dependency_closure(_depends_file())
    stray = sorted(
        {f"{owner} ({Path(lib).name})" for lib, owner in owners.items() if owner not in allowed}
    )
    assert not stray, f"libraries from packages that normgui does not depend on: {stray}"
