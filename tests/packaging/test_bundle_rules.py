"""What the PyInstaller bundle keeps and drops (packaging/pyinstaller/bundle_filter.py), and the
macOS and Windows declarations of the review-file type agree with the Linux one.

These run everywhere in a second: the bundle itself is built and checked by
packaging/pyinstaller/build.sh and smoke_test.sh, which take minutes.
"""

from __future__ import annotations

import importlib.util
import plistlib
import re
from types import ModuleType

import pytest

from tests.packaging.conftest import APP_ID, MIME_TYPE, PACKAGING


def load_bundle_filter() -> ModuleType:
    # packaging/ is not a Python package; the spec and the hooks put its folder on sys.path.
    path = PACKAGING / "pyinstaller" / "bundle_filter.py"
    spec = importlib.util.spec_from_file_location("bundle_filter", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_filter = load_bundle_filter()


@pytest.mark.parametrize(
    "bundle_path",
    [
        "PySide6/Qt/lib/libQt6PrintSupport.so.6",
        "PySide6/QtPrintSupport.abi3.so",
        "PySide6/Qt6PrintSupport.dll",
        "PySide6/Qt/lib/QtPrintSupport.framework/Versions/A/QtPrintSupport",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/lib/libQt6Network.so.6",
        "PySide6/Qt/plugins/tls/libqopensslbackend.so",
        "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so",
        "PySide6/Qt/lib/libQt6Qml.so.6",
        "PySide6/Qt/lib/libQt6Quick.so.6",
        "PySide6/libpyside6qml.abi3.so.6.12",
        "PySide6/Qt/plugins/platforms/libqvnc.so",
        "PySide6/Qt/plugins/platforms/libqeglfs.so",
        "PySide6/Qt/plugins/platforms/libqminimalegl.so",
        "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
        "PySide6/Qt/plugins/generic/libqtuiotouchplugin.so",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
        "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "PySide6/Qt/translations/qtbase_de.qm",
        "PySide6\\opengl32sw.dll",
        "pymupdf/mupdf-devel/include/mupdf/fitz.h",
    ],
)
def test_what_a_reading_room_must_not_carry_is_dropped(bundle_path: str) -> None:
    assert bundle_filter.is_unwanted(bundle_path)


@pytest.mark.parametrize(
    "bundle_path",
    [
        "PySide6/Qt/lib/libQt6Core.so.6",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Widgets.so.6",
        "PySide6/Qt/lib/libQt6Svg.so.6",
        "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/lib/libQt6WaylandClient.so.6",
        "PySide6/Qt/lib/libQt6DBus.so.6",
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so",
        "PySide6/Qt/plugins/platforms/libqoffscreen.so",
        "PySide6/Qt/plugins/platforms/qwindows.dll",
        "PySide6/Qt/plugins/platforms/libqcocoa.dylib",
        "PySide6/Qt/plugins/imageformats/libqsvg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/plugins/styles/qmodernwindowsstyle.dll",
        "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "pymupdf/libmupdf.so.28.2",
        "cryptography/hazmat/bindings/_rust.abi3.so",
        "libpython3.11.so.1.0",
    ],
)
def test_what_the_viewer_needs_is_kept(bundle_path: str) -> None:
    assert not bundle_filter.is_unwanted(bundle_path)


def test_hook_filter_keeps_pairs_by_destination() -> None:
    collected = [
        ("/site/PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms"),
        ("/site/PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platforms"),
        ("/site/PySide6/Qt/translations/qt_fr.qm", "PySide6/Qt/translations"),
    ]
    assert bundle_filter.keep_collected(collected) == collected[:1]
    assert bundle_filter.keep_hidden_imports(["PySide6.QtGui", "PySide6.QtPrintSupport"]) == [
        "PySide6.QtGui"
    ]


def test_macos_declares_the_same_type_owned_by_the_app() -> None:
    plist = plistlib.loads((PACKAGING / "macos" / "Info.plist").read_bytes())
    assert plist["CFBundleIdentifier"] == APP_ID
    # The version comes from the spec, never from a second copy here.
    assert "CFBundleShortVersionString" not in plist
    (exported,) = plist["UTExportedTypeDeclarations"]
    assert exported["UTTypeConformsTo"] == ["public.data"]
    tags = exported["UTTypeTagSpecification"]
    assert tags["public.filename-extension"] == ["rrf"]
    assert tags["public.mime-type"] == [MIME_TYPE]
    (document,) = plist["CFBundleDocumentTypes"]
    assert document["LSItemContentTypes"] == [exported["UTTypeIdentifier"]]
    assert document["LSHandlerRank"] == "Owner"
    assert document["CFBundleTypeRole"] == "Viewer"
    # An empty entitlements dictionary: no hardened-runtime exception, no network.
    assert plistlib.loads((PACKAGING / "macos" / "entitlements.plist").read_bytes()) == {}


def test_windows_installer_associates_rrf_with_the_viewer() -> None:
    script = (PACKAGING / "windows" / "readingroom.iss").read_text(encoding="utf-8")
    defines = dict(re.findall(r'^#define (\w+) "([^"]*)"', script, re.MULTILINE))
    assert defines["MimeType"] == MIME_TYPE
    assert defines["AppId"] == APP_ID
    assert 'ValueData: """{app}\\readingroomw.exe"" view ""%1"""' in script
    assert 'Subkey: "Software\\Classes\\.rrf"' in script
    assert "ChangesAssociations=yes" in script
