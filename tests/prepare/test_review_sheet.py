"""The review sheet: self-contained, escaped, one picture pair per occurrence, written only when
asked, private, and never after a refusal."""

from __future__ import annotations

import base64
import stat
from html.parser import HTMLParser
from pathlib import Path

import pymupdf
import pytest

from readingroom import cli
from readingroom.prepare import (
    NameEntry,
    PrepareOptions,
    RedactionTerm,
    parse_names_csv,
    prepare_pdf,
)
from readingroom.prepare.review_sheet import (
    BANNER,
    CONTENT_SECURITY_POLICY,
    LABEL_PLACED,
    REDACTED,
    STATUS_WORDS,
    build_review_sheet,
    line_statuses,
)
from readingroom.prepare.sheet_crops import Occurrence
from readingroom.prepare.suggestions import Kind, Suggestion

from .conftest import NAMES_CSV, TERMS_TXT
from .hiding_places import scanned_pages
from .outside_checks import require_tesseract

PAGE_PLACES = ("page text", "OCR")


class SheetParser(HTMLParser):
    """Collects what the tests look at: tags, attributes, text, and the picture pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.open_tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("img", "meta", "br"):
            self.open_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open_tags and self.open_tags[-1] == tag, f"</{tag}> closes nothing"
        self.open_tags.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def of(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def with_class(self, cls: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.tags if cls in (a.get("class") or "").split()]


def parse_sheet(sheet: bytes) -> SheetParser:
    parser = SheetParser()
    parser.feed(sheet.decode("utf-8"))
    parser.close()
    assert parser.open_tags == [], "every element is closed"
    return parser


def page_occurrences(report: dict) -> int:  # type: ignore[type-arg]
    """How many occurrences the report counts in the pages' text (names and terms)."""
    items = list(report["labels"].values()) + list(report["redactions"])
    return sum(n for item in items for place, n in item["places"].items() if place in PAGE_PLACES)


def test_sheet_has_one_picture_pair_per_occurrence_the_report_counts(
    fixture_pdf: bytes, names: list[NameEntry], terms: list[RedactionTerm]
) -> None:
    steps: list[tuple[int, int]] = []
    result = prepare_pdf(
        fixture_pdf,
        PrepareOptions(
            names=names,
            terms=terms,
            review_sheet=True,
            progress=lambda done, total: steps.append((done, total)),
        ),
    )
    assert result.review_sheet is not None
    sheet = parse_sheet(result.review_sheet)
    report = result.report.to_dict()
    pairs = sheet.with_class("pair")
    expected = page_occurrences(report)
    assert expected >= 10  # names in body, heading, table, across lines, and the two terms
    assert len(pairs) == expected
    images = sheet.of("img")
    assert len(images) == 2 * expected
    for before, after in zip(images[::2], images[1::2], strict=True):
        before_png, after_png = _png(before["src"]), _png(after["src"])
        # Real pictures of the same area, and preparing changed what they show.
        pix_before, pix_after = pymupdf.Pixmap(before_png), pymupdf.Pixmap(after_png)
        assert (pix_before.width, pix_before.height) == (pix_after.width, pix_after.height)
        assert pix_before.width > pix_before.height > 10
        assert before_png != after_png
    # The sheet's pictures are a third step of the progress: the total grows to 3 x pages.
    pages = report["pages"]
    assert steps[-1] == (3 * pages, 3 * pages)
    assert all(total == 3 * pages for _, total in steps)


def test_sheet_is_self_contained_with_a_strict_policy_and_a_banner(
    fixture_pdf: bytes, names: list[NameEntry], terms: list[RedactionTerm]
) -> None:
    result = prepare_pdf(fixture_pdf, PrepareOptions(names=names, terms=terms, review_sheet=True))
    assert result.review_sheet is not None
    html = result.review_sheet.decode("utf-8")
    sheet = parse_sheet(result.review_sheet)
    policies = [
        m["content"] for m in sheet.of("meta") if m.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies == [CONTENT_SECURITY_POLICY]
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert "script" not in CONTENT_SECURITY_POLICY
    assert not sheet.of("script") and not sheet.of("link") and not sheet.of("iframe")
    assert not sheet.of("object") and not sheet.of("embed") and not sheet.of("form")
    assert "http:" not in html and "https:" not in html and "url(" not in html
    for _tag, attrs in sheet.tags:
        assert not any(name.startswith("on") for name in attrs), "no event handlers"
        for name in ("src", "href", "srcset", "action", "poster"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:image/png;base64,")
    assert html.count("src=") == len(sheet.of("img"))
    text = " ".join(sheet.text)
    assert BANNER in text and html.index(BANNER) < html.index("<h1>")
    # Off the pages (outline, annotation, form field, metadata): listed by label and place.
    assert "outline" in text and "form field" in text and "metadata" in text


def test_untrusted_strings_are_escaped(fixture_pdf: bytes) -> None:
    hostile = "Worker <script>alert(\"x\")</script> & 'Co'"
    names = parse_names_csv(
        f'original,label\nJane Smith,"{hostile.replace(chr(34), 2 * chr(34))}"\n'
    )
    assert names[0].label == hostile
    suggestion = Suggestion(
        kind=Kind.PERSON,
        text='<img src="https://x.example/">',
        forms=('<img src="https://x.example/">', "A & B \u202eevil"),
        count=2,
        pages=(1, 0),
        confidence=0.9,
    )
    result = prepare_pdf(
        fixture_pdf, PrepareOptions(names=names, review_sheet=True, suggestions=[suggestion])
    )
    assert result.review_sheet is not None
    html = result.review_sheet.decode("utf-8")
    sheet = parse_sheet(result.review_sheet)
    assert not sheet.of("script")
    assert "<script>" not in html and "\u202e" not in html
    # The URL is inert text: no attribute anywhere points outside the sheet.
    assert all(
        value is None or value.startswith("data:")
        for _tag, attrs in sheet.tags
        for name, value in attrs.items()
        if name in ("src", "href")
    )
    assert "Worker &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;Co&#x27;" in html
    text = "".join(sheet.text)
    assert hostile in text  # escaped, so it reads back exactly as written
    assert '<img src="https://x.example/">' not in html
    assert len(sheet.of("img")) == 2 * len(sheet.with_class("pair"))
    assert "A &amp; B evil" in html and "outline" in text


def test_rotated_page_pictures_are_upright(tmp_path: Path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 100), "The visit by Jane Smith was on a Tuesday.", fontsize=11)
    page.set_rotation(90)
    names = parse_names_csv("Jane Smith,Social Worker 1\n")
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=names, review_sheet=True))
    assert result.review_sheet is not None
    images = parse_sheet(result.review_sheet).of("img")
    assert len(images) == 2
    for image in images:
        pixmap = pymupdf.Pixmap(_png(image["src"]))
        assert pixmap.width > 4 * pixmap.height  # a line of text, lying flat


@pytest.mark.slow  # Tesseract reads the page twice (to find, then to verify)
def test_a_sideways_scan_gets_upright_pictures_of_what_ocr_found(names: list[NameEntry]) -> None:
    require_tesseract()
    result = prepare_pdf(
        scanned_pages(1, rotate=90), PrepareOptions(names=names, review_sheet=True)
    )
    assert result.review_sheet is not None
    sheet = parse_sheet(result.review_sheet)
    report = result.report.to_dict()
    found_by_ocr = sum(item["places"].get("OCR", 0) for item in report["labels"].values())
    assert found_by_ocr >= 2  # "Jane Smith" and "Peter"
    assert len(sheet.with_class("pair")) == page_occurrences(report) == found_by_ocr
    assert result.review_sheet.count(b"(found by OCR)") == found_by_ocr
    for image in sheet.of("img"):
        pixmap = pymupdf.Pixmap(_png(image["src"]))
        assert pixmap.width > 4 * pixmap.height  # the scanned line, turned upright


def test_a_huge_line_is_drawn_smaller_not_larger() -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=3000, height=3000)
    page.insert_text((50, 1500), "Jane Smith", fontsize=400)
    names = parse_names_csv("Jane Smith,Social Worker 1\n")
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=names, review_sheet=True))
    assert result.review_sheet is not None
    for image in parse_sheet(result.review_sheet).of("img"):
        pixmap = pymupdf.Pixmap(_png(image["src"]))
        assert pixmap.width <= 1800 and pixmap.height <= 480


def test_no_sheet_unless_asked(fixture_pdf: bytes, names: list[NameEntry]) -> None:
    result = prepare_pdf(fixture_pdf, PrepareOptions(names=names))
    assert result.review_sheet is None


@pytest.fixture
def run(rr_home: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cli, "COMMAND_MODULES", ("readingroom.commands.prepare_cmd",))
    return cli.main


@pytest.fixture
def inputs(tmp_path: Path, fixture_pdf: bytes) -> Path:
    (tmp_path / "in.pdf").write_bytes(fixture_pdf)
    (tmp_path / "names.csv").write_text(NAMES_CSV)
    (tmp_path / "terms.txt").write_text(TERMS_TXT)
    return tmp_path


def _command(folder: Path, *extra: str) -> list[str]:
    return [
        "prepare",
        str(folder / "in.pdf"),
        "-o",
        str(folder / "out.pdf"),
        "--names",
        str(folder / "names.csv"),
        "--redact",
        str(folder / "terms.txt"),
        *extra,
    ]


def test_cli_writes_the_sheet_only_when_asked_and_private(
    run, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = set(inputs.iterdir())
    assert run(_command(inputs)) == 0
    assert set(inputs.iterdir()) - before == {inputs / "out.pdf"}
    sheet = inputs / "sheet.html"
    assert run([*_command(inputs, "--review-sheet", str(sheet)), "--force"]) == 0
    assert stat.S_IMODE(sheet.stat().st_mode) == 0o600
    assert not [p for p in inputs.iterdir() if p.name.endswith(".part")]
    err = capsys.readouterr().err
    assert "keep it as safe as the draft" in err and "Jane" not in err
    assert len(parse_sheet(sheet.read_bytes()).with_class("pair")) >= 10
    # An existing sheet is not replaced without --force, and nothing else is written either.
    (inputs / "out.pdf").unlink()
    assert run(_command(inputs, "--review-sheet", str(sheet))) == 3
    assert not (inputs / "out.pdf").exists()
    # The sheet cannot be the output PDF, nor overwrite the draft or the names file.
    for other in ("out.pdf", "in.pdf", "names.csv"):
        code = run([*_command(inputs, "--review-sheet", str(inputs / other)), "--force"])
        assert code == 3
        assert "must be a file of its own" in capsys.readouterr().err
    assert (inputs / "names.csv").read_text() == NAMES_CSV


@pytest.mark.slow  # Tesseract reads a whole page before the refusal
def test_cli_refusal_writes_no_sheet(run, tmp_path: Path) -> None:
    # A page OCR cannot read is not proven clean: refused (exit 9), and nothing is written.
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_image(
        page.rect, pixmap=pymupdf.Pixmap(pymupdf.csGRAY, pymupdf.IRect(0, 0, 8, 8), False)
    )
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "scan.pdf").write_bytes(doc.tobytes())
    (folder / "names.csv").write_text("Jane Smith,Social Worker 1\n")
    command = ["prepare", str(folder / "scan.pdf"), "-o", str(folder / "out.pdf")]
    command += ["--names", str(folder / "names.csv"), "--review-sheet", str(folder / "s.html")]
    assert run(command) == 9
    assert sorted(p.name for p in folder.iterdir()) == ["names.csv", "scan.pdf"]


def test_strict_names_refusal_writes_no_sheet(
    run, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only "Jane Smith" is listed: the fixture's other names make --strict-names refuse.
    (inputs / "names.csv").write_text("Jane Smith,Social Worker 1\n")
    (inputs / "in.pdf").write_bytes(_draft_with_unlisted_names())
    before = set(inputs.iterdir())
    sheet = inputs / "sheet.html"
    assert run(_command(inputs, "--review-sheet", str(sheet), "--strict-names")) == 9
    assert "not in the names file" in capsys.readouterr().err
    assert set(inputs.iterdir()) == before


def _draft_with_unlisted_names() -> bytes:
    doc = pymupdf.open()
    page = doc.new_page()
    lines = [
        "Jane Smith visited the family.",
        "Mrs Margaret Thornbury, the maternal grandmother, was present.",
        "Dr Ahmed Rahman examined the child with Ms Thornbury.",
    ]
    for number, line in enumerate(lines):
        page.insert_text((72, 100 + 16 * number), line, fontsize=11)
    data: bytes = doc.tobytes()
    doc.close()
    return data


def _png(src: str | None) -> bytes:
    assert src is not None and src.startswith("data:image/png;base64,")
    return base64.b64decode(src.split(",", 1)[1], validate=True)


def test_a_line_in_colour_keeps_its_colours_and_black_text_is_grey() -> None:
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((72, 100), "A call from Jane Smith about the visit.", fontsize=11)
    page.insert_text((72, 300), "Jane Smith wrote in red.", fontsize=11, color=(0.8, 0, 0))
    names = parse_names_csv("Jane Smith,Social Worker 1\n")
    result = prepare_pdf(doc.tobytes(), PrepareOptions(names=names, review_sheet=True))
    assert result.review_sheet is not None
    images = parse_sheet(result.review_sheet).of("img")
    channels = [pymupdf.Pixmap(_png(image["src"])).n for image in images]
    assert channels == [1, 1, 3, 3]


def _occurrence(page: int, label: str, *, is_redaction: bool = False, y: float = 0.0) -> Occurrence:
    return Occurrence(page, label, is_redaction, "page text", (0, y, 10, y + 10), None)


def _line(status: str, labels: list[str], y: float) -> dict[str, object]:
    """A label line as the prepare report writes it (``per_page[n].lines``)."""
    return {"line_status": status, "labels": labels, "box": [72.0, y, 500.0, y + 12.0]}


def test_line_status_comes_from_the_report_line_nearest_the_occurrence() -> None:
    occurrences = [
        _occurrence(1, "Child A", y=100),
        _occurrence(1, "Child A", y=300),
        _occurrence(1, "Social Worker 1", y=300),
        _occurrence(2, "Child A", y=100),
        _occurrence(2, "S40", is_redaction=True, y=100),
        _occurrence(3, "Child A", y=50),
    ]
    report = {
        "per_page": {
            "1": {
                "lines": [
                    _line("carried", ["Child A", "Social Worker 1"], 298),
                    _line("retypeset", ["Child A"], 101),
                ]
            },
            "2": {"lines": [_line("condensed", ["Social Worker 1"], 100)]},
            "3": {"lines": [_line("cell-overflow", ["Child A"], 48)]},
        }
    }
    assert line_statuses(report, occurrences) == [
        "retypeset",
        "carried",
        "carried",
        LABEL_PLACED,  # page 2's line holds another label
        REDACTED,
        "cell-overflow",
    ]
    assert line_statuses({}, occurrences[:1]) == [LABEL_PLACED]


def test_the_sheet_shows_the_line_states_prepare_recorded(
    fixture_pdf: bytes, names: list[NameEntry]
) -> None:
    result = prepare_pdf(fixture_pdf, PrepareOptions(names=names, review_sheet=True))
    assert result.review_sheet is not None
    sheet = result.review_sheet.decode("utf-8")
    recorded = {
        line["line_status"]
        for page in result.report.to_dict()["per_page"].values()
        for line in page.get("lines", [])
    }
    assert recorded, "the fixture's labels should be set into their lines"
    for status in recorded:
        assert f"({STATUS_WORDS[status][0]})" in sheet


def test_line_states_read_as_words_and_the_doubtful_ones_stand_out(
    fixture_pdf: bytes, names: list[NameEntry]
) -> None:
    result = prepare_pdf(fixture_pdf, PrepareOptions(names=names, review_sheet=True))
    occurrences = [
        _occurrence(1, "Child A", y=100),
        _occurrence(1, "Child A", y=300),
        _occurrence(1, "X", y=500),
    ]
    statuses = {
        "per_page": {
            "1": {
                "lines": [
                    _line("shrunk", ["Child A"], 100),
                    _line("retypeset", ["Child A"], 300),
                    _line("<b>odd</b>", ["X"], 500),
                ]
            }
        }
    }
    sheet = build_review_sheet(
        occurrences=occurrences,
        after=[None] * 3,
        report={**result.report.to_dict(), **statuses},
        suggestions=[],
        prepared_pdf=result.pdf,
        report_json=result.report_json,
    ).decode("utf-8")
    assert 'class="status attention">(label set smaller (last resort))' in sheet
    assert 'class="status">(line re-typeset)' in sheet
    assert 'class="status attention">(&lt;b&gt;odd&lt;/b&gt;)' in sheet
