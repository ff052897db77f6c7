"""The parent side of the corpus test: worker processes, time caps, crash and hang records.

Each worker (``tests/robustness/corpus_worker.py``) handles one PDF at a time and sends a
heartbeat per rendered page. The harness enforces the caps: no heartbeat within
``page_seconds`` while rendering, or no result within ``file_seconds``, and the worker is
killed and the file recorded as ``hung``; a worker that dies (a segfault in MuPDF, an abort)
leaves the file recorded as ``crashed``. Either way a fresh worker takes the next file, so one
bad PDF never takes the test run down.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKER_COMMAND = (sys.executable, "-m", "tests.robustness.corpus_worker")
CLEAN_STATUSES = frozenset({"opened", "refused"})


@dataclass(frozen=True)
class Limits:
    """The caps the harness enforces (seconds)."""

    page_seconds: float = 10.0
    file_seconds: float = 120.0
    startup_seconds: float = 60.0


class WorkerDied(Exception):
    """The worker's protocol channel closed (it crashed or exited)."""


class WorkerTimedOut(Exception):
    """No message arrived before the deadline."""


class Worker:
    """One worker process and its line-oriented protocol channel."""

    def __init__(self, command: Sequence[str], log: IO[bytes], env: dict[str, str]) -> None:
        """Start the worker; its stderr goes to ``log``."""
        self.process = subprocess.Popen(
            list(command),
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            env=env,
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self._fd = self.process.stdout.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = b""

    def send(self, path: Path) -> None:
        """Ask for one file."""
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(os.fsencode(path) + b"\n")
            self.process.stdin.flush()
        except BrokenPipeError as exc:
            raise WorkerDied from exc

    def receive(self, deadline: float) -> dict[str, Any]:
        """The next message, or WorkerTimedOut at ``deadline`` (monotonic), or WorkerDied."""
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._selector.select(remaining):
                raise WorkerTimedOut
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise WorkerDied
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        message: dict[str, Any] = json.loads(line)
        return message

    def kill(self) -> None:
        """Kill the worker's whole process group and reap it."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.close()

    def close(self) -> None:
        """Close the pipes and wait for the process."""
        self._selector.close()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        self.process.wait()

    def death(self) -> str:
        """How the process ended (``SIGSEGV``, ``exit 1``), after it has."""
        code = self.process.wait()
        if code < 0:
            try:
                return signal.Signals(-code).name
            except ValueError:
                return f"signal {-code}"
        return f"exit {code}"


class CorpusRun:
    """Feeds files to ``workers`` worker processes and collects one record per file."""

    def __init__(
        self,
        *,
        log_dir: Path,
        workers: int = 2,
        limits: Limits | None = None,
        command: Sequence[str] = WORKER_COMMAND,
        env: dict[str, str] | None = None,
    ) -> None:
        """Configure; nothing starts before :meth:`run`."""
        self.log_dir = log_dir
        self.workers = max(1, workers)
        self.limits = limits or Limits()
        self.command = tuple(command)
        self.env = dict(env if env is not None else os.environ)
        self.env.setdefault("QT_QPA_PLATFORM", "offscreen")
        self.env["PYTHONPATH"] = os.pathsep.join(
            filter(None, (str(REPO_ROOT), self.env.get("PYTHONPATH")))
        )
        self._results: dict[Path, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def run(self, paths: Sequence[Path]) -> list[dict[str, Any]]:
        """Handle every path; return the records in the order of ``paths``."""
        todo: queue.Queue[Path] = queue.Queue()
        for path in paths:
            todo.put(path)
        threads = [
            threading.Thread(target=self._serve, args=(todo, number), daemon=True)
            for number in range(min(self.workers, max(1, len(paths))))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [self._results[path] for path in paths]

    def _serve(self, todo: queue.Queue[Path], number: int) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        with (self.log_dir / f"worker-{number}.log").open("ab") as log:
            worker: Worker | None = None
            while True:
                try:
                    path = todo.get_nowait()
                except queue.Empty:
                    break
                if worker is None:
                    worker, failure = self._start(log)
                    if worker is None:
                        self._record(path, {"file": path.name, **failure})
                        continue
                record, alive = self._handle(worker, path)
                self._record(path, record)
                if not alive:
                    worker = None
            if worker is not None:
                worker.close()

    def _start(self, log: IO[bytes]) -> tuple[Worker | None, dict[str, Any]]:
        worker = Worker(self.command, log, self.env)
        try:
            message = worker.receive(time.monotonic() + self.limits.startup_seconds)
        except WorkerTimedOut:
            worker.kill()
            return None, {"status": "hung", "stage": "worker start"}
        except WorkerDied:
            return None, {"status": "crashed", "stage": "worker start", "death": worker.death()}
        if message.get("event") != "ready":
            worker.kill()
            return None, {"status": "error", "stage": "worker start", "message": str(message)}
        return worker, {}

    def _handle(self, worker: Worker, path: Path) -> tuple[dict[str, Any], bool]:
        """One file; returns its record and whether the worker is still usable."""
        started = time.monotonic()
        file_deadline = started + self.limits.file_seconds
        stage, done = "send", 0
        deadline = file_deadline
        try:
            worker.send(path)
            while True:
                message = worker.receive(deadline)
                event = message.get("event")
                if event == "result":
                    return message, True
                if event == "step":
                    stage, done = str(message.get("stage")), int(message.get("done", 0))
                    deadline = file_deadline
                    if stage == "render":
                        # The per-page cap: the next page must be done within page_seconds.
                        deadline = min(file_deadline, time.monotonic() + self.limits.page_seconds)
        except WorkerTimedOut:
            worker.kill()
            capped = "page" if stage == "render" and deadline < file_deadline else "file"
            record = {"status": "hung", "stage": stage, "done": done, "cap": capped}
        except WorkerDied:
            record = {"status": "crashed", "stage": stage, "done": done, "death": worker.death()}
            worker.close()
        record.update(
            file=path.name,
            bytes=path.stat().st_size,
            seconds=round(time.monotonic() - started, 2),
        )
        return record, False

    def _record(self, path: Path, record: dict[str, Any]) -> None:
        with self._lock:
            self._results[path] = record


def summary_line(records: Sequence[dict[str, Any]]) -> str:
    """``176 PDFs: 170 opened, 6 refused (InputFileError x6), 0 crashed, 0 hung, 0 errors``."""
    statuses = Counter(str(record.get("status")) for record in records)
    refusals = Counter(
        str(record.get("error")) for record in records if record["status"] == "refused"
    )
    reasons = ", ".join(f"{name} x{count}" for name, count in sorted(refusals.items()))
    refused = f"{statuses['refused']} refused" + (f" ({reasons})" if reasons else "")
    return (
        f"{len(records)} PDFs: {statuses['opened']} opened, {refused}, "
        f"{statuses['crashed']} crashed, {statuses['hung']} hung, {statuses['error']} errors"
    )


def unclean(records: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records that fail the test: crashes, hangs and exceptions that were not refusals."""
    return [record for record in records if record.get("status") not in CLEAN_STATUSES]


def write_report(records: Sequence[dict[str, Any]], path: Path) -> None:
    """The per-file results as JSON, with the summary line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    report = {"summary": summary_line(records), "files": list(records)}
    path.write_text(json.dumps(report, indent=2, sort_keys=True) + "\n", encoding="utf-8")
