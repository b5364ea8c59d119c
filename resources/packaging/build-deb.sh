#!/usr/bin/env bash
# Build normgui's Debian package: dist/normgui_<version>_<arch>.deb.
#
#   resources/packaging/build-deb.sh        (what `make package` runs, from any folder)
#
# 1. PyInstaller builds the one-folder app from normgui.spec into $DIST_DIR/normgui (and renders
#    the icons into $BUILD_DIR/normgui/icons).
# 2. The package tree: the app in /opt/normgui, /usr/bin/normgui (a relative link to it), the
#    desktop entry, the AppStream metainfo, the hicolor icons (16..512 px and scalable), the
#    copyright file; both metadata files are validated first.
# 3. dpkg-deb builds the package, owned by root without fakeroot, xz-compressed. It depends on
#    the Debian packages in qt-xcb-libs.txt: the system libraries the spec left out.
#
# Environment: PYTHON (default .venv/bin/python, with normgui and the "package" extra installed),
# DIST_DIR (default dist), BUILD_DIR (default build), DEBFULLNAME and DEBEMAIL (the Maintainer).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PYTHON=${PYTHON:-$root/.venv/bin/python}
DIST_DIR=$(mkdir -p "${DIST_DIR:-$root/dist}" && cd "${DIST_DIR:-$root/dist}" && pwd)
BUILD_DIR=$(mkdir -p "${BUILD_DIR:-$root/build}" && cd "${BUILD_DIR:-$root/build}" && pwd)
maintainer="${DEBFULLNAME:-The normgui developers} <${DEBEMAIL:-maintainers@normgui.org}>"
app_id=org.normgui.normgui

"$here/ensure-build-tools"

# --- 1. the app ---------------------------------------------------------------------------------
started=$SECONDS
(cd "$root" && "$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST_DIR" --workpath "$BUILD_DIR" "$here/normgui.spec")
app="$DIST_DIR/normgui"
icons="$BUILD_DIR/normgui/icons"
echo "normgui: PyInstaller built $app in $((SECONDS - started)) s"

# The app says its own version; Debian sorts a pre-release before the release with "~".
upstream=$(QT_QPA_PLATFORM=offscreen "$app/normgui" --version | awk '{print $2}')
version=$(sed -E 's/^([0-9.]+)[.-]?(a|b|rc|dev)/\1~\2/' <<<"$upstream")
arch=$(dpkg --print-architecture)

# --- 2. the package tree ------------------------------------------------------------------------
stage="$BUILD_DIR/deb/normgui_${version}_${arch}"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
  "$stage/usr/share/metainfo" "$stage/usr/share/icons" "$stage/usr/share/doc/normgui"
cp -a "$app" "$stage/opt/normgui"
# A pyenv-built interpreter carries its debug information (3/4 of libpython's size); drop it
# from the interpreter only. Never strip numpy's or Qt's libraries: that breaks numpy.
find "$stage/opt/normgui/_internal" -maxdepth 1 -name 'libpython*.so*' -type f -print0 |
  xargs -0 -r strip --strip-debug
find "$stage/opt/normgui/_internal" -path '*/python3*/lib-dynload/*.so' -type f -print0 |
  xargs -0 -r strip --strip-debug
ln -s ../../opt/normgui/normgui "$stage/usr/bin/normgui"
install -m 644 "$here/$app_id.desktop" "$stage/usr/share/applications/$app_id.desktop"
install -m 644 "$here/$app_id.metainfo.xml" "$stage/usr/share/metainfo/$app_id.metainfo.xml"
cp -r "$icons/hicolor" "$stage/usr/share/icons/hicolor"
install -m 644 "$here/copyright" "$stage/usr/share/doc/normgui/copyright"
chmod -R u+rwX,go+rX,go-w "$stage"

desktop-file-validate "$stage/usr/share/applications/$app_id.desktop"
appstreamcli validate --no-net "$stage/usr/share/metainfo/$app_id.metainfo.xml"

depends=$(grep -v -E '^[[:space:]]*(#|$)' "$here/qt-xcb-libs.txt" | paste -sd, | sed 's/,/, /g')
installed_kb=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
cat >"$stage/DEBIAN/control" <<EOF
Package: normgui
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $installed_kb
Depends: $depends
Section: science
Priority: optional
Description: see what normalization does inside a neural network
 normgui makes normalization in neural networks visible: type a vector or a
 small batch, pick LayerNorm, BatchNorm, RMSNorm, standardization, min-max
 scaling or another method, turn its knobs, and watch the values pass, live,
 through a sigmoid, into its linear regime or out into saturation where the
 gradients vanish.
 .
 A self-contained build (Python, Qt 6, PySide6, pyqtgraph and numpy) installed
 in /opt/normgui.
EOF

# --- 3. the package -----------------------------------------------------------------------------
deb="$DIST_DIR/normgui_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "normgui: built $deb ($(du -k "$deb" | cut -f1) KB; $installed_kb KB installed)"
