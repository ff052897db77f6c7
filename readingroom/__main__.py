"""Allow ``python -m readingroom`` (and the PyInstaller bundle, whose entry script this is)."""

import multiprocessing
import sys

# First thing: in a frozen bundle the renderer process (gui/rendering/render_process.py) is
# this same executable started by multiprocessing's "spawn"; freeze_support() runs it and exits
# instead of running the command line. Outside a bundle it does nothing.
multiprocessing.freeze_support()

from readingroom.cli import main  # noqa: E402 - after freeze_support, on purpose

sys.exit(main())
