"""Shipping after each session, in the background: the audit service's ``ship_to``.

The audit service owns the log and outlives every viewer, so it is where shipping happens (see
docs/deployment.md "Many workstations"): after each ``session_ended`` it calls
:meth:`AutoShipper.request`, which only sets an event. One thread does the work with
:func:`readingroom.fleet.ship.ship_log`, so a request never waits on the network and two runs
never overlap. Requests that arrive during a run are folded into one more run. When the database
cannot be reached, the records stay in the local log and the thread tries again after a growing
delay (or at the next session's end, whichever comes first); shipping is idempotent by
``(log_id, seq)``, so nothing is sent twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from readingroom.errors import AuditTampered, CentralUnavailable, ReadingRoomError
from readingroom.fleet.ship import ship_log

# Seconds before trying again while the database cannot be reached; the last one repeats.
RETRY_SECONDS = (30.0, 60.0, 120.0, 300.0, 600.0)
# Called with one line for the service's log (journal): what a run did, or why it failed.
Report = Callable[[str], None]


class AutoShipper:
    """A background thread that ships the log whenever asked, and retries while the DB is down."""

    def __init__(
        self,
        directory: Path,
        dsn: str,
        *,
        workstation: str,
        report: Report,
        retry_seconds: Sequence[float] = RETRY_SECONDS,
    ) -> None:
        """Ship ``directory`` to ``dsn`` on request; ``report`` gets one line per outcome."""
        if not retry_seconds:
            raise ValueError("retry_seconds needs at least one delay")
        self._directory = directory
        self._dsn = dsn
        self._workstation = workstation
        self._report = report
        self._retry_seconds = tuple(retry_seconds)
        self._wanted = threading.Event()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-ship", daemon=True)
        self.runs = 0  # finished runs, whatever their outcome (tests wait on it)

    def start(self) -> None:
        """Start the thread and ship what waits from before (records of earlier sessions)."""
        self._wanted.set()
        self._thread.start()

    def request(self) -> None:
        """Ask for a run soon; returns at once."""
        self._wanted.set()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the batch in flight (or give up waiting: each batch is one transaction)."""
        self._stopped.set()
        self._wanted.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stopped.is_set():
            delay = self._retry_seconds[min(failures, len(self._retry_seconds)) - 1]
            self._wanted.wait(delay if failures else None)
            if self._stopped.is_set():
                break
            self._wanted.clear()
            failures = failures + 1 if self._ship_once() else 0
            self.runs += 1

    def _ship_once(self) -> bool:
        """One run; True when it should be retried later (the database was unreachable)."""
        try:
            result = ship_log(self._directory, self._dsn, workstation=self._workstation)
        except CentralUnavailable as error:
            self._report(f"Not shipped: {error} ({error.reason})")
            return True
        except AuditTampered as error:
            # An alarm for the auditor (verify --against); retrying cannot help, the next
            # session's end tries again.
            self._report(f"Not shipped, audit alarm: {error}")
        except ReadingRoomError as error:
            self._report(f"Not shipped: {error}")
        except OSError:
            self._report("Not shipped: the local audit log could not be read.")
        else:
            if result.shipped:
                self._report(
                    f"Shipped {result.shipped:,} records; the central copy ends at seq "
                    f"{result.last_seq:,}."
                )
        return False
