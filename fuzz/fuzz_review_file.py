"""atheris harness: arbitrary bytes into the review-file parsers (see fuzz/README.md)."""

from __future__ import annotations

import atheris

with atheris.instrument_imports(include=["readingroom"]):
    from fuzz.harness import run
    from fuzz.seeds import review_file_seeds
    from fuzz.targets import review_file_target

if __name__ == "__main__":
    run(review_file_target, review_file_seeds)
