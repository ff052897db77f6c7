"""Build the bundled, fictional Serious Case Review PDF from ``readingroom/resources/sample/``.

The source is text: ``review.txt`` (a tiny markup, described in the sample's README.md),
``chronology.csv`` (the long table), ``people.csv`` (placeholder codes such as ``SW1`` with a role
label and the fictional names of an agency's draft) and ``review.css``. The builder turns it into
HTML, lays it out with PyMuPDF's Story, then adds what Story cannot: internal links, the outline,
the running header and footer, and fixed metadata.

Page numbers appear in the text (contents, "see Finding 3 (page N)") and the chronology repeats
its header row by starting a new table on each page; both depend on the layout they change, so
the layout is repeated until it stops changing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from readingroom.errors import ReadingRoomError
from readingroom.fileio import check_output_path, write_atomically
from readingroom.sample.constants import METADATA
from readingroom.sample.decorate import add_links, add_outline, add_running_header
from readingroom.sample.layout import paginate
from readingroom.sample.markup import chronology_rows, markup_to_html
from readingroom.sample.source import load_people, read_csv, read_text, substitute_people


def build_sample_pdf(*, with_real_names: bool = False) -> bytes:
    """Build the fictional Serious Case Review as PDF bytes.

    Args:
        with_real_names: build the agency's *draft*, in which people carry fictional personal
            names (listed in ``names.csv``) instead of role labels.

    Returns:
        The PDF; the same bytes every time for the same variant.

    Raises:
        InputFileError: the sample's source files are missing.
    """
    people = load_people()
    source = substitute_people(read_text("review.txt"), people, real_names=with_real_names)
    chronology = read_csv("chronology.csv")
    for row in chronology:
        for key in ("who", "what", "should"):
            row[key] = substitute_people(row[key], people, real_names=with_real_names)
    body, titles = markup_to_html(source)
    doc, positions = paginate(body, chronology_rows(chronology), read_text("review.css"))
    add_links(doc, positions)
    add_outline(doc, positions, titles)
    add_running_header(doc)
    doc.set_metadata(METADATA)
    data: bytes = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m readingroom.sample -o OUT.pdf [--draft] [--force]``."""
    parser = argparse.ArgumentParser(
        prog="python -m readingroom.sample", description=(__doc__ or "").split("\n\n")[0]
    )
    parser.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")
    parser.add_argument("--draft", action="store_true", help="use fictional names, not labels")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    try:
        check_output_path(args.output, force=args.force)  # before the seconds spent building
        pdf = build_sample_pdf(with_real_names=args.draft)
        write_atomically(args.output, pdf, force=args.force, mode=0o644)
    except ReadingRoomError as error:
        print(f"readingroom: {error}", file=sys.stderr)
        return error.exit_code
    return 0
