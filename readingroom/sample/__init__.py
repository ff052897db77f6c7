"""The bundled, fictional Serious Case Review, built from ``readingroom/resources/sample/``.

Modules: ``source`` (finding and reading the source, the people and their placeholders),
``markup`` (the tiny markup and the chronology table to HTML), ``layout`` (Story layout until
page numbers settle), ``decorate`` (links, outline, running header and footer) and ``build``
(the whole build and ``python -m readingroom.sample``).
"""

from readingroom.sample.build import build_sample_pdf, main
from readingroom.sample.source import (
    load_people,
    name_variants,
    sample_source_dir,
    substitute_people,
)

__all__ = [
    "build_sample_pdf",
    "load_people",
    "main",
    "name_variants",
    "sample_source_dir",
    "substitute_people",
]
