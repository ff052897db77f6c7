"""Allow ``python -m readingroom`` (and the PyInstaller bundle, whose entry script this is)."""

import sys

# First thing: in a frozen bundle the renderer process (readingroom/viewing/render_process.py)
# is this same executable started with a flag of its own; it must import nothing of the command
# line or the GUI, only the renderer.
if sys.argv[1:2] == ["--readingroom-renderer"]:  # render_process.RENDERER_FLAG
    from readingroom.viewing.render_process import main as renderer_main

    renderer_main()
    sys.exit(0)

from readingroom.cli import main  # after the renderer check, on purpose

sys.exit(main())
