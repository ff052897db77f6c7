"""Screen-capture exclusion where the platform offers it, read back, and reported as it is.

- Windows: ``SetWindowDisplayAffinity(hwnd, WDA_EXCLUDEFROMCAPTURE)``, falling back to
  ``WDA_MONITOR``; what counts is what ``GetWindowDisplayAffinity`` reads back.
- macOS: ``NSWindow.sharingType = NSWindowSharingNone`` through the Objective-C runtime (the
  ``winId()`` of a Qt window there is its ``NSView``). It is still requested, but current macOS
  does not enforce it (the version boundary and its source are in ``readingroom.capture_state``).
- X11 cannot exclude a window from capture; Wayland leaves it to the compositor.

Every top-level window gets it, and again whenever Qt recreates the native window (the handle
changes on ``WinIdChange`` / ``PlatformSurface``). The state for each window is decided in the
Qt-free :mod:`readingroom.capture_state`; the native calls sit behind small injectable objects so
that the Windows and macOS paths are tested on any platform.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from typing import Protocol

import shiboken6
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QPlatformSurfaceEvent
from PySide6.QtWidgets import QWidget

from readingroom.capture_state import (
    WDA_EXCLUDEFROMCAPTURE,
    WDA_MONITOR,
    CaptureStatus,
    OsInfo,
    current_os,
    macos_status,
    unavailable_status,
    weakest,
    windows_status,
)

NS_WINDOW_SHARING_NONE = 0


class CaptureBackend(Protocol):
    """Applies the platform's exclusion to one native window and reports the result."""

    def apply(self, win_id: int) -> CaptureStatus:
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

    def __init__(self, api: Win32DisplayAffinity, os: OsInfo) -> None:
        """Use ``api`` for the native calls (the real user32 or a test fake) on Windows ``os``."""
        self._api = api
        self._os = os

    def apply(self, win_id: int) -> CaptureStatus:
        """Exclude the window; some Windows refuse 0x11, so try WDA_MONITOR then; read back."""
        if not self._api.set_affinity(win_id, WDA_EXCLUDEFROMCAPTURE):
            self._api.set_affinity(win_id, WDA_MONITOR)
        return windows_status(self._os, self._api.get_affinity(win_id))


class MacCaptureBackend:
    """``NSWindow.sharingType = NSWindowSharingNone`` with a read-back."""

    def __init__(self, api: ObjcWindowSharing, os: OsInfo) -> None:
        """Use ``api`` for the Objective-C messages (the real runtime or a test fake)."""
        self._api = api
        self._os = os

    def apply(self, win_id: int) -> CaptureStatus:
        """Set the sharing type of the NSWindow behind the view ``win_id`` and read it back."""
        window = self._api.window_of_view(win_id)
        if not window:
            return unavailable_status(self._os, "cocoa")
        # Requested even where macOS ignores it: it costs nothing and older capture APIs obey it.
        self._api.set_sharing_type(window, NS_WINDOW_SHARING_NONE)
        reads_back_none = self._api.sharing_type(window) == NS_WINDOW_SHARING_NONE
        return macos_status(self._os, reads_back_none=reads_back_none)


class UnsupportedCaptureBackend:
    """A platform with no exclusion: always says so, never claims more."""

    def __init__(self, status: CaptureStatus) -> None:
        """Report ``status`` for every window."""
        self._status = status

    def apply(self, win_id: int) -> CaptureStatus:
        """Nothing can be done here; return the fixed limitation."""
        return self._status


def backend_for_platform(platform_name: str, os: OsInfo | None = None) -> CaptureBackend:
    """The backend for a Qt platform plugin name (``QGuiApplication.platformName()``)."""
    os = os or current_os()
    if platform_name == "windows" and sys.platform == "win32":
        return WindowsCaptureBackend(_User32DisplayAffinity(), os)
    if platform_name == "cocoa" and sys.platform == "darwin":
        runtime = _ObjcRuntime.load()
        if runtime is not None:
            return MacCaptureBackend(runtime, os)
    return UnsupportedCaptureBackend(unavailable_status(os, platform_name))


class CaptureExclusion(QObject):
    """Applies a backend to every top-level window, and reports the state in force.

    Install it as an application event filter. It reacts to a window being shown and to its
    native handle changing, so a window Qt recreates (full screen, flag changes) is covered again.
    The state reported is the weakest over the live windows it has seen.
    """

    status_changed = Signal(object)  # the new CaptureStatus

    def __init__(self, backend: CaptureBackend, parent: QObject | None = None) -> None:
        """Apply ``backend`` from now on; nothing is applied until windows appear."""
        super().__init__(parent)
        self._backend = backend
        self._states: dict[int, CaptureStatus] = {}
        self._status: CaptureStatus | None = None

    def status(self) -> CaptureStatus | None:
        """The weakest state over the live windows seen (None before the first window)."""
        return self._status

    def status_text(self) -> str:
        """The sentence for the status bar ("" before the first window)."""
        return self._status.text if self._status is not None else ""

    def probe(self) -> CaptureStatus:
        """What a new top-level window of this process gets, weakened by the windows seen.

        A hidden window's native handle is created (never shown), excluded and read back: the
        state is known before any document is decrypted, for ``session_started`` and the
        workstation's ``require_capture_exclusion``.
        """
        window = QWidget()
        try:
            handle = int(window.winId())  # creates the native window without showing it
            probed = self._backend.apply(handle)
        finally:
            window.deleteLater()
        result = weakest([probed, *self._states.values()])
        assert result is not None
        return result

    def apply_to(self, widget: QWidget) -> None:
        """Apply the exclusion to ``widget``'s native window now (it must be top-level)."""
        handle = int(widget.internalWinId() or 0)
        if not handle:
            return
        key = _object_key(widget)
        if key not in self._states:
            # Forget a window once it is gone, so its state no longer weakens the report.
            widget.destroyed.connect(lambda _obj=None, key=key: self._forget(key))
        self._states[key] = self._backend.apply(handle)
        self._update_status()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        """Re-apply on show and whenever a top-level widget's native window is (re)created."""
        if isinstance(watched, QWidget) and watched.isWindow():
            kind = event.type()
            if kind in (QEvent.Type.Show, QEvent.Type.WinIdChange) or _surface_created(event):
                self.apply_to(watched)
        return False

    def _forget(self, key: int) -> None:
        # A window may outlive this object (at shutdown): then there is no one left to tell.
        if not shiboken6.isValid(self):
            return
        if self._states.pop(key, None) is not None:
            self._update_status()

    def _update_status(self) -> None:
        status = weakest(list(self._states.values()))
        if status is None or status == self._status:
            return
        self._status = status
        self.status_changed.emit(status)


def session_capture_status(capture: CaptureExclusion | None) -> CaptureStatus:
    """The state a session starts with: probed now, or "unavailable" when nothing applies it."""
    if capture is None:
        return unavailable_status(current_os(), "")
    return capture.probe()


def _object_key(widget: QWidget) -> int:
    # The C++ object's address: stable for the widget's life (a Python id() is not).
    return int(shiboken6.getCppPointer(widget)[0])


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
