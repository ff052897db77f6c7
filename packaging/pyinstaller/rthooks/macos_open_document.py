"""Runtime hook (macOS): turn "open this .rrf" from Finder into ``readingroom view FILE``.

Finder opens a document by sending an Apple Event, not by passing arguments. PyInstaller's
``argv_emulation`` turns that event into ``sys.argv = [exe, FILE]``; the command line needs a
subcommand, so this hook inserts ``view`` when the only argument is a review file. It runs before
readingroom's code and changes nothing on other platforms or for any other command line.
"""

import sys

if sys.platform == "darwin" and len(sys.argv) == 2 and sys.argv[1].lower().endswith(".rrf"):
    sys.argv.insert(1, "view")
