#!/usr/bin/env bash
# Smoke test of the built bundle (bundle/readingroom/, from build.sh), using only the bundled
# executable for everything ReadingRoom does:
#   1. `readingroom --version` prints the version of readingroom/__init__.py, and the package
#      data (style sheet, icons, the sample's source) sits where importlib.resources finds it;
#   2. keys, trust, seal and inspect work end to end on a small generated PDF;
#      `names suggest` finds the one name in another (wordfreq's English lists are bundled);
#   3. `readingroom view` starts on Qt's offscreen platform and is still running, without a
#      traceback, after $VIEW_SECONDS seconds, having written session_started to the audit
#      log; `readingroom audit verify` passes. The notice dialog waits for the reader, so no
#      page is shown: this proves the frozen GUI imports, finds its Qt plugins, opens the
#      file and its first window.
#   4. Only where Xvfb, xdotool and ImageMagick's import exist (required when
#      READINGROOM_REQUIRE_DESKTOP_TOOLS=1): the same on a real X server with the bundled xcb
#      plugin; the notice is acknowledged with Return, the document window must appear, and a
#      screenshot is kept in build/smoke/viewer-x11.png for a person to look at; the audit log
#      must hold no renderer_unconfined record (the bundled renderer's sandbox works).
# Only the test PDF is made outside the bundle (by build/venv's PyMuPDF), because the bundle
# deliberately has no command that writes a PDF.
#
# Exit status 0 when all pass. Environment: VIEW_SECONDS (default 8).
set -euo pipefail
cd "$(dirname "$0")/../.."

BUNDLE_EXE=${BUNDLE_EXE:-bundle/readingroom/readingroom}
VIEW_SECONDS=${VIEW_SECONDS:-8}
[ -x "$BUNDLE_EXE" ] || { echo "smoke_test.sh: $BUNDLE_EXE missing; run build.sh" >&2; exit 1; }
[ -x build/venv/bin/python ] || { echo "smoke_test.sh: build/venv missing; run build.sh" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export READINGROOM_HOME="$work/home"
# An internal error would otherwise be one generic line; with this it shows a traceback,
# which step 3 looks for.
export READINGROOM_DEBUG=1
mkdir -p "$READINGROOM_HOME"
rr() { "$BUNDLE_EXE" "$@"; }
step() { echo "smoke_test.sh: $*"; }

step "1. version"
expected=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' readingroom/__init__.py)
actual=$(rr --version)
[ "$actual" = "readingroom $expected" ] || { echo "version: got '$actual'" >&2; exit 1; }

step "1b. package data where importlib.resources looks for it (readingroom/resources)"
# readingroom.resources finds its files under the bundle's copy of the package, as in a wheel.
data=$(dirname "$BUNDLE_EXE")/_internal/readingroom/resources
[ -d "$data" ] || data=$(dirname "$BUNDLE_EXE")/../Resources/readingroom/resources  # macOS .app
for file in styles/viewer.qss icons/io.github.readingroom.ReadingRoom.svg \
    icons/actions/zoom-in.svg sample/review.txt sample/people.csv; do
    [ -s "$data/$file" ] || { echo "package data missing from the bundle: $file" >&2; exit 1; }
done

step "2. keys, trust, seal, inspect"
build/venv/bin/python - "$work/doc.pdf" <<'EOF'
import sys

import pymupdf

document = pymupdf.open()
for number in range(1, 4):
    page = document.new_page()
    page.insert_text((72, 96), f"Smoke test page {number} of 3 (fictional).", fontsize=14)
document.save(sys.argv[1])
EOF
printf 'publisher smoke passphrase\n' > "$work/publisher.pass"
printf 'correct horse battery staple smoke\n' > "$work/reader.pass"
workstation=$(rr keys new --kind workstation --out "$READINGROOM_HOME/workstation.key" --unprotected)
publisher=$(rr keys new --kind publisher --out "$work/publisher.key" \
    --key-passphrase-file "$work/publisher.pass")
rr trust add "$publisher" --name "Smoke Test Publisher" >/dev/null
rr seal "$work/doc.pdf" --publisher-key "$work/publisher.key" \
    --key-passphrase-file "$work/publisher.pass" \
    --reader "Sam Smoke <sam.smoke@example.org>" --passphrase-file "$work/reader.pass" \
    --workstation "$workstation" --title "Smoke test (fictional)" -o "$work/doc.rrf" >/dev/null
head -c 22 "$work/doc.rrf" | grep -q '^readingroom-review/v1$' || { echo "no magic" >&2; exit 1; }
rr inspect "$work/doc.rrf" > "$work/inspect.txt"
rr inspect "$work/doc.rrf" --passphrase-file "$work/reader.pass" --json > "$work/inspect.json"
build/venv/bin/python - "$work/inspect.json" <<'EOF'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    info = json.load(handle)
# The unlocked inspection must name the document as sealed; the exact layout is inspect's own.
assert "Smoke test (fictional)" in json.dumps(info), info
EOF

step "2b. names suggest (the word and name lists are in the bundle)"
build/venv/bin/python - "$work/draft.pdf" <<'EOF'
import sys

import pymupdf

document = pymupdf.open()
document.new_page().insert_text((72, 96), "Visited by Ottoline Fairbrother (fictional).")
document.save(sys.argv[1])
EOF
rr names suggest "$work/draft.pdf" --json > "$work/suggest.json"
build/venv/bin/python - "$work/suggest.json" <<'EOF'
import json
import sys

with open(sys.argv[1], encoding="utf-8") as handle:
    rows = json.load(handle)
assert [row["text"] for row in rows] == ["Ottoline Fairbrother"], rows
EOF

step "2c. trace --image (zxing-cpp, numpy and Pillow are in the bundle)"
build/venv/bin/python - "$work/blank.png" <<'EOF'
import sys

from PIL import Image

Image.new("RGB", (640, 480), (230, 225, 220)).save(sys.argv[1])
EOF
status=0
mkdir -p "$work/empty-log"  # no session has run yet: an empty audit folder to look in
rr trace --image "$work/blank.png" --log "$work/empty-log" > "$work/trace.out" 2> "$work/trace.err" || status=$?
# A picture without a mark: the decoder ran (no import failure) and said so, exit 3.
[ "$status" -eq 3 ] && grep -q 'No session mark could be decoded' "$work/trace.err" ||
    { echo "trace --image: status $status" >&2; cat "$work/trace.out" "$work/trace.err" >&2; exit 1; }

step "3. viewer on the offscreen platform for $VIEW_SECONDS s"
status=0
QT_QPA_PLATFORM=offscreen timeout "$VIEW_SECONDS" \
    "$BUNDLE_EXE" view "$work/doc.rrf" --passphrase-file "$work/reader.pass" \
    > "$work/view.out" 2> "$work/view.err" || status=$?
if [ "$status" -ne 124 ]; then
    echo "viewer exited by itself with status $status (expected to be still running):" >&2
    cat "$work/view.out" "$work/view.err" >&2
    exit 1
fi
if grep -E -q 'Traceback|Error|error:|Could not load the Qt platform plugin' "$work/view.err"; then
    echo "viewer wrote an error:" >&2
    cat "$work/view.err" >&2
    exit 1
fi
grep -q '"event":"session_started"' "$READINGROOM_HOME"/audit/*.jsonl ||
    { echo "no session_started in the audit log" >&2; exit 1; }
rr audit verify >/dev/null
step "viewer still running after $VIEW_SECONDS s, stopped by timeout, stderr clean, audited"

if ! command -v Xvfb >/dev/null || ! command -v xdotool >/dev/null || ! command -v import >/dev/null; then
    if [ "${READINGROOM_REQUIRE_DESKTOP_TOOLS:-}" = 1 ]; then
        echo "smoke_test.sh: Xvfb, xdotool and import are required but missing" >&2
        exit 1
    fi
    step "4. skipped: Xvfb, xdotool or ImageMagick import missing"
    step "PASSED"
    exit 0
fi

step "4. viewer on a real X server (Xvfb, xcb plugin)"
# -displayfd makes Xvfb pick a free display and write its number, so runs never collide.
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3> "$work/display" 2>/dev/null &
xvfb_pid=$!
trap 'kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
export DISPLAY=":$(cat "$work/display")"
timeout 60 "$BUNDLE_EXE" view "$work/doc.rrf" --passphrase-file "$work/reader.pass" \
    > "$work/x11.out" 2> "$work/x11.err" &
viewer_pid=$!
# xdotool --sync waits for the window; the outer timeout bounds that wait.
notice=$(timeout 30 xdotool search --sync --onlyvisible --name '^Before you read$' | head -1) ||
    { echo "no notice window on X11:" >&2; cat "$work/x11.err" >&2; exit 1; }
# Xvfb runs no window manager, so focus is set directly (windowactivate needs one) and the key
# goes to the focused window (key --window would use XSendEvent, which Qt ignores).
xdotool windowfocus --sync "$notice"
xdotool key Return
timeout 30 xdotool search --sync --onlyvisible --name 'ReadingRoom' >/dev/null ||
    { echo "no document window after acknowledging the notice:" >&2; cat "$work/x11.err" >&2; exit 1; }
sleep 2  # let the first page render before the screenshot
mkdir -p build/smoke
import -window root build/smoke/viewer-x11.png
kill "$viewer_pid" 2>/dev/null || true
wait "$viewer_pid" 2>/dev/null || true
if grep -E -q 'Traceback|Could not load the Qt platform plugin' "$work/x11.err"; then
    echo "viewer wrote an error on X11:" >&2
    cat "$work/x11.err" >&2
    exit 1
fi
# The bundled renderer confined itself (bundled pyseccomp + libseccomp): no such record.
if grep -q '"event":"renderer_unconfined"' "$READINGROOM_HOME"/audit/*.jsonl; then
    echo "the bundled renderer ran without its sandbox (renderer_unconfined)" >&2
    exit 1
fi
step "document window shown on X11, renderer confined; screenshot in build/smoke/viewer-x11.png"
step "PASSED"
