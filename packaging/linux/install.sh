#!/usr/bin/env bash
# Install ReadingRoom's desktop integration (not the program itself) under a prefix:
#   packaging/linux/install.sh [PREFIX]        PREFIX defaults to /usr/local
# Puts the .desktop file, AppStream metainfo, MIME definition and icons where the freedesktop
# specifications look, then refreshes the MIME, desktop and icon caches when the tools exist.
# `readingroom` must be on PATH for the desktop entry (TryExec) to show: link it, e.g.
#   ln -s /opt/readingroom/readingroom /usr/local/bin/readingroom
set -euo pipefail
cd "$(dirname "$0")/../.."

prefix=${1:-/usr/local}
[ -n "$prefix" ] || prefix=/usr/local
share="$prefix/share"
app_id=io.github.readingroom.ReadingRoom
mime_icon=application-vnd.readingroom.review

install -Dm644 "packaging/linux/$app_id.desktop" "$share/applications/$app_id.desktop"
install -Dm644 "packaging/linux/$app_id.metainfo.xml" "$share/metainfo/$app_id.metainfo.xml"
install -Dm644 packaging/linux/readingroom-mime.xml "$share/mime/packages/readingroom-mime.xml"
install -Dm644 "readingroom/resources/icons/$app_id.svg" "$share/icons/hicolor/scalable/apps/$app_id.svg"
install -Dm644 "readingroom/resources/icons/$mime_icon.svg" \
    "$share/icons/hicolor/scalable/mimetypes/$mime_icon.svg"
for png in readingroom/resources/icons/hicolor/*/*/*.png; do
    install -Dm644 "$png" "$share/icons/${png#readingroom/resources/icons/}"
done

# Each cache is optional: a minimal kiosk image may lack the tools, and the files still work
# once the caches are rebuilt there.
if command -v update-mime-database >/dev/null; then update-mime-database "$share/mime"; fi
if command -v update-desktop-database >/dev/null; then
    update-desktop-database -q "$share/applications"
fi
if command -v gtk-update-icon-cache >/dev/null && [ -f "$share/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -t "$share/icons/hicolor"
fi
echo "install.sh: desktop integration installed under $prefix"
