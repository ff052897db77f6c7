"""atheris harness: arbitrary bytes as an audit log into verify, report and open."""

from __future__ import annotations

import atheris

with atheris.instrument_imports(include=["readingroom"]):
    from fuzz.harness import run
    from fuzz.seeds import audit_log_seeds
    from fuzz.targets import audit_log_target

if __name__ == "__main__":
    run(audit_log_target, audit_log_seeds)
