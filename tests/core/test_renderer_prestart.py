"""A renderer started ahead of its document (while the reader unlocks), and cancelled renders.

Real renderer processes throughout: the one the viewer starts, with its sandbox.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from readingroom.viewing.renderer_client import (
    RendererClient,
    RequestCancelled,
    prestart_renderer,
    renderer_command,
    spawn_renderer,
)
from readingroom.viewing.sandbox import is_confined
from tests.core.test_renderer_sandbox import linux_sandbox  # noqa: F401 - fixture
from tests.gui.sample_pdf import build_test_pdf


def _wait_until_confined(pid: int) -> None:
    deadline = time.monotonic() + 60
    while not is_confined(pid):
        assert time.monotonic() < deadline, "the prestarted renderer never confined itself"
        time.sleep(0.02)


def _client(pdf: bytes, **kwargs: object) -> RendererClient:
    return RendererClient(
        pdf, hang_seconds=60.0, open_seconds=60.0, should_stop=lambda: False, **kwargs
    )  # type: ignore[arg-type]


@pytest.mark.usefixtures("linux_sandbox")
def test_a_prestarted_renderer_is_confined_before_it_gets_the_document() -> None:
    pdf = build_test_pdf()
    spawned = spawn_renderer(len(pdf) + 1000, require_sandbox=True, command=renderer_command)
    pid = spawned.process.pid
    # Confined while it waits: nothing of the document has been sent yet.
    _wait_until_confined(pid)
    limits = Path(f"/proc/{pid}/limits").read_text(encoding="ascii")
    assert "unlimited" not in next(
        line for line in limits.splitlines() if line.startswith("Max address space")
    )
    client = _client(pdf, require_sandbox=True, prestarted=spawned)
    try:
        info = client.start()
        assert client.pid == pid  # adopted, not replaced
        assert client.confined and client.restarts == 0
        assert len(info.page_sizes) > 1
        samples = client.render(1, 1.0, 1.0)
        assert len(samples.samples) == samples.width * samples.height * 3
    finally:
        client.close()
    assert spawned.process.poll() is not None


def test_a_prestarted_renderer_told_to_expect_less_is_replaced() -> None:
    pdf = build_test_pdf()
    # The file changed between measuring it and reading it: the PDF is larger than announced.
    spawned = spawn_renderer(len(pdf) // 2, require_sandbox=False, command=renderer_command)
    client = _client(pdf, prestarted=spawned)
    try:
        client.start()
        assert client.pid not in (None, spawned.process.pid)
        assert client.render(0, 1.0, 1.0).width > 0
    finally:
        client.close()
    assert spawned.process.poll() is not None


def test_an_unused_prestarted_renderer_ends_with_its_client(tmp_path: Path) -> None:
    review = tmp_path / "review.rrf"
    review.write_bytes(b"x" * 4096)  # the PDF inside is smaller than its review file
    spawned = prestart_renderer(review, require_sandbox=False)
    assert spawned is not None and spawned.max_document_bytes == 4096
    client = _client(b"%PDF", prestarted=spawned)
    client.close()  # the reader cancelled the unlock: no document ever sent
    assert spawned.process.poll() is not None
    assert prestart_renderer(tmp_path / "missing.rrf", require_sandbox=False) is None


def test_a_render_no_longer_wanted_is_cancelled_in_the_renderer() -> None:
    client = _client(build_test_pdf())
    client.start()
    try:
        pid = client.pid
        outcomes = []
        for _ in range(3):
            try:
                # A large image (the raster alone takes tens of milliseconds) that nobody wants
                # any more by the time the first slice asks.
                client.render(0, 6.0, 1.0, still_wanted=lambda: False)
                outcomes.append("rendered")
            except RequestCancelled:
                outcomes.append("cancelled")
            if "cancelled" in outcomes:
                break
        assert "cancelled" in outcomes, outcomes
        # Same renderer, still in step with the viewer: the next answers are the right ones.
        assert client.pid == pid and client.restarts == 0
        after = client.render(1, 1.0, 1.0, still_wanted=lambda: True)
        assert after.number == 1 and len(after.samples) == after.width * after.height * 3
        assert client.links(1) is not None
    finally:
        client.close()
