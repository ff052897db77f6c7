"""The fallback when no mark decodes: read the printed session code with Tesseract, if installed.

The photo's text goes to the ``tesseract`` program through a pipe (stdin to stdout, no file) and
only tokens shaped like a session code are kept; the rest of the recognised text, which is the
document's, is dropped at once and never printed, logged or written.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess

from PIL import Image, ImageOps

# XXXX-XXXX-C with the dashes optional and OCR's usual noise (spaces, a dot for a dash).
_SEPARATOR = "[-\u2013\u2014. ]?"  # a dash, OCR's en or em dash, a dot or a space
_CODE_SHAPE = re.compile(
    rf"(?<![0-9A-Z])([0-9A-Z]{{4}}){_SEPARATOR}([0-9A-Z]{{4}}){_SEPARATOR}([0-9A-Z])(?![0-9A-Z])"
)
# XXXX-XXXX- followed by something that is not a letter or digit: the check character was read
# as a stroke ("|", "!") or lost at the photo's edge. The eight characters before it still name
# candidates (code_match compares the first eight). Dashes are required here, or every
# eight-letter word of the document would be a token.
_DASH = "[-\u2013\u2014]"
_CODE_WITHOUT_CHECK = re.compile(
    rf"(?<![0-9A-Z])([0-9A-Z]{{4}}){_DASH}([0-9A-Z]{{4}}){_DASH}(?![0-9A-Z])"
)
# What follows the word "Session" that the band and the tiles print before the code, however
# OCR garbled the code's separators: its first nine (or eight) letters and digits are a token.
_AFTER_SESSION = re.compile(r"SE[S5][S5][I1L][O0][NM][^0-9A-Z\n]{0,3}([^\n]{8,16})")
_TIMEOUT_SECONDS = 60


def tesseract_available() -> bool:
    """Whether the ``tesseract`` program is on the PATH."""
    return shutil.which("tesseract") is not None


def code_shaped_tokens(text: str) -> list[str]:
    """The distinct code-shaped tokens in ``text``: ``XXXXXXXXC`` ones first, then ``XXXXXXXX``
    ones whose check character was unreadable, then whatever follows the word "Session", each
    in order of first appearance."""
    seen: dict[str, None] = {}
    upper = text.upper()
    for pattern in (_CODE_SHAPE, _CODE_WITHOUT_CHECK):
        for match in pattern.finditer(upper):
            seen.setdefault("".join(match.groups()), None)
    for match in _AFTER_SESSION.finditer(upper):
        # A stray character OCR put between the groups ("8B8H_CEPA-D", "8B8H -CEPA-D") is
        # dropped with the separators; a misread letter is left for tolerant matching.
        letters = "".join(char for char in match.group(1) if char.isascii() and char.isalnum())
        if len(letters) >= 8:
            seen.setdefault(letters[:9], None)
    return list(seen)


def read_printed_codes(image: Image.Image) -> list[str]:
    """Code-shaped tokens Tesseract reads in ``image`` (none if Tesseract is missing or fails)."""
    program = shutil.which("tesseract")
    if program is None:
        return []
    buffer = io.BytesIO()
    # Greyscale and stretched: the band's red code and the grey tiles both read better.
    ImageOps.autocontrast(image.convert("L")).save(buffer, "PNG")
    try:
        completed = subprocess.run(  # a fixed program and arguments, no shell
            [program, "stdin", "stdout", "--psm", "11"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if completed.returncode != 0:
        return []
    return code_shaped_tokens(completed.stdout.decode("utf-8", "replace"))
