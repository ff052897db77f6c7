#!/usr/bin/env bash
# Build the one-folder bundle bundle/readingroom/ with PyInstaller (Linux and macOS; on Windows
# run the same steps by hand, see packaging/README.md).
#
# 1. build/venv: a virtual environment of its own holding PyInstaller and the project's runtime
#    dependencies only (never the test tools, never .venv), so the bundle carries nothing else.
#    It is recreated when pyproject.toml or this script changes.
# 2. PyInstaller runs packaging/pyinstaller/readingroom.spec on the source tree.
# 3. The result is checked: no forbidden Qt library (QtPrintSupport above all) and, on Linux,
#    no Qt library or plugin with an unresolved Qt dependency. Then its size is printed.
#
# Environment: PYTHON (default python3, 3.11+).
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
VENV=build/venv
DIST=bundle
BUNDLE=$DIST/readingroom
SPEC=packaging/pyinstaller/readingroom.spec
PYINSTALLER_REQUIREMENT='pyinstaller>=6.10,<7'

stamp_of() {
    # What the build venv was made from: a change to either file makes a fresh one.
    # (cksum is POSIX, so this also runs on macOS, which has no sha256sum.)
    cat pyproject.toml "$0" | cksum | cut -d' ' -f1
}

if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$VENV/.stamp" 2>/dev/null)" != "$(stamp_of)" ]; then
    echo "build.sh: creating $VENV"
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    # The runtime dependencies are read from pyproject.toml so they are listed in one place.
    # The project itself is not installed: the spec analyses the source tree, so a build
    # always bundles the code as it is now, and no stale setuptools build/lib creeps in.
    "$VENV/bin/python" - > build/requirements-bundle.txt <<'EOF'
import tomllib

with open("pyproject.toml", "rb") as handle:
    print("\n".join(tomllib.load(handle)["project"]["dependencies"]))
EOF
    echo "$PYINSTALLER_REQUIREMENT" >> build/requirements-bundle.txt
    "$VENV/bin/python" -m pip install --quiet -r build/requirements-bundle.txt
    stamp_of > "$VENV/.stamp"
fi

started=$(date +%s)
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath build/pyinstaller "$SPEC"
finished=$(date +%s)

# --- checks on what was built ------------------------------------------------------------
failed=0
forbidden=$(find "$BUNDLE" -iname '*printsupport*' -o -iname '*QtNetwork*' -o -iname '*Qt6Network*' \
    -o -iname '*QtWebEngine*' -o -iname '*Qt6Qml*' -o -iname '*QtQml*' -o -iname '*Qt6Quick*' \
    -o -iname '*QtQuick*' -o -path '*/translations/*.qm' | sort)
if [ -n "$forbidden" ]; then
    echo "build.sh: FORBIDDEN files in the bundle:" >&2
    echo "$forbidden" >&2
    failed=1
fi

if [ "$(uname -s)" = Linux ]; then
    # A plugin whose Qt dependency was filtered out would fail to load at run time; catch it
    # here. Only Qt libraries are checked: system libraries (libxcb, libGL, ...) come from the
    # workstation, as for any Qt application.
    unresolved=$(find "$BUNDLE" -name '*.so*' -type f -print0 |
        xargs -0 -n1 sh -c 'ldd "$0" 2>/dev/null | grep -E "libQt6.* => not found" | sed "s|^|$0: |"' |
        sort -u)
    if [ -n "$unresolved" ]; then
        echo "build.sh: bundled files with unresolved Qt libraries:" >&2
        echo "$unresolved" >&2
        failed=1
    fi
fi

if [ "$failed" -ne 0 ]; then
    exit 1
fi

echo "build.sh: Qt plugins in the bundle:"
find "$BUNDLE" -path '*/plugins/*' -type f | sed "s|^$BUNDLE/_internal/||" | sort | sed 's/^/  /'
echo "build.sh: built $BUNDLE in $((finished - started)) s (PyInstaller only)"
# du -k is POSIX (GNU's -b is not on macOS); the tarball size is what a download would be.
size_kib=$(du -sk "$BUNDLE" | cut -f1)
gz_kib=$(tar -C "$DIST" -cf - readingroom | gzip -6 | wc -c | awk '{print int($1 / 1024)}')
echo "build.sh: bundle size $((size_kib / 1024)) MiB on disk, $((gz_kib / 1024)) MiB as .tar.gz," \
    "$(find "$BUNDLE" -type f | wc -l | tr -d ' ') files"
