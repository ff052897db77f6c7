"""Sealed impression notes: the reader writes beside the document; only the custodian releases.

Qt-free. ``notes_file`` is the file format (naming, sealing, opening), ``notes_store`` keeps one
reader's notes for one document on a workstation (load or start, atomic save, the size cap, a
damaged file set aside), ``notes_session`` is the viewer's use case (it records the audit
events), ``provenance`` checks a notes file against an audit log and ``release`` renders the
released PDF. See docs/format.md ("Notes files") and docs/threat-model.md.
"""
