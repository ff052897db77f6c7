#!/usr/bin/env bash
# Smoke test of the built bundle (bundle/readingroom/, from build.sh), using only the bundled
# executable for everything ReadingRoom does:
#   1. `readingroom --version` prints the version of readingroom/__init__.py;
#   2. keys, trust, seal and inspect work end to end on a small generated PDF;
#   3. `readingroom view` starts on Qt's offscreen platform and is still running, without a
#      traceback, after $VIEW_SECONDS seconds. The notice dialog waits for the reader, so no
#      page is shown and no session starts: this proves the frozen GUI imports, finds its Qt
#      plugins and opens its first window, not that a reader can read.
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
step "viewer still running after $VIEW_SECONDS s, stopped by timeout, stderr clean"
step "PASSED"
