"""Dropping what no reader sees: hidden optional content and resources no content uses.

Runs on the input before anything else, so hidden text never reaches the pseudonymising step
(which only needs what is visible) and never survives it. Done with qpdf (through pikepdf)
because it parses content streams into instructions; MuPDF exposes no such parser.

* Optional content (layers): content marked ``/OC`` for a layer that is off in the default
  configuration (or an ``/OCMD`` with any member off: the stricter reading) is removed from
  every content stream (pages and form XObjects), as are XObjects and annotations bound to such
  a layer. Visible layered content stays, unmarked: the layers are flattened, and their names
  (``/OCProperties``) go with the allow-list rebuild.
* Content streams lose their comments and their marked-content property lists (``BDC`` becomes
  ``BMC`` with the same tag): ``/ActualText``, ``/Alt`` and ``/E`` there are text no page shows.
* Resources: fonts, images, form XObjects and the like that no content stream names are removed
  from every page's (and form's) resources, so a form that is never drawn is not carried along.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from readingroom.prepare.walk_qpdf import load_pikepdf

_MAX_FORM_DEPTH = 32


def _hidden_groups(pdf: Any, pikepdf: Any) -> set[tuple[int, int]]:
    """The object ids of layers that are off in the default configuration."""
    properties = pdf.Root.get("/OCProperties")
    if properties is None:
        return set()
    default = properties.get("/D", pikepdf.Dictionary())
    hidden: set[tuple[int, int]] = set()
    if str(default.get("/BaseState", "/ON")) == "/OFF":
        groups = properties.get("/OCGs", pikepdf.Array())
        hidden |= {g.objgen for g in groups if g.is_indirect}
        hidden -= {g.objgen for g in default.get("/ON", pikepdf.Array()) if g.is_indirect}
    hidden |= {g.objgen for g in default.get("/OFF", pikepdf.Array()) if g.is_indirect}
    return hidden


def _is_hidden(marker: Any, hidden: set[tuple[int, int]], pikepdf: Any) -> bool:
    if marker is None or not isinstance(marker, pikepdf.Dictionary):
        return False
    if marker.is_indirect and marker.objgen in hidden:
        return True
    members = marker.get("/OCGs")
    if members is None:
        return False
    if isinstance(members, pikepdf.Dictionary):
        members = [members]
    return any(m.is_indirect and m.objgen in hidden for m in members)


def _filter_stream(
    owner: Any, resources: Any, hidden: set[tuple[int, int]], pikepdf: Any, dropped: Counter[str]
) -> bytes | None:
    """The content of ``owner`` without hidden marked content, comments or marked-content
    property lists; None when nothing changed."""
    properties = resources.get("/Properties", pikepdf.Dictionary()) if resources else {}
    xobjects = resources.get("/XObject", pikepdf.Dictionary()) if resources else {}
    kept: list[Any] = []
    # One entry per open BDC/BMC: True when that marker is optional content (its EMC goes
    # too, the content stays: the layer is flattened).
    markers: list[bool] = []
    hidden_at = 0  # the marker depth at which hidden content began; 0 when not inside it
    # Comments ("% ...") are dropped by re-writing the stream from its instructions.
    changed = b"%" in _content_bytes(owner, pikepdf)
    for original in pikepdf.parse_content_stream(owner):
        instruction = _without_properties(original, pikepdf, dropped)
        changed = changed or instruction is not original
        operator = str(instruction.operator) if hasattr(instruction, "operator") else "INLINE"
        operands = list(instruction.operands) if hasattr(instruction, "operands") else []
        if operator in ("BDC", "BMC"):
            is_layer = operator == "BDC" and len(operands) == 2 and str(operands[0]) == "/OC"
            markers.append(is_layer)
            if is_layer and not hidden_at:
                marker = operands[1]
                if isinstance(marker, pikepdf.Name):
                    marker = properties.get(str(marker))
                if _is_hidden(marker, hidden, pikepdf):
                    hidden_at = len(markers)
                    dropped["hidden layer content"] += 1
            if is_layer:
                changed = True
                continue
        elif operator == "EMC":
            was_layer = markers.pop() if markers else False
            if hidden_at and len(markers) + 1 == hidden_at:
                hidden_at = 0
                continue
            if was_layer:
                continue
        if hidden_at:
            changed = True
            continue
        if operator == "Do" and operands:
            xobject = xobjects.get(str(operands[0]))
            if xobject is not None and _is_hidden(xobject.get("/OC"), hidden, pikepdf):
                dropped["hidden layer content"] += 1
                changed = True
                continue
        kept.append(instruction)
    return pikepdf.unparse_content_stream(kept) if changed else None


def _content_bytes(owner: Any, pikepdf: Any) -> bytes:
    """The decoded content of a page (all its content streams) or of a form XObject."""
    if isinstance(owner, pikepdf.Stream):
        return bytes(owner.read_bytes())
    contents = owner.obj.get("/Contents")
    if isinstance(contents, pikepdf.Stream):
        return bytes(contents.read_bytes())
    if isinstance(contents, pikepdf.Array):
        return b"\n".join(bytes(c.read_bytes()) for c in contents if isinstance(c, pikepdf.Stream))
    return b""


def _without_properties(instruction: Any, pikepdf: Any, dropped: Counter[str]) -> Any:
    """A ``BDC`` that is not optional content becomes ``BMC`` with the same tag: its property
    list (``/ActualText``, ``/Alt``, ``/E``, ``/MCID``...) speaks for the structure tree, which
    is dropped, and is text no page shows. Any other instruction is returned as it is."""
    if not hasattr(instruction, "operator") or str(instruction.operator) != "BDC":
        return instruction
    operands = list(instruction.operands)
    if not operands or (len(operands) == 2 and str(operands[0]) == "/OC"):
        return instruction
    dropped["marked-content properties"] += 1
    return pikepdf.ContentStreamInstruction([operands[0]], pikepdf.Operator("BMC"))


def _forms_of(resources: Any, pikepdf: Any) -> list[Any]:
    xobjects = resources.get("/XObject") if resources is not None else None
    if not isinstance(xobjects, pikepdf.Dictionary):
        return []
    return [
        x
        for x in xobjects.values()
        if isinstance(x, pikepdf.Stream) and str(x.get("/Subtype", "")) == "/Form"
    ]


def _flatten_layers(pdf: Any, pikepdf: Any, dropped: Counter[str]) -> None:
    hidden = _hidden_groups(pdf, pikepdf)
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        resources = page.obj.get("/Resources")
        new = _filter_stream(page, resources, hidden, pikepdf, dropped)
        if new is not None:
            page.obj.Contents = pdf.make_stream(new)
        forms = [(f, 1) for f in _forms_of(resources, pikepdf)]
        while forms:
            form, level = forms.pop()
            if form.objgen in seen or level > _MAX_FORM_DEPTH:
                continue
            seen.add(form.objgen)
            form_resources = form.get("/Resources", resources)
            new = _filter_stream(form, form_resources, hidden, pikepdf, dropped)
            if new is not None:
                form.write(new)
            forms += [(f, level + 1) for f in _forms_of(form_resources, pikepdf)]
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = [a for a in annots if not _is_hidden(a.get("/OC"), hidden, pikepdf)]
            if len(kept) != len(annots):
                dropped["hidden layer annotations"] += len(annots) - len(kept)
                page.obj.Annots = pikepdf.Array(kept)
    _unmark_layers(pdf, pikepdf)
    if "/OCProperties" in pdf.Root:
        dropped["optional content layers (flattened)"] += len(
            pdf.Root.OCProperties.get("/OCGs", pikepdf.Array())
        )
        del pdf.Root["/OCProperties"]


def _unmark_layers(pdf: Any, pikepdf: Any) -> None:
    """Remove every remaining reference to a layer: ``/OC`` keys and layer properties."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        if "/OC" in obj:
            del obj["/OC"]
        properties = obj.get("/Properties")
        if isinstance(properties, pikepdf.Dictionary):
            for key in list(properties.keys()):
                value = properties.get(key)
                if isinstance(value, pikepdf.Dictionary) and str(value.get("/Type", "")) in (
                    "/OCG",
                    "/OCMD",
                ):
                    del properties[key]


def prune_input(pdf: bytes) -> tuple[bytes, Counter[str]]:
    """Remove hidden layered content and unused resources from ``pdf`` (already repaired by
    MuPDF, so qpdf reads it without guessing).

    Returns:
        The pruned bytes and what was dropped, per kind.
    """
    pikepdf = load_pikepdf()
    dropped: Counter[str] = Counter()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        _flatten_layers(document, pikepdf, dropped)
        for page in document.pages:
            before = _resource_count(page.obj.get("/Resources"), pikepdf)
            page.remove_unreferenced_resources()
            after = _resource_count(page.obj.get("/Resources"), pikepdf)
            if before > after:
                dropped["unused resources"] += before - after
        out = io.BytesIO()
        document.save(out, static_id=True)
    return out.getvalue(), dropped


def _resource_count(resources: Any, pikepdf: Any) -> int:
    if not isinstance(resources, pikepdf.Dictionary):
        return 0
    return sum(len(value) for value in resources.values() if isinstance(value, pikepdf.Dictionary))
