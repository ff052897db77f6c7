"""PyMuPDF as this package sees it: one import, typed as ``Any`` on purpose.

PyMuPDF ships partial type information, so ``mypy --strict`` rejects most of its calls. Rather
than sprinkle ignores, the prepare modules import it from here and wrap the values they keep in
explicit types (``str(...)``, ``int(...)``, ``bytes(...)``).
"""

from __future__ import annotations

from typing import Any, TypeAlias

import pymupdf as _pymupdf

pymupdf: Any = _pymupdf

Document: TypeAlias = Any
"""A ``pymupdf.Document``."""
Page: TypeAlias = Any
"""A ``pymupdf.Page``."""
Rect: TypeAlias = Any
"""A ``pymupdf.Rect``."""
