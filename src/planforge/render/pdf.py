"""The deck as a tagged PDF (PDF/UA where LibreOffice can): planforge's .pptx converted by LibreOffice headless.

LibreOffice writes the structure: slide titles as headings, lists, tables with header cells, the document's language
and title, shapes' alternative text as figures' /Alt. What it cannot do yet (7.x) is read PowerPoint's decorative
flag, so every figure it writes without alternative text — rules, stripes, accent bars, a master's logo — is turned
into an artifact here, as PDF/UA asks. The dates and file identifier LibreOffice stamps are pinned, so the same deck
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import re

from planforge.render import RenderOptions
from planforge.render.libreoffice import convert

_PINNED_PDF_DATE = b"20000101000000"
_PINNED_XMP_DATE = b"2000-01-01T00:00:00"


def export_filter(handout: bool = False) -> str:
    """LibreOffice's PDF export with tags and PDF/UA; a handout is every slide on a notes page with its notes."""
    options = {"UseTaggedPDF": True, "PDFUACompliance": True, "ExportBookmarks": True, "ExportNotes": False,
               "ExportNotesPages": handout, "ExportOnlyNotesPages": handout, "ExportHiddenSlides": False,
               "UseLosslessCompression": True}
    typed = {key: {"type": "boolean", "value": "true" if value else "false"} for key, value in options.items()}
    return "pdf:impress_pdf_Export:" + json.dumps(typed, separators=(",", ":"))


def render(document, options: RenderOptions | None = None) -> bytes:
    """Render a plan document as its deck in a tagged PDF and return the PDF bytes."""
    from planforge.render.deck import render as render_deck

    options = options or RenderOptions()
    deck = render_deck(document, options)
    pdf = convert(deck, ".pptx", export_filter(options.handout), f"{document.title[:60]} (pdf)")
    return tidy(pdf, hashlib.sha256(deck).digest()[:16])


def slide_titles(document) -> list[str]:
    """The storyline's action titles in order, as the deck's."""
    from planforge.render.deck import slide_titles as titles

    return titles(document)


def tidy(pdf: bytes, identifier: bytes) -> bytes:
    """Figures without /Alt become artifacts; dates and the file identifier are pinned."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, ByteStringObject, NameObject

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header
    _figures_without_alt_to_artifacts(writer)
    info = writer._info
    if info is not None:
        for key in ("/CreationDate", "/ModDate"):
            if key in info:
                info[NameObject(key)] = _pinned_date(info[key])
    metadata = writer.root_object.get("/Metadata")
    if metadata is not None:
        stream = metadata.get_object()
        stream.set_data(re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", _PINNED_XMP_DATE, stream.get_data()))
    writer._ID = ArrayObject([ByteStringObject(identifier), ByteStringObject(identifier)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pinned_date(value):
    from pypdf.generic import TextStringObject

    return TextStringObject(re.sub(r"D:\d{14}", "D:" + _PINNED_PDF_DATE.decode(), str(value)))


def _figures_without_alt_to_artifacts(writer) -> None:
    """Take every /Figure without /Alt out of the structure tree and mark its content as an artifact."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NullObject

    root = writer.root_object.get("/StructTreeRoot")
    if root is None:
        return
    root = root.get_object()
    # (page object number, MCID) of each figure's marked content, by page.
    untagged: dict[int, set[int]] = {}

    def visit(element) -> None:
        element = element.get_object()
        kids = element.get("/K")
        if kids is None:
            return
        listed = kids if isinstance(kids, ArrayObject) else ArrayObject([kids])
        kept = ArrayObject()
        for kid in listed:
            node = kid.get_object()
            if isinstance(node, DictionaryObject) and node.get("/S") == "/Figure" and not str(node.get("/Alt", "")).strip():
                page = node.get("/Pg")
                for mcid in _mcids(node):
                    if page is not None:
                        untagged.setdefault(page.idnum, set()).add(mcid)
                continue
            if isinstance(node, DictionaryObject) and "/S" in node:
                visit(node)
            kept.append(kid)
        element[NameObject("/K")] = kept

    visit(root)
    if not untagged:
        return
    parent_tree = root.get("/ParentTree")
    numbers = parent_tree.get_object().get("/Nums", ArrayObject()) if parent_tree is not None else ArrayObject()
    parents = {int(numbers[i]): numbers[i + 1].get_object() for i in range(0, len(numbers) - 1, 2)}
    for page in writer.pages:
        mcids = untagged.get(page.indirect_reference.idnum)
        if not mcids:
            continue
        contents = page.get_contents()
        data = contents.get_data()
        pattern = re.compile(rb"/Figure\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
        data = pattern.sub(lambda m: b"/Artifact BMC" if int(m.group(1)) in mcids else m.group(0), data)
        contents.set_data(data)
        page.replace_contents(contents)
        page.compress_content_streams()
        slots = parents.get(int(page.get("/StructParents", -1)))
        if isinstance(slots, ArrayObject):
            for mcid in mcids:
                if mcid < len(slots):
                    slots[mcid] = NullObject()


def _mcids(node) -> list[int]:
    from pypdf.generic import ArrayObject, DictionaryObject

    kids = node.get("/K")
    listed = kids if isinstance(kids, ArrayObject) else [kids]
    found = []
    for kid in listed:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, int):
            found.append(int(kid))
        elif isinstance(kid, DictionaryObject) and "/MCID" in kid:
            found.append(int(kid["/MCID"]))
    return found


def topic_titles(document) -> int:
    """How many slides of the PDF (the deck's) show a made-up topic title instead of the plan's action title."""
    from planforge.render.deck import topic_titles as count

    return count(document)
