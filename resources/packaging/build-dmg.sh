#!/usr/bin/env bash
# macOS only: build dist/normgui.app with PyInstaller and wrap it in dist/normgui-<version>.dmg.
# The bundle's settings (identifier, icon, Info.plist) are in normgui.spec's BUNDLE. Run from a
# venv with normgui and the "package" extra: pip install -e ".[package]".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PYTHON=${PYTHON:-python3}
cd "$root"
"$PYTHON" -m PyInstaller --noconfirm --log-level WARN "$here/normgui.spec"
version=$(/usr/libexec/PlistBuddy -c "Print CFBundleShortVersionString" dist/normgui.app/Contents/Info.plist)
dmg="dist/normgui-$version.dmg"
rm -f "$dmg"
hdiutil create -volname normgui -srcfolder dist/normgui.app -ov -format UDZO "$dmg"
echo "normgui: built $dmg"
