"""A bounded fuzz run of the review-file and audit-log parsers (the long run is ``make fuzz``).

The targets and seeds live in ``fuzz/``; here hypothesis drives them with mutated seeds and raw
bytes for a few hundred inputs, and, when atheris is installed, the coverage-guided harness runs
for a few seconds in a subprocess.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.seeds import audit_log_seeds, review_file_seeds
from fuzz.targets import audit_log_target, review_file_target

REPO_ROOT = Path(__file__).resolve().parents[2]
FUZZ_SETTINGS = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    """A seed with a few byte-level edits (keeping the mode byte most of the time)."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(1, max(1, len(data) - 1)))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "overwrite", "duplicate", "cut"]))
        if edit == "flip":
            data[at % len(data)] ^= 1 << draw(st.integers(0, 7))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 16))]
        elif edit == "overwrite":
            chunk = draw(
                st.sampled_from(
                    [
                        b"0",
                        b"99999999999",
                        b"-1",
                        b"\n",
                        b"\n\n",
                        b'"',
                        b"{",
                        b"]",
                        b"\xff\xfe",
                        b"null",
                        b"1e999",
                    ]
                )
            )
            data[at : at + len(chunk)] = chunk
        elif edit == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 200)))
            data[end:end] = data[at:end]
        else:
            del data[at:]
        if len(data) < 2:
            break
    return bytes(data)


def test_the_seeds_are_accepted() -> None:
    for seed in review_file_seeds():
        review_file_target(seed)
    for seed in audit_log_seeds():
        audit_log_target(seed)


@FUZZ_SETTINGS
@given(st.one_of(mutated(review_file_seeds()), st.binary(max_size=2000)))
def test_review_file_parsers_raise_only_readingroom_errors(data: bytes) -> None:
    review_file_target(data)


@FUZZ_SETTINGS
@given(st.one_of(mutated(audit_log_seeds()), st.binary(max_size=2000)))
def test_audit_log_parsers_raise_only_documented_errors(data: bytes) -> None:
    audit_log_target(data, open_for_writing=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(audit_log_seeds()))
def test_opening_a_damaged_audit_log_raises_only_documented_errors(data: bytes) -> None:
    audit_log_target(data)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed")
@pytest.mark.parametrize("harness", ["fuzz_review_file.py", "fuzz_audit_log.py"])
def test_atheris_harness_runs_briefly(harness: str, tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    # libFuzzer's RSS limit reads the peak RSS, which Linux carries over from the forking pytest
    # process (large late in a full run); cap single allocations instead, and the total loosely.
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "fuzz" / harness), "-runs=3000", "-max_len=4096",
         "-rss_limit_mb=16384", "-malloc_limit_mb=2048", f"-artifact_prefix={tmp_path}/"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    assert "Done 3000 runs" in result.stderr
