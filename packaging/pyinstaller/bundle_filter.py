"""What the ReadingRoom bundle leaves out: Python modules, Qt libraries, Qt plugins, data files.

One list of rules, used in two places: the Qt hook overrides in ``hooks/`` apply it to what
PyInstaller's Qt hooks collect (so that the dependencies of a dropped plugin, such as GTK for the
``gtk3`` platform theme, are never analysed and pulled in), and ``readingroom.spec`` applies it
again to the final table of contents as a second guard. ``build.sh`` then lists the bundle and
fails if a forbidden library got in anyway.

The reasons, briefly: a reading room must not be able to print (no QtPrintSupport, no print
plugins), has no business on a network (no QtNetwork, TLS or network-information plugins, no
Python ``ssl``), uses no QML, Quick or WebEngine, and paints pages with Qt's raster engine, so
the OpenGL/EGL integrations are dead weight. It is English-only, so Qt's translations go too.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable

# Python modules that must not be importable from the bundle. PyInstaller's ``excludes`` makes
# an ``import`` of any of these fail at run time, which is the point.
EXCLUDED_MODULES: tuple[str, ...] = (
    "tkinter",
    "_tkinter",
    # No network: dropping ssl also drops the bundled libssl. (hashlib keeps libcrypto.)
    "ssl",
    "_ssl",
    "PySide6.QtPrintSupport",
    "PySide6.QtNetwork",
    "PySide6.QtNetworkAuth",
    "PySide6.QtQml",
    "PySide6.QtQmlFeatures",
    "PySide6.QtQuick",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuickTest",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtUiTools",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtLabsStyleKit",
)

_FORBIDDEN_QT_MODULES = (
    "printsupport|network|qml|quick|webengine|webchannel|websockets|pdf|designer|help|uitools|"
    "sql|test|labs|virtualkeyboard|eglfs|waylandcompositor|wlshell|waylandegl"
)
if sys.platform.startswith("linux"):
    # On Linux only the EGL/GL plugins dropped below link QtOpenGL (checked with readelf). On
    # Windows and macOS that was not checked (no such machine here), so there the library is
    # left to the hooks' own dependency analysis.
    _FORBIDDEN_QT_MODULES += "|opengl"

# Matches a Qt library in any platform's spelling: libQt6Network.so.6, Qt6Network.dll,
# QtNetwork (inside QtNetwork.framework). libpyside6qml is PySide's QML glue. opengl32sw.dll is
# Qt's software OpenGL renderer on Windows, which the raster-painted viewer never loads.
FORBIDDEN_LIBRARY = re.compile(
    rf"(^|[/\\])(lib)?(qt6?({_FORBIDDEN_QT_MODULES})|pyside6qml|opengl32sw)", re.IGNORECASE
)

# Qt plugins kept, by plugin type, as file-name stems without "lib" and extension (qxcb for
# libqxcb.so, qwindows for qwindows.dll); None keeps every plugin of the type. A type that is
# not listed is dropped whole: printsupport (no printing), tls and networkinformation (no
# network), platformthemes (Qt's own dialogs rather than GTK's or the portal's, which offer
# recent files, bookmarks and drag-out), generic (evdev/TUIO input; TUIO listens on UDP),
# sqldrivers, qmltooling, designer, egldeviceintegrations, xcbglintegrations and
# wayland-graphics-integration-client (all OpenGL/EGL).
KEPT_PLUGINS: dict[str, frozenset[str] | None] = {
    "platforms": frozenset({"qoffscreen", "qminimal", "qxcb", "qwayland", "qwindows", "qcocoa"}),
    "platforminputcontexts": frozenset(
        {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"}
    ),
    "imageformats": frozenset({"qsvg"}),
    "iconengines": frozenset({"qsvgicon"}),
    "styles": None,  # qmodernwindowsstyle, qmacstyle; Linux wheels ship none
    "wayland-decoration-client": frozenset({"bradient", "adwaita"}),
    "wayland-shell-integration": frozenset({"xdg-shell"}),
}

_PLUGIN_PATH = re.compile(r"(^|/)plugins/([^/]+)/([^/]+)$")


def plugin_stem(filename: str) -> str:
    """A plugin's name without prefix and suffix: ``libqxcb.so`` -> ``qxcb``."""
    stem = filename.split(".", 1)[0].lower()
    return stem.removeprefix("lib")


def is_unwanted(bundle_path: str) -> bool:
    """True when a file, given by its path inside the bundle, must be left out of it.

    Args:
        bundle_path: the destination path of the file inside the bundle, with either separator
            (``PySide6/Qt/plugins/platforms/libqxcb.so``).
    """
    posix = bundle_path.replace("\\", "/")
    if "/translations/" in f"/{posix}":
        return True  # Qt's .qm files: the app is English-only
    if "pymupdf/mupdf-devel/" in posix:
        return True  # MuPDF's C headers and import libraries, for building against it
    plugin = _PLUGIN_PATH.search(posix)
    if plugin is not None:
        kind, filename = plugin.group(2), plugin.group(3)
        if kind not in KEPT_PLUGINS:
            return True
        stems = KEPT_PLUGINS[kind]
        return stems is not None and plugin_stem(filename) not in stems
    return FORBIDDEN_LIBRARY.search(posix.rsplit("/", 1)[-1]) is not None


def keep_collected(entries: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """Filter a hook's ``binaries`` or ``datas``: (source file, destination folder) pairs."""
    kept = []
    for source, dest_dir in entries:
        name = source.replace("\\", "/").rsplit("/", 1)[-1]
        if not is_unwanted(f"{dest_dir}/{name}"):
            kept.append((source, dest_dir))
    return kept


def keep_hidden_imports(names: Iterable[str]) -> list[str]:
    """Filter a hook's ``hiddenimports`` against :data:`EXCLUDED_MODULES`."""
    return [name for name in names if name not in EXCLUDED_MODULES]
