"""Allow ``python -m readingroom``."""

import sys

from readingroom.cli import main

sys.exit(main())
