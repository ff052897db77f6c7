"""``python -m readingroom.sample -o OUT.pdf [--draft] [--force]``."""

import sys

from readingroom.sample.build import main

sys.exit(main())
