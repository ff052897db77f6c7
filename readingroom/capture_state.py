"""What screen-capture protection is really in force: one value for the status bar, the audit
log and the workstation's ``require_capture_exclusion`` check (Qt-free).

The state is decided from what the operating system *read back* and from what its vendor
documents, never from what was asked for:

- ``enforced``: the OS reports the exclusion in force, and its documentation says it is honoured.
- ``partial``: Windows before 10 2004 (or a ``WDA_MONITOR`` fallback): captures show the window
  black, but it is still there.
- ``requested_not_enforced``: the request was made and the OS does not enforce it (current
  macOS), or refused it (a failed read-back).
- ``unavailable``: the platform has no such mechanism (X11, Wayland, no screen).

The native calls themselves live in ``readingroom.gui.capture_exclusion``.
"""

from __future__ import annotations

import platform
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from readingroom.errors import CaptureNotEnforced

if TYPE_CHECKING:
    from readingroom.audit import AuditLog, SessionContext
    from readingroom.config import WorkstationConfig

WDA_NONE = 0x00
WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11

# Microsoft's SetWindowDisplayAffinity page (learn.microsoft.com, winuser.h, Remarks): "Starting
# in Windows 10 Version 2004, WDA_EXCLUDEFROMCAPTURE is a supported value. Setting the display
# affinity to WDA_EXCLUDEFROMCAPTURE on previous version of Windows will behave as if WDA_MONITOR
# is applied." Version 2004 is build 19041. The same page says there is no guarantee against
# capture (unlike DRM), which the status text repeats.
WINDOWS_EXCLUDE_FROM_CAPTURE_BUILD = 19041

# Apple's documentation of NSWindow.SharingType.none (developer.apple.com, AppKit, availability
# "macOS 10.5+", as published in 2026) calls it "A legacy constant that macOS no longer uses" and
# says not to use it to hide content from capture. It names no version, so the boundary is the
# first macOS with a capture API that does not go through the window server's sharing check:
# ScreenCaptureKit, whose framework page gives availability "macOS 12.3+". Before 12.3 the
# capture APIs (CGWindowListCreateImage, CGDisplayCreateImage, CGDisplayStream) leave out
# windows whose sharing type is none; from 12.3 on a ScreenCaptureKit tool captures them anyway.
MACOS_SHARING_IGNORED_FROM = (12, 3)
# What macOS 11 and later report to a program built against an old SDK (SYSTEM_VERSION_COMPAT):
# it hides the real version, so it must not count as "before 12.3".
MACOS_COMPAT_VERSION = (10, 16)


class CaptureState(StrEnum):
    """The four states, as written in the audit log's ``capture.state``."""

    ENFORCED = "enforced"
    PARTIAL = "partial"
    REQUESTED_NOT_ENFORCED = "requested_not_enforced"
    UNAVAILABLE = "unavailable"


# Weakest first: a session's state is the weakest of its windows'.
_STRENGTH = {
    CaptureState.UNAVAILABLE: 0,
    CaptureState.REQUESTED_NOT_ENFORCED: 1,
    CaptureState.PARTIAL: 2,
    CaptureState.ENFORCED: 3,
}


@dataclass(frozen=True)
class OsInfo:
    """The operating system as the audit log names it: ``"<name> <version>"``."""

    name: str  # "Windows", "macOS", "Linux", ...
    version: str  # "10.0.19045", "14.5", "6.1.0-28-amd64"

    def label(self) -> str:
        """``"Windows 10.0.19045"``, ``"macOS 14.5"``..."""
        return f"{self.name} {self.version}".strip()

    def version_numbers(self) -> tuple[int, ...]:
        """The leading numbers of the version (``"10.0.19045"`` -> ``(10, 0, 19045)``)."""
        numbers: list[int] = []
        for part in self.version.split("."):
            match = re.match(r"\d+", part)
            if match is None:
                break
            numbers.append(int(match.group()))
        return tuple(numbers)


def current_os() -> OsInfo:
    """The operating system this process runs on."""
    if sys.platform == "win32":
        return OsInfo("Windows", platform.version())
    if sys.platform == "darwin":
        return OsInfo("macOS", platform.mac_ver()[0])
    return OsInfo(platform.system() or sys.platform, platform.release())


@dataclass(frozen=True)
class CaptureStatus:
    """What holds for one window (or a whole session): the state, the OS, what to tell people."""

    state: CaptureState
    os: str
    text: str  # the status bar's sentence
    detail: str = ""  # a longer explanation (the status bar's tooltip)

    def record(self) -> dict[str, str]:
        """The audit log's ``capture`` field: ``{"state": ..., "os": ...}``."""
        return {"state": self.state.value, "os": self.os}

    def is_enforced(self) -> bool:
        """True only when the OS enforces the exclusion."""
        return self.state is CaptureState.ENFORCED


def weakest(statuses: Sequence[CaptureStatus]) -> CaptureStatus | None:
    """The weakest status (the first of equals), or None for no status."""
    if not statuses:
        return None
    return min(statuses, key=lambda status: _STRENGTH[status.state])


_NOT_GUARANTEED = (
    "Microsoft gives no guarantee against every capture tool, and a camera still works."
)


def windows_status(os: OsInfo, affinity: int | None) -> CaptureStatus:
    """The state from what ``GetWindowDisplayAffinity`` read back (None: the call failed)."""
    label = os.label()
    numbers = os.version_numbers()
    build = numbers[2] if len(numbers) >= 3 else 0
    if affinity == WDA_EXCLUDEFROMCAPTURE and build >= WINDOWS_EXCLUDE_FROM_CAPTURE_BUILD:
        return CaptureStatus(
            CaptureState.ENFORCED,
            label,
            f"Screen capture: excluded by {label}",
            "Windows leaves this window out of screen captures (WDA_EXCLUDEFROMCAPTURE, read "
            f"back from Windows). {_NOT_GUARANTEED}",
        )
    if affinity in (WDA_MONITOR, WDA_EXCLUDEFROMCAPTURE):
        return CaptureStatus(
            CaptureState.PARTIAL,
            label,
            f"Screen capture: partial (the window shows black) on {label}",
            "This Windows version only blanks the window in captures (WDA_MONITOR): a capture "
            f"shows a black rectangle where the page is. {_NOT_GUARANTEED}",
        )
    return CaptureStatus(
        CaptureState.REQUESTED_NOT_ENFORCED,
        label,
        f"Screen capture: requested; not enforced by {label}",
        "Windows did not confirm the exclusion from capture: screen captures include the page.",
    )


def macos_status(os: OsInfo, *, reads_back_none: bool) -> CaptureStatus:
    """The state from the macOS version and whether ``sharingType`` read back as none."""
    label = os.label()
    version = os.version_numbers()
    honoured = bool(version) and version[:2] != MACOS_COMPAT_VERSION
    if reads_back_none and honoured and version < MACOS_SHARING_IGNORED_FROM:
        return CaptureStatus(
            CaptureState.ENFORCED,
            label,
            f"Screen capture: excluded by {label}",
            "This macOS version leaves windows whose sharing type is none out of screen "
            "captures; a camera still works.",
        )
    return CaptureStatus(
        CaptureState.REQUESTED_NOT_ENFORCED,
        label,
        f"Screen capture: requested; not enforced by {label}",
        "The window asks not to be shared (NSWindowSharingNone), but current macOS ignores "
        "that: screen captures and recordings include the page.",
    )


def unavailable_status(os: OsInfo, platform_name: str) -> CaptureStatus:
    """The state on a platform with no exclusion, named by the Qt platform plugin."""
    label = os.label()
    if platform_name == "xcb":
        why, detail = "impossible on X11", "Any program on an X11 display can read the screen."
    elif platform_name.startswith("wayland"):
        why = "depends on the compositor, Wayland"
        detail = "Wayland has no standard way to exclude a window; the compositor decides."
    elif platform_name in {"offscreen", "minimal"}:
        why, detail = "no screen, offscreen display", "Nothing is on a screen to capture."
    elif platform_name in {"windows", "cocoa"}:
        why = f"the window could not be reached on {label}"
        detail = "The operating system's window could not be given the exclusion."
    else:
        why = f"no exclusion on this platform, {platform_name or 'unknown'}"
        detail = "This platform offers no way to exclude a window from screen capture."
    return CaptureStatus(
        CaptureState.UNAVAILABLE, label, f"Screen capture: not blocked ({why})", detail
    )


def refuse_unless_enforced(
    status: CaptureStatus,
    config: WorkstationConfig,
    *,
    audit: AuditLog,
    session: SessionContext,
) -> None:
    """Apply ``require_capture_exclusion``: record why and refuse when capture is not excluded.

    Raises:
        CaptureNotEnforced: the workstation requires the exclusion and ``status`` is not
            "enforced"; an ``unlock_failed`` record (reason "capture not enforced", with the
            ``capture`` field) is durable first.
        AuditUnavailable: that record could not be written.
    """
    if not config.require_capture_exclusion or status.is_enforced():
        return
    error = CaptureNotEnforced()
    audit.append("unlock_failed", session=session, reason=error.reason, capture=status.record())
    raise error
