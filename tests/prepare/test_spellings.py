"""A name spelt another way is still the name: accents, soft hyphens, look-alike letters,
ligatures. Each was a name that survived a "verified" prepare; the checks here fold the text
with the standard library only, independently of readingroom.prepare.folding."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from pathlib import Path

import pymupdf
import pytest

from readingroom.prepare import NameEntry, PrepareOptions, prepare_pdf
from readingroom.prepare.matching import Matcher, build_targets
from readingroom.prepare.verify import verify_pdf

from . import hiding_places as places
from .outside_checks import require_tool

NAMES = [NameEntry("Jane Smith", "Social Worker 1", 1), NameEntry("Jane Griffin", "Nurse 1", 2)]
ORIGINALS = re.compile(r"jane\s*(smith|griffin)")
HELVETICA = b"/F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>"
STANDARD = b"/F3<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/StandardEncoding>>"
# A simple font whose code "a" draws the Cyrillic small a (glyph name afii10065, U+0430): on
# the page it looks exactly like a Latin "a".
CYRILLIC = (
    b"/F2<</Type/Font/Subtype/Type1/BaseFont/Helvetica"
    b"/Encoding<</BaseEncoding/WinAnsiEncoding/Differences[97/afii10065]>>>>"
)


def _independent_fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).replace("\u0430", "a").replace("\u00ad", "")
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _handmade(drawn: bytes) -> bytes:
    """A one-page PDF drawing ``drawn`` (text operators) with the three fonts above."""
    content = b"BT /F1 12 Tf 72 720 Td " + drawn + b" ET"
    data = places.handmade_pdf(b"", content)
    fonts = b"/F1<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"
    # Repair the cross-reference offsets the longer font dictionary moves: MuPDF would
    # repair the file silently, and the verifier rightly refuses a repaired file.
    with pymupdf.open(stream=data.replace(fonts, HELVETICA + STANDARD + CYRILLIC)) as doc:
        return bytes(doc.tobytes(garbage=1))


@pytest.mark.parametrize(
    "drawn",
    [
        b"(Jan\\351 Smith visited.) Tj",  # an accent: "Jané"
        b"(J) Tj /F2 12 Tf (a) Tj /F1 12 Tf (ne Smith visited.) Tj",  # a Cyrillic "a"
        b"/F3 12 Tf (Jane Grif\\256n visited.) Tj",  # the "fi" ligature glyph
    ],
    ids=["accent", "cyrillic-a", "ligature"],
)
def test_a_name_spelt_another_way_on_the_page_is_replaced(drawn: bytes, tmp_path: Path) -> None:
    data = _handmade(drawn)
    with pymupdf.open(stream=data) as doc:  # the page really shows the name
        assert ORIGINALS.search(_independent_fold(doc[0].get_text()))
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    with pymupdf.open(stream=result.pdf) as doc:
        text = doc[0].get_text()
    assert "visited" in text and re.search(r"Social Worker 1|Nurse 1", text)
    path = tmp_path / "out.pdf"
    path.write_bytes(result.pdf)
    pdftotext = require_tool("pdftotext", "READINGROOM_REQUIRE_POPPLER")
    shown = subprocess.run([pdftotext, "-q", str(path), "-"], capture_output=True, check=True)
    assert not ORIGINALS.search(_independent_fold(shown.stdout.decode("utf-8", "replace")))
    qpdf = require_tool("qpdf", "READINGROOM_REQUIRE_QPDF")
    qdf = tmp_path / "out.qdf"
    subprocess.run([qpdf, "--qdf", "--object-streams=disable", str(path), str(qdf)], check=True)
    assert not ORIGINALS.search(_independent_fold(qdf.read_bytes().decode("latin-1")))


def test_an_accented_name_in_the_outline_annotations_fields_and_metadata_is_replaced() -> None:
    doc = places._base()
    doc.set_toc([[1, "Jané Smith's account", 1]])
    annot = doc[0].add_text_annot((300, 300), "Jané Smith called")
    annot.set_info(title="Jané Smith")
    annot.update()
    widget = pymupdf.Widget()
    widget.field_name = "worker"
    widget.field_type = pymupdf.PDF_WIDGET_TYPE_TEXT
    widget.field_value = "Jané Smith"
    widget.rect = pymupdf.Rect(72, 400, 300, 420)
    doc[0].add_widget(widget)
    doc.set_metadata({"author": "Jané Smith"})
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=NAMES))
    with pymupdf.open(stream=result.pdf) as out:
        seen = [entry[1] for entry in out.get_toc()] + [str(v) for v in out.metadata.values()]
        seen += [" ".join(a.info.values()) for a in out[0].annots()]
        seen += [str(w.field_value) for w in out[0].widgets()]
        seen.append(out[0].get_text())
    folded = _independent_fold("\n".join(seen))
    assert not ORIGINALS.search(folded)
    assert "social worker 1" in folded


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jane\u0301 Smith", "Jane\u0301 Smith"),  # decomposed accent, kept with its letter
        ("\uff2a\uff41\uff4e\uff45 Smith", "\uff2a\uff41\uff4e\uff45 Smith"),  # fullwidth
        ("Ja\u200bne Smith", "Ja\u200bne Smith"),  # a zero-width space
        ("Ja\u00adne Smith", "Ja\u00adne Smith"),  # a soft hyphen
        ("Jane Gri\ufb03n.", "Jane Gri\ufb03n"),  # the "ffi" ligature
        ("J\u0410NE SMITH", "J\u0410NE SMITH"),  # a Cyrillic capital A
    ],
)
def test_the_matcher_reads_through_other_spellings(text: str, found: str) -> None:
    matches = list(Matcher(build_targets(NAMES, [])).find(text))
    assert [text[m.start : m.end] for m in matches] == [found]


def test_letters_that_are_all_altered_are_not_a_name() -> None:
    # "ŅąŇ" turns up in the UTF-16 reading of a font's character table: it is not "Nan".
    matcher = Matcher(build_targets([NameEntry("Nan", "Maternal Grandmother", 1)], []))
    assert not list(matcher.find("Ŋ\u2194ŅąŇ\u2248"))
    assert [m.start for m in matcher.find("Ñan and Nän")] == [0, 8]


def test_a_letter_spaced_name_is_replaced(tmp_path: Path) -> None:
    # Character spacing (Tc) spreads the letters; the text layer reads "J a n e S m i t h".
    # The name is drawn from a hex string, so no byte of the file spells it.
    data = _handmade(b"6 Tc <4A616E6520536D697468> Tj 0 Tc 0 -20 Td (visited.) Tj")
    with pymupdf.open(stream=data) as doc:
        assert "J a n e" in doc[0].get_text()
    result = prepare_pdf(data, PrepareOptions(names=NAMES))
    with pymupdf.open(stream=result.pdf) as doc:
        text = doc[0].get_text()
    assert "S m i t h" not in text and "Social Worker 1" in text


def test_bytes_between_parentheses_are_not_read_as_accented_text() -> None:
    # A font program or compressed run can hold "(...Zºë...)" by chance: with control bytes
    # around, it is bytes and read by its ASCII letters only. A real string is read in full.
    targets = build_targets([NameEntry("Zoe", "Child B", 1)], [])
    noise = places.handmade_pdf(b"/Zz (\x1b\x95Z\xba\xeb\x13k)")
    assert verify_pdf(noise, targets).clean
    text = places.handmade_pdf(b"/Zz (Zo\xeb)")
    assert not verify_pdf(text, targets).clean
