# The two commands of the README: `make demo` and `make test`. Only python3 (3.11+) and make are
# assumed; everything else is installed into .venv by the first target that needs it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
SOURCES := readingroom tests benchmarks scripts fuzz
FUZZ_SECONDS ?= 600

.PHONY: install test check lint typecheck pytest demo fuzz bundle clean

include packaging/Makefile.inc

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,publish,fleet]'
	touch $(STAMP)

install: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff format --check $(SOURCES)
	$(BIN)/ruff check $(SOURCES)
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy readingroom

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test: lint typecheck pytest

# The inner loop: lint, types and the quick tests (no slow robustness runs, no real X server).
check: lint typecheck
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -m "not slow and not xserver" \
		tests/core tests/audit tests/cli tests/prepare tests/gui tests/fleet tests/notes

demo: $(STAMP)
	$(BIN)/python scripts/demo.py

# A longer fuzzing run than the seconds CI gives it (see fuzz/README.md).
fuzz: $(STAMP)
	mkdir -p fuzz/corpus/review fuzz/corpus/audit
	PYTHONPATH=. $(BIN)/python fuzz/fuzz_review_file.py -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=fuzz/ fuzz/corpus/review
	PYTHONPATH=. $(BIN)/python fuzz/fuzz_audit_log.py -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -artifact_prefix=fuzz/ fuzz/corpus/audit

clean:
	rm -rf $(VENV) demo build dist bundle *.egg-info .mypy_cache .ruff_cache .pytest_cache
