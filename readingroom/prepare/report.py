"""What ``prepare`` did, as JSON and as a human summary.

The report is safe to share by default: it names labels (which are not secret), refers to
redaction terms and originals by their line number in the user's own files, and only echoes
the originals and terms themselves when ``include_originals`` is asked for.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readingroom.prepare import walk_qpdf
from readingroom.prepare.matching import Target
from readingroom.prepare.mupdf import pymupdf
from readingroom.prepare.names import NameEntry, RedactionTerm, normalise

if TYPE_CHECKING:
    from readingroom.prepare.verify import Verification


@dataclass
class Tally:
    """Occurrences of one original or term: how many, on which pages, in which places."""

    occurrences: int = 0
    pages: set[int] = field(default_factory=set)
    places: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class LineRecord:
    """One line that shows a label: how it was set (``line_status``), which labels, where.

    ``line_status`` is one of "retypeset", "condensed" (up to 10 % narrower), "carried"
    (words moved to or from a neighbouring line), "shrunk" (smaller type: look at it),
    "cell-overflow" (shrunk inside a table cell) or "pasted" (not re-typeset: the label was
    fitted into the gap, on rotated, right-to-left or OCR-read text).
    """

    status: str
    labels: list[str]
    box: tuple[float, float, float, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (labels only, never originals); the box in points, rounded."""
        return {
            "line_status": self.status,
            "labels": list(self.labels),
            "box": [round(value, 1) for value in self.box],
        }


@dataclass
class PageRecord:
    """What happened to one page: how names were looked for and how the result was checked."""

    found_by: str = "text layer"
    checked_by: list[str] = field(default_factory=list)
    replaced: Counter[str] = field(default_factory=Counter)
    dropped: Counter[str] = field(default_factory=Counter)
    lines: list[LineRecord] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: labels and reason stamps only, never originals."""
        return {
            "names_found_by": self.found_by,
            "verified_by": list(self.checked_by),
            "replaced": dict(sorted(self.replaced.items())),
            "dropped": dict(sorted(self.dropped.items())),
            "lines": [line.to_dict() for line in self.lines],
        }


def engine_versions() -> dict[str, str]:
    """The versions of the engines that prepare and verify (for the report)."""
    versions = {"mupdf": f"MuPDF {pymupdf.VersionFitz} (PyMuPDF {pymupdf.VersionBind})"}
    try:
        versions["qpdf"] = walk_qpdf.engine_version()
    except walk_qpdf.EngineMissing:
        versions["qpdf"] = "not installed"
    return versions


@dataclass
class PrepareReport:
    """Everything ``prepare`` counted; render with :meth:`to_dict` or :meth:`summary_lines`."""

    names: list[NameEntry]
    terms: list[RedactionTerm]
    page_count: int = 0
    tallies: dict[str, Tally] = field(default_factory=dict)
    sanitised: Counter[str] = field(default_factory=Counter)
    unverifiable_pages: list[int] = field(default_factory=list)
    verified: bool = False
    pages: dict[int, PageRecord] = field(default_factory=dict)
    engines: dict[str, str] = field(default_factory=dict)
    progress: Callable[[int], None] | None = field(default=None, compare=False, repr=False)
    """Called with the number of pages done while preparing (not part of the report)."""

    def page(self, number: int) -> PageRecord:
        """The record of page ``number`` (1-based), created on first use."""
        return self.pages.setdefault(number, PageRecord())

    def count(self, target: Target, *, place: str, page: int | None = None) -> None:
        """Record one occurrence of ``target`` (``page`` is 1-based, None off the pages)."""
        tally = self.tallies.setdefault(target.key, Tally())
        tally.occurrences += 1
        tally.places[place] += 1
        if page is not None:
            tally.pages.add(page)
            self.page(page).replaced[target.replacement] += 1

    def record_verification(self, verification: Verification) -> None:
        """Keep how each page was verified and which pages could not be."""
        self.unverifiable_pages = list(verification.unverifiable_pages)
        for number, methods in verification.page_checks.items():
            self.page(number).checked_by = list(methods)

    def line_statuses(self) -> Counter[str]:
        """How many label lines ended in each ``line_status``."""
        return Counter(line.status for page in self.pages.values() for line in page.lines)

    def _tally(self, key: str) -> Tally:
        return self.tallies.get(key, Tally())

    def to_dict(self, *, include_originals: bool = False) -> dict[str, Any]:
        """The JSON-ready report. Originals and terms appear only with ``include_originals``."""
        labels: dict[str, dict[str, Any]] = {}
        not_found: list[dict[str, Any]] = []
        for entry in self.names:
            tally = self._tally("name:" + normalise(entry.original))
            summary = labels.setdefault(
                entry.label,
                {"occurrences": 0, "pages": set(), "places": Counter(), "originals": []},
            )
            summary["occurrences"] += tally.occurrences
            summary["pages"] |= tally.pages
            summary["places"].update(tally.places)
            detail: dict[str, Any] = {
                "names_file_line": entry.line,
                "occurrences": tally.occurrences,
            }
            if include_originals:
                detail["original"] = entry.original
            summary["originals"].append(detail)
            if tally.occurrences == 0:
                missing: dict[str, Any] = {"names_file_line": entry.line, "label": entry.label}
                if include_originals:
                    missing["original"] = entry.original
                not_found.append(missing)
        terms: list[dict[str, Any]] = []
        for term in self.terms:
            tally = self._tally("term:" + normalise(term.term))
            item: dict[str, Any] = {
                "terms_file_line": term.line,
                "reason": term.reason,
                "occurrences": tally.occurrences,
                "pages": sorted(tally.pages),
                "places": dict(sorted(tally.places.items())),
            }
            if include_originals:
                item["term"] = term.term
            terms.append(item)
        return {
            "verified": self.verified,
            "pages": self.page_count,
            "labels": {
                label: {
                    "occurrences": s["occurrences"],
                    "pages": sorted(s["pages"]),
                    "places": dict(sorted(s["places"].items())),
                    "originals": s["originals"],
                }
                for label, s in labels.items()
            },
            "names_not_found": not_found,
            "redactions": terms,
            "sanitised": dict(sorted(self.sanitised.items())),
            "unverifiable_pages": list(self.unverifiable_pages),
            "line_status": dict(sorted(self.line_statuses().items())),
            "per_page": {
                str(number): self.pages[number].to_dict() for number in sorted(self.pages)
            },
            "engines": dict(sorted(self.engines.items())),
            "includes_originals": include_originals,
        }

    def to_json(self, *, include_originals: bool = False) -> bytes:
        """The report as UTF-8 JSON bytes, ready for ``write_atomically``."""
        data = self.to_dict(include_originals=include_originals)
        return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def summary_lines(self, *, include_originals: bool = False) -> list[str]:
        """Short human lines: one per label, per term, per kind removed, then warnings."""
        data = self.to_dict(include_originals=include_originals)
        lines: list[str] = []
        for label, info in sorted(data["labels"].items()):
            if not info["occurrences"]:
                continue  # summed up in the one "did not occur" line below
            lines.append(
                f"{label}: {_count(info['occurrences'], 'occurrence')} on "
                f"{_count(len(info['pages']), 'page')}"
            )
        for item in data["redactions"]:
            name = (
                f"'{item['term']}'"
                if include_originals
                else f"term on line {item['terms_file_line']}"
            )
            reason = f" [{item['reason']}]" if item["reason"] else ""
            lines.append(
                f"Redacted {name}{reason}: {_count(item['occurrences'], 'occurrence')} on "
                f"{_count(len(item['pages']), 'page')}"
            )
        for kind, number in data["sanitised"].items():
            lines.append(f"Removed: {kind} ({number})")
        missing = [str(row["names_file_line"]) for row in data["names_not_found"]]
        if missing:
            shown = ", ".join(missing[:_LINES_SHOWN]) + (
                " …" if len(missing) > _LINES_SHOWN else ""
            )
            rows = "row" if len(missing) == 1 else "rows"
            lines.append(
                f"{len(missing)} names-file {rows} did not occur: "
                f"{'line' if len(missing) == 1 else 'lines'} {shown} (see the report)"
            )
        lines.extend(self._typesetting_lines())
        by_ocr = [n for n, p in sorted(self.pages.items()) if "OCR" in p.checked_by]
        if by_ocr:
            lines.append(f"Checked by OCR of the rendered page: {_count(len(by_ocr), 'page')}")
        if data["unverifiable_pages"]:
            pages = ", ".join(str(p) for p in data["unverifiable_pages"])
            lines.append(f"Pages without a text layer (not verifiable): {pages}")
        lines.append("Verified: no original or term remains." if self.verified else "Not verified.")
        return lines

    def _typesetting_lines(self) -> list[str]:
        statuses = self.line_statuses()
        if not statuses:
            return []
        total = sum(statuses.values())
        kinds = ", ".join(f"{statuses[k]} {k}" for k in sorted(statuses) if k != "retypeset")
        lines = [f"Lines set with a label: {total}" + (f" ({kinds})" if kinds else "")]
        look = sorted(
            number
            for number, page in self.pages.items()
            if any(line.status in _LOOK_AT for line in page.lines)
        )
        if look:
            shown = ", ".join(str(n) for n in look[:_LINES_SHOWN])
            more = " …" if len(look) > _LINES_SHOWN else ""
            lines.append(
                f"Look at the lines shrunk, overflowing a cell or pasted on pages {shown}{more}"
            )
        return lines


# Line statuses the summary asks the custodian to look at.
_LOOK_AT = frozenset(("shrunk", "cell-overflow", "pasted"))

# How many line numbers of unmatched names-file rows the summary shows before "…".
_LINES_SHOWN = 12


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
