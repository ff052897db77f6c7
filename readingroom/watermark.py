"""The watermark's text, built from the review file's policy template (Qt-free).

The viewer burns this text into every page image (see ``readingroom.gui.rendering``). Everything
here is plain data: the template comes from the sealed file's policy and the values come from the
reader identity, the workstation and the session, so all of them are treated as untrusted strings:
control characters are removed and lengths are capped before anything is drawn.
"""

from __future__ import annotations

import string
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from readingroom.errors import BadSessionCode, UsageError
from readingroom.session_code import normalise_session_code

WATERMARK_FIELDS = (
    "reader_name",
    "reader_id",
    "organisation",
    "workstation",
    "date",
    "time",
    "session_code",
    "classification",
)

DEFAULT_WATERMARK_TEMPLATE = (
    "{reader_name} · {reader_id}\n{workstation} · {date} {time}\nSession {session_code}"
)

# A template longer than this, or with more lines, would no longer be readable as a tiled stamp.
MAX_TEMPLATE_CHARS = 400
MAX_TEMPLATE_LINES = 6
# Each substituted value and each finished line is capped so a hostile policy cannot make the
# watermark so long that it becomes unreadable (or so large that drawing it is slow).
MAX_VALUE_CHARS = 80
MAX_LINE_CHARS = 120
# The issue asks for 15-25 % opacity: readable on a phone photo, light enough to read through.
DEFAULT_OPACITY = 0.2
MIN_OPACITY = 0.15
MAX_OPACITY = 0.25


@dataclass(frozen=True)
class WatermarkSpec:
    """What to burn into each page: the tiled lines, the top/bottom band and the tile opacity."""

    tile_lines: tuple[str, ...]
    band_text: str
    opacity: float = DEFAULT_OPACITY
    # The canonical session code the machine-readable mark carries (readingroom.session_mark);
    # None when the session code is not a valid one, and then no mark is drawn.
    mark_code: str | None = None


def sanitise_value(value: str, limit: int = MAX_VALUE_CHARS) -> str:
    """Return ``value`` without control/format characters, whitespace folded, at most ``limit``.

    Args:
        value: an untrusted string (a name from a policy, a workstation name...).
        limit: the maximum number of characters kept.

    Returns:
        A single-line printable string.
    """
    kept = []
    for char in value:
        category = unicodedata.category(char)
        # Cc/Cf/Cs/Co/Cn: controls, bidi overrides, surrogates, private use, unassigned.
        # Bidi overrides in particular could make the drawn text read differently.
        if category.startswith("C"):
            kept.append(" " if char in "\t\r\n\v\f" else "")
        elif category in ("Zl", "Zp"):
            kept.append(" ")
        else:
            kept.append(char)
    folded = " ".join("".join(kept).split())
    if len(folded) > limit:
        folded = folded[: limit - 1].rstrip() + "…"
    return folded


def validate_template(template: str) -> None:
    """Check that ``template`` is a usable watermark template.

    Only the names in :data:`WATERMARK_FIELDS` may appear, as plain ``{name}`` placeholders (no
    conversions, format specs, attribute or index access). Literal braces are written ``{{``/``}}``.

    Args:
        template: the template from a reading policy.

    Raises:
        UsageError: unknown placeholder, bad format, or too long.
    """
    if not isinstance(template, str) or not template.strip():
        raise UsageError("The watermark template is empty.")
    if len(template) > MAX_TEMPLATE_CHARS:
        raise UsageError(f"The watermark template is longer than {MAX_TEMPLATE_CHARS} characters.")
    if template.count("\n") + 1 > MAX_TEMPLATE_LINES:
        raise UsageError(f"The watermark template has more than {MAX_TEMPLATE_LINES} lines.")
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise UsageError("The watermark template has unbalanced braces.") from error
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in WATERMARK_FIELDS:
            # Never echo the field name: it came from a file, and the fields are fixed anyway.
            raise UsageError(
                "The watermark template uses an unknown placeholder. Allowed: "
                + ", ".join("{" + name + "}" for name in WATERMARK_FIELDS)
                + "."
            )
        if spec or conversion:
            raise UsageError("The watermark template may only use plain {placeholders}.")


def build_watermark(
    template: str,
    *,
    reader_name: str,
    reader_id: str,
    organisation: str,
    workstation: str,
    session_code: str,
    classification: str,
    when: datetime,
) -> WatermarkSpec:
    """Fill ``template`` for one reading session.

    Args:
        template: the policy's template (validated here again: the file is untrusted).
        reader_name: the reader's display name.
        reader_id: the reader's identifier.
        organisation: the reader's organisation.
        workstation: the workstation's name.
        session_code: the session code that ties a photo to an audit session.
        classification: the document's classification marking, shown in the band.
        when: the local date and time the session started.

    Returns:
        The spec the renderer burns into every page.

    Raises:
        UsageError: the template is not valid.
    """
    validate_template(template)
    values = {
        "reader_name": sanitise_value(reader_name),
        "reader_id": sanitise_value(reader_id),
        "organisation": sanitise_value(organisation),
        "workstation": sanitise_value(workstation),
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H:%M"),
        "session_code": sanitise_value(session_code),
        "classification": sanitise_value(classification),
    }
    lines = []
    for raw_line in template.split("\n"):
        # format() never re-parses substituted values, so braces inside a value are harmless.
        line = sanitise_value(raw_line.format(**values), MAX_LINE_CHARS)
        if line:
            lines.append(line)
    if not lines:
        lines = [f"Session {values['session_code']}"]
    band_parts = [values["classification"], f"Session {values['session_code']}"]
    # The parts are already sanitised; joining them cannot add a control character.
    band_text = "   ·   ".join(part for part in band_parts if part)[:MAX_LINE_CHARS]
    try:
        mark_code: str | None = normalise_session_code(session_code)
    except BadSessionCode:
        mark_code = None
    return WatermarkSpec(
        tile_lines=tuple(lines), band_text=band_text, opacity=DEFAULT_OPACITY, mark_code=mark_code
    )
