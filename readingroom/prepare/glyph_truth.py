"""Does the text layer say what the glyphs draw? A ToUnicode map can lie.

The text a PDF gives to search and copy (its ToUnicode map) is independent of the glyphs it
draws: a file can draw "Jane Smith" while its text layer says "XYZ[ \\]^_`". Text-layer matching
then finds nothing, and the name goes out under a "verified" stamp (it did: found by OCR of the
prepared page). A page whose text layer lies is read with OCR instead, like a scan.

How a lie is seen: MuPDF's text trace gives, for every character drawn, the Unicode the text
layer claims and the glyph drawn. The font's own character map says which character that glyph
is for. When the glyph is the font's glyph for one letter or digit and the text layer claims a
different one, the text layer lies. Where the font cannot tell (a subset font without a
character map, an alternate glyph that no character maps to), nothing is concluded: such a font
still draws what its text layer says as far as anything in the file can show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from readingroom.prepare.folding import fold
from readingroom.prepare.mupdf import Document, Page, pymupdf

# Per font xref: (the names it goes by, glyph id -> the character it draws).
_FontTable = tuple[frozenset[str], dict[int, int]]


class _LastDocument:
    """The font tables of the document read last: pages come one document at a time, and a
    font shared by 200 pages is loaded once. (MuPDF documents cannot be weakly referenced.)"""

    document: Document | None = None
    tables: dict[int, _FontTable | None] = {}  # noqa: RUF012 - replaced, never mutated shared


def _key(name: str) -> str:
    """A font name without its subset tag ("ABCDEF+"), spaces, hyphens or case."""
    return re.sub(r"[^0-9a-z]", "", re.sub(r"^[A-Z]{6}\+", "", name).lower())


def _font_table(doc: Document, xref: int, basefont: str) -> _FontTable | None:
    try:
        _name, _ext, _type, buffer = doc.extract_font(xref)
        font = pymupdf.Font(fontbuffer=buffer) if buffer else pymupdf.Font(fontname=basefont)
        drawn = {int(font.has_glyph(code)): int(code) for code in font.valid_codepoints()}
    except Exception:  # a font MuPDF cannot load here tells nothing about its glyphs
        return None
    drawn.pop(0, None)  # glyph 0 is "no glyph" for every character the font lacks
    names = frozenset(k for k in (_key(basefont), _key(str(font.name))) if len(k) >= 4)
    return names, drawn


def _tables(page: Page) -> list[_FontTable]:
    doc = page.parent
    if _LastDocument.document is not doc:
        _LastDocument.document, _LastDocument.tables = doc, {}
    known = _LastDocument.tables
    tables = []
    for xref, _ext, kind, basefont, *_rest in page.get_fonts(full=True):
        if kind == "Type3" or not xref:
            continue  # Type3 pages are read with OCR anyway
        if xref not in known:
            known[xref] = _font_table(doc, int(xref), str(basefont))
        table = known[xref]
        if table is not None:
            tables.append(table)
    return tables


@cache
def _same_letter(drawn: int, said: int) -> bool:
    if drawn == said or not chr(drawn).isalnum():
        return True  # only a glyph that is some letter or digit can say another one
    drawn_text, said_text = fold(chr(drawn)), fold(chr(said))
    # A ligature glyph ("fi") is claimed as its first letter and then its others.
    return drawn_text.startswith(said_text) or said_text.startswith(drawn_text)


def _lies(chars: Iterable[tuple[int, int]], tables: list[dict[int, int]]) -> bool:
    for said, glyph in chars:
        if said <= 32 or glyph <= 0:
            continue
        # A lie only when every font the span may be in says the glyph is another letter.
        if all(
            (drawn := table.get(glyph)) is not None and not _same_letter(drawn, said)
            for table in tables
        ):
            return True
    return False


def text_layer_lies(page: Page) -> bool:
    """True when some character's glyph is, by its own font, another letter or digit than the
    one the text layer claims (see the module docstring)."""
    tables = _tables(page)
    if not tables:
        return False
    for span in page.get_texttrace():
        name = _key(str(span.get("font", "")))
        candidates = [
            drawn
            for names, drawn in tables
            if any(name.startswith(k) or k.startswith(name) for k in names) and len(name) >= 4
        ]
        chars = ((int(c[0]), int(c[1])) for c in span.get("chars", ()))
        if candidates and _lies(chars, candidates):
            return True
    return False
