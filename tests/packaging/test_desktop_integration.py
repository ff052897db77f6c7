"""The Linux desktop files validate with the freedesktop tools and agree with each other.

The consistency tests are pure Python and always run. The validator tests need Debian's
desktop-file-utils, appstream, shared-mime-info and xdg-utils; they skip without them unless
READINGROOM_REQUIRE_DESKTOP_TOOLS=1.
"""

from __future__ import annotations

import configparser
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from readingroom import __version__
from readingroom.review_file import MAGIC
from tests.packaging.conftest import (
    APP_ID,
    ICONS,
    LINUX,
    MIME_ICON,
    MIME_TYPE,
    require_tool,
)

DESKTOP_FILE = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME_XML = LINUX / "readingroom-mime.xml"
SMI = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    # interpolation=None: desktop files use "%f", which configparser would try to expand.
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP_FILE, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_review_files_in_the_viewer() -> None:
    entry = desktop_entry()
    assert entry["Exec"] == "readingroom view %f"
    assert entry["MimeType"] == f"{MIME_TYPE};"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"


def test_metainfo_matches_version_desktop_file_and_mime_type() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP_FILE.name
    assert [m.text for m in root.iter("mediatype")] == [MIME_TYPE]
    releases = root.findall("releases/release")
    # The newest release comes first and must be the version being packaged.
    assert releases, "metainfo has no release"
    assert releases[0].get("version") == __version__
    assert root.find("content_rating") is not None


def test_mime_definition_uses_the_format_magic_and_extension() -> None:
    root = ET.parse(MIME_XML).getroot()
    (mime_type,) = root.findall(f"{SMI}mime-type")
    assert mime_type.get("type") == MIME_TYPE
    assert [g.get("pattern") for g in mime_type.iter(f"{SMI}glob")] == ["*.rrf"]
    (match,) = mime_type.iter(f"{SMI}match")
    assert match.get("type") == "string"
    assert match.get("offset") == "0"
    # shared-mime-info strings take C escapes; the file format's magic ends with a newline.
    value = match.get("value", "").encode("ascii").decode("unicode_escape").encode("latin-1")
    assert value == MAGIC
    icon = mime_type.find(f"{SMI}icon")
    assert icon is not None
    assert icon.get("name") == MIME_ICON


def test_icons_exist_at_every_size_the_desktop_needs() -> None:
    for size in (16, 32, 48, 64, 128, 256):
        for folder, name in (("apps", APP_ID), ("mimetypes", MIME_ICON)):
            png = ICONS / "hicolor" / f"{size}x{size}" / folder / f"{name}.png"
            data = png.read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n", png
            # IHDR is the first chunk: width and height are big-endian at bytes 16..24.
            width = int.from_bytes(data[16:20], "big")
            height = int.from_bytes(data[20:24], "big")
            assert (width, height) == (size, size), png
    for name in (APP_ID, MIME_ICON):
        assert (ICONS / f"{name}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_desktop_file_validates() -> None:
    tool = require_tool("desktop-file-validate")
    result = subprocess.run([tool, str(DESKTOP_FILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    # desktop-file-validate prints hints and errors; errors are what packaging must not have.
    assert "error:" not in result.stdout, result.stdout


def test_metainfo_validates_without_network() -> None:
    tool = require_tool("appstreamcli")
    result = subprocess.run(
        [tool, "validate", "--no-net", str(METAINFO)], capture_output=True, text=True, check=False
    )
    # Exit 0 means no errors and no warnings; pedantic notes and infos are allowed.
    assert result.returncode == 0, result.stdout + result.stderr


def installed_mime_database(tmp_path: Path) -> dict[str, str]:
    """Install readingroom-mime.xml into a private XDG data dir; return an environment using it."""
    data = tmp_path / "xdg-data"
    packages = data / "mime" / "packages"
    packages.mkdir(parents=True)
    (packages / MIME_XML.name).write_bytes(MIME_XML.read_bytes())
    update = require_tool("update-mime-database")
    subprocess.run([update, str(data / "mime")], check=True, capture_output=True)
    assert (data / "mime" / "mime.cache").is_file()
    # XDG_DATA_HOME is searched first, then XDG_DATA_DIRS; /usr/share supplies the base types
    # (text/plain, application/octet-stream) that ours must win against. HOME is the temp dir
    # so no user-level mimeapps or database leaks in.
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(data),
        "XDG_DATA_DIRS": f"{data}:/usr/share",
    }


# xdg-mime picks its backend from the desktop: GNOME -> `gio info` (GLib's shared-mime-info
# reader), no desktop -> `mimetype` (Perl File::MimeInfo). Both must see our database.
BACKENDS = {"gio": ("GNOME", "gio"), "mimetype": ("", "mimetype")}


@pytest.mark.parametrize("backend", sorted(BACKENDS))
def test_xdg_mime_recognises_review_files_by_content_and_name(tmp_path: Path, backend: str) -> None:
    desktop, tool = BACKENDS[backend]
    xdg_mime = require_tool("xdg-mime")
    require_tool(tool)
    env = installed_mime_database(tmp_path)
    if desktop:
        env["XDG_CURRENT_DESKTOP"] = desktop
    samples = tmp_path / "samples"
    samples.mkdir()
    body = MAGIC + bytes(range(256))  # what follows the magic is binary
    cases = {
        "sample.rrf": (body, MIME_TYPE),
        # Magic alone: a review file renamed by a mail client is still recognised.
        "renamed.bin": (body, MIME_TYPE),
        # A near miss of the magic without the extension is not ours.
        "other.bin": (b"readingroom-review/v2\n" + bytes(range(256)), "application/octet-stream"),
        "notes.txt": (b"plain text\n", "text/plain"),
    }
    for name, (content, expected) in cases.items():
        path = samples / name
        path.write_bytes(content)
        result = subprocess.run(
            [xdg_mime, "query", "filetype", str(path)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        assert result.stdout.strip() == expected, (name, result.stdout, result.stderr)


def test_install_script_makes_the_viewer_the_handler_of_review_files(tmp_path: Path) -> None:
    xdg_mime = require_tool("xdg-mime")
    require_tool("update-mime-database")
    require_tool("update-desktop-database")
    prefix = tmp_path / "prefix"
    subprocess.run(
        [str(LINUX / "install.sh"), str(prefix)], check=True, capture_output=True, text=True
    )
    share = prefix / "share"
    assert (share / "applications" / DESKTOP_FILE.name).is_file()
    assert (share / "icons" / "hicolor" / "48x48" / "mimetypes" / f"{MIME_ICON}.png").is_file()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(share),
        "XDG_DATA_DIRS": f"{share}:/usr/share",
    }
    result = subprocess.run(
        [xdg_mime, "query", "default", MIME_TYPE],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert result.stdout.strip() == DESKTOP_FILE.name
