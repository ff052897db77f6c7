"""Which font a re-typeset word is drawn in: the document's own, or a metric-compatible base-14.

A word keeps the style of the text it stands in: the font family class (serif, sans, mono),
bold and italic, decided from the font's name first (descriptor flags are often wrong: MuPDF
reports Nimbus Sans as serif) and from PyMuPDF's span flags only when the name says nothing.
The document's own embedded font is used when it loads, can be written again and has a glyph
for every character of the word; otherwise the base-14 font of the same class and weight:
Times (Nimbus Roman), Helvetica (Nimbus Sans) or Courier (Nimbus Mono), whose widths are the
metric-compatible ones every PDF viewer knows.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from readingroom.prepare.mupdf import Document, Page, pymupdf

_SANS = re.compile(
    r"sans|helvet|arial|verdana|tahoma|calibri|segoe|gothic|futura|frutiger|univers|"
    r"roboto|lato|open ?sans|source ?sans|dejavu ?sans|noto ?sans|trebuchet|myriad|gill",
    re.IGNORECASE,
)
_MONO = re.compile(r"mono|courier|consol|menlo|typewriter|code", re.IGNORECASE)
_SERIF = re.compile(
    r"serif|times|roman|georgia|garamond|charis|cambria|book|minion|palatino|baskerville|"
    r"caslon|bodoni|century|gentium|libertin|nimbus ?rom",
    re.IGNORECASE,
)
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_ITALIC = re.compile(r"italic|oblique", re.IGNORECASE)

_BASE14 = {
    ("serif", False, False): "tiro",
    ("serif", True, False): "tibo",
    ("serif", False, True): "tiit",
    ("serif", True, True): "tibi",
    ("sans", False, False): "helv",
    ("sans", True, False): "hebo",
    ("sans", False, True): "heit",
    ("sans", True, True): "hebi",
    ("mono", False, False): "cour",
    ("mono", True, False): "cobo",
    ("mono", False, True): "coit",
    ("mono", True, True): "cobi",
}


@dataclass(frozen=True)
class FontStyle:
    """The look a word must keep: family class, weight and slant."""

    family: str
    """``serif``, ``sans`` or ``mono``."""
    bold: bool
    italic: bool


@functools.lru_cache(maxsize=1024)
def style_of(font_name: str, flags: int) -> FontStyle:
    """The style of a span from its font name, falling back to PyMuPDF's span flags."""
    name = font_name.split("+", 1)[-1]
    if _MONO.search(name):
        family = "mono"
    elif _SANS.search(name):
        family = "sans"
    elif _SERIF.search(name):
        family = "serif"
    elif flags & pymupdf.TEXT_FONT_MONOSPACED:
        family = "mono"
    elif flags & pymupdf.TEXT_FONT_SERIFED:
        family = "serif"
    else:
        family = "sans"
    bold = bool(_BOLD.search(name)) or bool(flags & pymupdf.TEXT_FONT_BOLD)
    italic = bool(_ITALIC.search(name)) or bool(flags & pymupdf.TEXT_FONT_ITALIC)
    return FontStyle(family, bold, italic)


def base14_name(style: FontStyle) -> str:
    """PyMuPDF's short name of the base-14 font for ``style`` (``tiro``, ``hebo``, ...)."""
    return _BASE14[(style.family, style.bold, style.italic)]


def _key(name: str) -> str:
    """A font name reduced so "ABCDEF+Charis SIL Regular" and "CharisSIL" compare equal."""
    bare = name.split("+", 1)[-1].lower()
    return re.sub(r"[^a-z0-9]|regular", "", bare)


class FontBook:
    """The fonts of one document, loaded once: embedded ones by name, base-14 ones by style."""

    def __init__(self, doc: Document) -> None:
        """Remember ``doc``; fonts are extracted lazily, the first time a page needs them."""
        self._doc = doc
        self._embedded: dict[int, pymupdf.Font | None] = {}
        self._base14: dict[str, pymupdf.Font] = {}
        self._page_fonts: dict[int, dict[str, int]] = {}
        # PyMuPDF measures and looks glyphs up a character at a time in Python; a document
        # re-typesets the same few fonts and characters thousands of times.
        self._advances: dict[tuple[int, str], float] = {}
        self._glyphs: dict[tuple[int, str], bool] = {}

    def width(self, font: pymupdf.Font, text: str, size: float) -> float:
        """The advance width of ``text`` in ``font`` at ``size`` (no kerning, like PyMuPDF)."""
        key = id(font)
        total = 0.0
        for char in text:
            advance = self._advances.get((key, char))
            if advance is None:
                advance = float(font.text_length(char, 1.0))
                self._advances[(key, char)] = advance
            total += advance
        return total * size

    def covers(self, font: pymupdf.Font, text: str) -> bool:
        """Whether ``font`` has a glyph for every non-space character (cached per character)."""
        key = id(font)
        for char in text:
            known = self._glyphs.get((key, char))
            if known is None:
                known = char.isspace() or bool(font.has_glyph(ord(char)))
                self._glyphs[(key, char)] = known
            if not known:
                return False
        return True

    def base14(self, style: FontStyle) -> pymupdf.Font:
        """The base-14 font of ``style`` (a shared, cached object)."""
        name = base14_name(style)
        if name not in self._base14:
            self._base14[name] = pymupdf.Font(name)
        return self._base14[name]

    def base14_code(self, font: pymupdf.Font) -> str | None:
        """The short name (``tiro``...) when ``font`` is one of the base-14 fonts, else None.

        Base-14 text is written as a reference to the font every viewer has, never with an
        embedded font program: a program carries strings of its own (its notice, glyph
        names) that an original as short as "Jo" can occur in, which would fail verification.
        """
        return next((code for code, known in self._base14.items() if known is font), None)

    def embedded(self, page: Page, font_name: str) -> pymupdf.Font | None:
        """The page's embedded font called ``font_name``, if it loads and can be written again."""
        names = self._page_fonts.get(page.number)
        if names is None:
            names = {}
            for entry in page.get_fonts():
                number = int(entry[0])
                names.setdefault(_key(str(entry[3])), number)
                if number not in self._embedded:
                    self._embedded[number] = self._load(number)
                loaded = self._embedded[number]
                if loaded is not None:
                    # The span names the font by its PostScript name, the page by its base
                    # font; the loaded font's own name settles it when the two differ.
                    names.setdefault(_key(str(loaded.name)), number)
            self._page_fonts[page.number] = names
        xref = names.get(_key(font_name))
        return None if xref is None else self._embedded.get(xref)

    def _load(self, xref: int) -> pymupdf.Font | None:
        try:
            _name, ext, _kind, buffer = self._doc.extract_font(xref)
        except Exception:  # a damaged font object: the base-14 fallback is always there
            return None
        if not buffer or ext in ("n/a", "pfa", "pfb"):
            return None  # Type3 and Type1 fonts cannot be written again by TextWriter
        try:
            font = pymupdf.Font(fontbuffer=buffer)
            probe = pymupdf.open()
            writer = pymupdf.TextWriter(probe.new_page().rect)
            writer.append((10, 10), "a", font=font, fontsize=10)
            writer.write_text(probe[0])
            probe.close()
        except Exception:  # FreeType or MuPDF could not use it: fall back to base-14
            return None
        if font.text_length("a", 10) <= 0:
            return None  # no usable widths
        return font

    def font_for(self, page: Page, font_name: str, style: FontStyle, text: str) -> pymupdf.Font:
        """The font to draw ``text`` in: the embedded one when it has every glyph, else base-14."""
        own = self.embedded(page, font_name) if font_name else None
        if own is not None and self.covers(own, text):
            return own
        return self.base14(style)
