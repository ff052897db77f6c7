#!/usr/bin/env bash
# Render the PNG icons (freedesktop hicolor layout) and the Windows .ico from the two hand-written
# SVGs in readingroom/resources/icons/. The PNGs are committed so that neither packaging nor the app needs
# librsvg at build time; run this again after editing an SVG.
#
# Needs: rsvg-convert (Debian: librsvg2-bin) and ImageMagick's convert (Debian: imagemagick).
set -euo pipefail
cd "$(dirname "$0")/../.."

icons=readingroom/resources/icons
app_id=io.github.readingroom.ReadingRoom
mime_icon=application-vnd.readingroom.review
sizes=(16 32 48 64 128 256)

for tool in rsvg-convert convert; do
    command -v "$tool" >/dev/null || { echo "render_icons.sh: $tool is missing" >&2; exit 1; }
done

for size in "${sizes[@]}"; do
    apps="$icons/hicolor/${size}x${size}/apps"
    mimetypes="$icons/hicolor/${size}x${size}/mimetypes"
    mkdir -p "$apps" "$mimetypes"
    rsvg-convert -w "$size" -h "$size" "$icons/$app_id.svg" -o "$apps/$app_id.png"
    rsvg-convert -w "$size" -h "$size" "$icons/$mime_icon.svg" -o "$mimetypes/$mime_icon.png"
done

# Windows wants one .ico holding several sizes (Explorer picks 16/32/48, the Start menu 256).
# -strip keeps the file reproducible (no timestamps in PNG chunks).
ico_sizes=(16 32 48 256)
convert $(for s in "${ico_sizes[@]}"; do echo "$icons/hicolor/${s}x${s}/apps/$app_id.png"; done) \
    -strip "$icons/readingroom.ico"
convert $(for s in "${ico_sizes[@]}"; do echo "$icons/hicolor/${s}x${s}/mimetypes/$mime_icon.png"; done) \
    -strip "$icons/readingroom-review.ico"

echo "render_icons.sh: rendered ${#sizes[@]} sizes and two .ico files into $icons"

# macOS wants an .icns. png2icns (Debian: icnsutils) is optional: without it the committed
# .icns is kept as it is.
if command -v png2icns >/dev/null; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    for s in 16 32 48 128 256 512; do
        rsvg-convert -w "$s" -h "$s" "$icons/$app_id.svg" -o "$scratch/app-$s.png"
        rsvg-convert -w "$s" -h "$s" "$icons/$mime_icon.svg" -o "$scratch/mime-$s.png"
    done
    png2icns "$icons/readingroom.icns" "$scratch"/app-*.png >/dev/null
    png2icns "$icons/readingroom-review.icns" "$scratch"/mime-*.png >/dev/null
    echo "render_icons.sh: wrote the two .icns files"
else
    echo "render_icons.sh: png2icns (icnsutils) not found; .icns files left unchanged" >&2
fi
