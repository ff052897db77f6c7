"""Screen-capture exclusion where the platform offers it, and an honest statement of what holds.

- Windows 10 2004+: ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)``; older Windows
  only knows ``WDA_MONITOR`` (captures show a black window). The affinity is read back with
  ``GetWindowDisplayAffinity`` so the status bar reports what is really in force.
- macOS: ``NSWindow.sharingType = NSWindowSharingNone`` through the Objective-C runtime (the
  ``winId()`` of a Qt window there is its ``NSView``). Some newer capture APIs ignore it.
- X11 cannot exclude a window from capture; Wayland leaves it to the compositor.

Every top-level window gets it, and again whenever Qt recreates the native window (the handle
changes on ``WinIdChange`` / ``PlatformSurface``). The native calls sit behind small injectable
objects so that the Windows and macOS paths are tested on any platform.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QPlatformSurfaceEvent
from PySide6.QtWidgets import QWidget

WDA_NONE = 0x00
WDA_MONITOR = 0x01
WDA_EXCLUDEFROMCAPTURE = 0x11
NS_WINDOW_SHARING_NONE = 0


@dataclass(frozen=True)
class CaptureState:
    """What is in force for one window: whether capture is blocked, and the sentence to show."""

    blocked: bool
    text: str


class CaptureBackend(Protocol):
    """Applies the platform's exclusion to one native window and reports the result."""

    def apply(self, win_id: int) -> CaptureState:
        """Exclude the native window ``win_id`` from capture, read back, and say what holds."""
        ...


class Win32DisplayAffinity(Protocol):
    """The two user32 calls, as plain Python (faked in tests)."""

    def set_affinity(self, hwnd: int, affinity: int) -> bool:
        """``SetWindowDisplayAffinity``; True on success."""
        ...

    def get_affinity(self, hwnd: int) -> int | None:
        """``GetWindowDisplayAffinity``; None when the call fails."""
        ...


class ObjcWindowSharing(Protocol):
    """The three Objective-C messages needed on macOS (faked in tests)."""

    def window_of_view(self, view: int) -> int:
        """``[view window]``; 0 when the view is not in a window yet."""
        ...

    def set_sharing_type(self, window: int, sharing_type: int) -> None:
        """``[window setSharingType:sharing_type]``."""
        ...

    def sharing_type(self, window: int) -> int:
        """``[window sharingType]``."""
        ...


class WindowsCaptureBackend:
    """``SetWindowDisplayAffinity`` with a read-back, falling back to ``WDA_MONITOR``."""

    def __init__(self, api: Win32DisplayAffinity) -> None:
        """Use ``api`` for the native calls (the real user32 or a test fake)."""
        self._api = api

    def apply(self, win_id: int) -> CaptureState:
        """Exclude the window; Windows before 10 2004 refuses 0x11, so try WDA_MONITOR then."""
        if not self._api.set_affinity(win_id, WDA_EXCLUDEFROMCAPTURE):
            self._api.set_affinity(win_id, WDA_MONITOR)
        affinity = self._api.get_affinity(win_id)
        if affinity == WDA_EXCLUDEFROMCAPTURE:
            return CaptureState(True, "Screen capture blocked (Windows)")
        if affinity == WDA_MONITOR:
            return CaptureState(True, "Screen capture shows a black window (older Windows)")
        return CaptureState(False, "Screen capture could not be blocked (Windows)")


class MacCaptureBackend:
    """``NSWindow.sharingType = NSWindowSharingNone`` with a read-back."""

    def __init__(self, api: ObjcWindowSharing) -> None:
        """Use ``api`` for the Objective-C messages (the real runtime or a test fake)."""
        self._api = api

    def apply(self, win_id: int) -> CaptureState:
        """Set the sharing type of the NSWindow behind the view ``win_id`` and read it back."""
        window = self._api.window_of_view(win_id)
        if window:
            self._api.set_sharing_type(window, NS_WINDOW_SHARING_NONE)
            if self._api.sharing_type(window) == NS_WINDOW_SHARING_NONE:
                # Honest: ScreenCaptureKit on macOS 15 has been reported to ignore sharingType.
                return CaptureState(True, "Screen capture blocked where macOS honours it (macOS)")
        return CaptureState(False, "Screen capture could not be blocked (macOS)")


class UnsupportedCaptureBackend:
    """A platform with no exclusion: always says so, never claims more."""

    def __init__(self, text: str) -> None:
        """Report ``text`` for every window."""
        self._state = CaptureState(False, text)

    def apply(self, win_id: int) -> CaptureState:
        """Nothing can be done here; return the fixed limitation."""
        return self._state


def backend_for_platform(platform_name: str) -> CaptureBackend:
    """The backend for a Qt platform plugin name (``QGuiApplication.platformName()``)."""
    if platform_name == "windows" and sys.platform == "win32":
        return WindowsCaptureBackend(_User32DisplayAffinity())
    if platform_name == "cocoa" and sys.platform == "darwin":
        runtime = _ObjcRuntime.load()
        if runtime is not None:
            return MacCaptureBackend(runtime)
        return UnsupportedCaptureBackend("Screen capture could not be blocked (macOS)")
    return UnsupportedCaptureBackend(limitation_text(platform_name))


def limitation_text(platform_name: str) -> str:
    """What to say on a platform that offers no capture exclusion."""
    if platform_name == "xcb":
        return "Screen capture cannot be blocked on this platform (X11)"
    if platform_name.startswith("wayland"):
        return "Screen capture not blocked: depends on the compositor (Wayland)"
    if platform_name in {"offscreen", "minimal"}:
        return "Screen capture not blocked: offscreen display (tests, no screen)"
    return f"Screen capture cannot be blocked on this platform ({platform_name or 'unknown'})"


class CaptureExclusion(QObject):
    """Applies a backend to every top-level window, and reports the state in force.

    Install it as an application event filter. It reacts to a window being shown and to its
    native handle changing, so a window Qt recreates (full screen, flag changes) is covered again.
    """

    status_changed = Signal(str)

    def __init__(self, backend: CaptureBackend, parent: QObject | None = None) -> None:
        """Apply ``backend`` from now on; nothing is applied until windows appear."""
        super().__init__(parent)
        self._backend = backend
        self._states: dict[int, CaptureState] = {}
        self._status = ""

    def status_text(self) -> str:
        """The sentence for the status bar: the weakest state over the windows seen."""
        return self._status

    def apply_to(self, widget: QWidget) -> None:
        """Apply the exclusion to ``widget``'s native window now (it must be top-level)."""
        handle = int(widget.internalWinId() or 0)
        if not handle:
            return
        self._states[handle] = self._backend.apply(handle)
        self._update_status()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Re-apply on show and whenever a top-level widget's native window is (re)created."""
        if isinstance(watched, QWidget) and watched.isWindow():
            kind = event.type()
            if kind in (QEvent.Type.Show, QEvent.Type.WinIdChange) or _surface_created(event):
                self.apply_to(watched)
        return False

    def _update_status(self) -> None:
        # A window that failed makes the whole statement weaker: report the first failure.
        states = list(self._states.values())
        failed = [state for state in states if not state.blocked]
        if not states:
            return
        text = failed[0].text if failed else states[-1].text
        if text != self._status:
            self._status = text
            self.status_changed.emit(text)


def _surface_created(event: QEvent) -> bool:
    return (
        isinstance(event, QPlatformSurfaceEvent)
        and event.surfaceEventType() == QPlatformSurfaceEvent.SurfaceEventType.SurfaceCreated
    )


class _User32DisplayAffinity:
    """The real user32 calls through ctypes (Windows only)."""

    def __init__(self) -> None:
        from ctypes import wintypes  # noqa: PLC0415 - Windows-only module contents

        user32 = ctypes.WinDLL("user32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
        self._set = user32.SetWindowDisplayAffinity
        self._set.argtypes = [wintypes.HWND, wintypes.DWORD]
        self._set.restype = wintypes.BOOL
        self._get = user32.GetWindowDisplayAffinity
        self._get.argtypes = [wintypes.HWND, ctypes.POINTER(wintypes.DWORD)]
        self._get.restype = wintypes.BOOL
        self._dword = wintypes.DWORD

    def set_affinity(self, hwnd: int, affinity: int) -> bool:
        return bool(self._set(hwnd, affinity))

    def get_affinity(self, hwnd: int) -> int | None:
        value = self._dword(0)
        if not self._get(hwnd, ctypes.byref(value)):
            return None
        return int(value.value)


class _ObjcRuntime:
    """``objc_msgSend`` through ctypes, one prototype per message (arm64 needs exact types)."""

    def __init__(self, lib: ctypes.CDLL) -> None:
        send = lib.objc_msgSend
        register = lib.sel_registerName
        register.restype = ctypes.c_void_p
        register.argtypes = [ctypes.c_char_p]
        address = ctypes.cast(send, ctypes.c_void_p).value
        if address is None:
            raise OSError("objc_msgSend not found")
        returns_pointer = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)
        returns_ulong = ctypes.CFUNCTYPE(ctypes.c_ulong, ctypes.c_void_p, ctypes.c_void_p)
        takes_ulong = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_ulong)
        self._send_pointer = returns_pointer(address)
        self._send_ulong = returns_ulong(address)
        self._send_set_ulong = takes_ulong(address)
        self._sel_window = register(b"window")
        self._sel_set_sharing = register(b"setSharingType:")
        self._sel_sharing = register(b"sharingType")

    @classmethod
    def load(cls) -> _ObjcRuntime | None:
        path = ctypes.util.find_library("objc")
        if path is None:
            return None
        try:
            return cls(ctypes.CDLL(path))
        except (OSError, AttributeError):
            return None

    def window_of_view(self, view: int) -> int:
        return int(self._send_pointer(view, self._sel_window) or 0)

    def set_sharing_type(self, window: int, sharing_type: int) -> None:
        self._send_set_ulong(window, self._sel_set_sharing, sharing_type)

    def sharing_type(self, window: int) -> int:
        return int(self._send_ulong(window, self._sel_sharing))
