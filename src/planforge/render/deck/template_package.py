"""A company template's package, opened safely before python-pptx sees it.

The file is read the one safe way (`planforge.inputs`); every part's uncompressed size and their total are bounded
before anything is inflated; every XML part is parsed with entity expansion, DTDs and network access off; external
relationships (a linked image on a remote server, a `file:` hyperlink), which every deck would copy and a viewer
could fetch, are removed with a warning naming them unless kept on purpose. Templates (.potx, .potm) and
macro-enabled files are accepted: the main part becomes a presentation's and macros are left out, with a note.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import os
import posixpath
import warnings
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from planforge.errors import PlanforgeWarning, Problem, TemplateError
from planforge.inputs import MAX_DECK_TEMPLATE_BYTES, MIB, read_bytes

MAX_PART_BYTES = 64 * MIB
"""Largest uncompressed part (a slide master's XML is kilobytes; a big embedded picture some megabytes)."""
MAX_TOTAL_BYTES = 256 * MIB
"""Largest uncompressed total of all parts: a zip bomb of a few MB stops here, before it is inflated."""
MAX_PARTS = 10_000

PRESENTATION = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
MAIN_TYPES = {
    PRESENTATION: "presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "template (.potx)",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml": "slide show (.ppsx)",
    "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml": "macro-enabled presentation (.pptm)",
    "application/vnd.ms-powerpoint.template.macroEnabled.main+xml": "macro-enabled template (.potm)",
    "application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml": "macro-enabled slide show (.ppsm)",
}
"""The main part's content type → what kind of PowerPoint file it makes; python-pptx opens only the first."""
MACRO_TYPES = ("application/vnd.ms-office.vbaProject", "application/vnd.ms-office.vbaProjectSignature",
               "application/vnd.ms-powerpoint.vbaData+xml", "application/vnd.ms-office.activeX")
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HYPERLINKS = ("hlinkClick", "hlinkHover", "hlinkMouseOver")

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False)
"""No entity is expanded, no DTD loaded, nothing fetched; lxml's own limits on depth and node size stay on."""


KEEP_EXTERNAL = contextvars.ContextVar("keep_external_links", default=False)
"""Whether templates opened now keep their external relationships (`--keep-external-links`)."""


@contextlib.contextmanager
def keeping_external_links(keep: bool):
    """Open templates in the block keeping (True) or removing (False) their external relationships."""
    token = KEEP_EXTERNAL.set(bool(keep))
    try:
        yield
    finally:
        KEEP_EXTERNAL.reset(token)


def open_presentation(path: Path, keep_external: bool | None = None):
    """Return the python-pptx Presentation of a company template, opened from its checked package."""
    from pptx import Presentation

    keep_external = KEEP_EXTERNAL.get() if keep_external is None else keep_external
    if not os.path.lexists(path):
        raise _refused(path, "deck template not found", "give the path of a .pptx or .potx file")
    data = read_bytes(path, MAX_DECK_TEMPLATE_BYTES, what="deck template", root=os.getcwd(), error=TemplateError)
    package = checked_package(Path(path), data, keep_external)
    try:
        return Presentation(io.BytesIO(package))
    except Exception as error:  # python-pptx raises many types for broken packages; all mean the same here
        raise _refused(path, f"cannot open the deck template ({type(error).__name__}: {error})",
                       "save the template again from PowerPoint as .pptx or .potx") from None


def checked_package(path: Path, data: bytes, keep_external: bool = False) -> bytes:
    """Return the template's package with every part checked, the main part a presentation's, macros left out and
    (unless `keep_external`) external relationships removed; warn about what was changed."""
    parts = _read_parts(path, data)
    xml = {name: _parse(path, name, blob) for name, blob in parts.items() if _is_xml(name)}
    changed: set[str] = set()
    types = xml.get("[Content_Types].xml")
    if types is None:
        raise _refused(path, "not a PowerPoint file: the package has no [Content_Types].xml",
                       "save the template from PowerPoint as .pptx or .potx")
    main = _main_part(path, xml)
    override = _override(types, main)
    kind = MAIN_TYPES.get(override.get("ContentType") if override is not None else "")
    if kind is None:
        raise _refused(path, f"not a PowerPoint presentation or template (its main part {main} is "
                       f"{override.get('ContentType') if override is not None else 'untyped'})",
                       "give a .pptx or .potx file saved from PowerPoint")
    if override.get("ContentType") != PRESENTATION:
        override.set("ContentType", PRESENTATION)
        changed.add("[Content_Types].xml")
    macros = _drop_macros(types, parts, xml, changed)
    if macros:
        _warn(f"{path}: a {kind}; its macros ({', '.join(macros)}) were left out: decks hold no macros")
    external = _external_links(xml, parts, changed, keep_external)
    if external and not keep_external:
        _warn(f"{path}: removed {len(external)} external link(s) that every deck would carry and a viewer could "
              f"fetch or open: {'; '.join(external)} (keep them with --keep-external-links)")
    elif external:
        _warn(f"{path}: kept {len(external)} external link(s), as asked: {'; '.join(external)}")
    for name in changed:
        if name in parts:
            parts[name] = etree.tostring(xml[name], xml_declaration=True, encoding="UTF-8", standalone=True)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in parts.items():
            target.writestr(name, blob)
    return out.getvalue()


def external_links(path: Path) -> list[str]:
    """The external relationships a template holds, one `part: kind → target` each (for `template check`)."""
    data = read_bytes(path, MAX_DECK_TEMPLATE_BYTES, what="deck template", root=os.getcwd(), error=TemplateError)
    parts = _read_parts(Path(path), data)
    xml = {name: _parse(Path(path), name, blob) for name, blob in parts.items() if _is_xml(name)}
    return _external_links(xml, parts, set(), keep=True)


# --- reading ------------------------------------------------------------------------------------------------


def _read_parts(path: Path, data: bytes) -> dict[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise _refused(path, "not a PowerPoint file (a .pptx is a zip archive)",
                       "save the template from PowerPoint as .pptx or .potx (not .ppt or .key)") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_PARTS:
            raise _refused(path, f"the template has {len(infos):,} parts; at most {MAX_PARTS:,} are allowed",
                           "save a template without thousands of embedded files")
        total = sum(info.file_size for info in infos)
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise _refused(path, f"part {info.filename} unpacks to {info.file_size:,} bytes; a part may be at "
                               f"most {MAX_PART_BYTES:,}", "remove the huge embedded file from the template")
        if total > MAX_TOTAL_BYTES:
            raise _refused(path, f"the template unpacks to {total:,} bytes; at most {MAX_TOTAL_BYTES:,} are "
                           "allowed", "use a template without large embedded media")
        parts: dict[str, bytes] = {}
        for info in infos:
            if info.is_dir():
                continue
            if info.filename in parts:
                raise _refused(path, f"the template holds part {info.filename} twice",
                               "save the template again from PowerPoint")
            try:
                with archive.open(info) as handle:
                    # Bounded by the declared size: a part that claims to be small and inflates past it fails
                    # its checksum instead of filling memory.
                    parts[info.filename] = handle.read(info.file_size + 1)
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError) as exc:
                raise _refused(path, f"part {info.filename} is damaged or encrypted ({exc})",
                               "save the template again from PowerPoint") from None
    return parts


def _is_xml(name: str) -> bool:
    return name.endswith((".xml", ".rels"))


def _parse(path: Path, name: str, blob: bytes):
    try:
        root = etree.fromstring(blob, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise _refused(path, f"part {name} is not well-formed XML (line {exc.lineno}: {exc.msg})",
                       "save the template again from PowerPoint; a hand-edited part may be broken") from None
    if root.getroottree().docinfo.doctype:
        raise _refused(path, f"part {name} declares a document type (DTD), which Office files never do; its "
                       "entities could expand to gigabytes", "save the template again from PowerPoint")
    return root


def _main_part(path: Path, xml: dict) -> str:
    rels = xml.get("_rels/.rels")
    for rel in rels if rels is not None else ():
        if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
            return rel.get("Target", "").lstrip("/")
    raise _refused(path, "not a PowerPoint file: the package names no main document",
                   "save the template from PowerPoint as .pptx or .potx")


def _override(types, part: str):
    return next((item for item in types if item.tag == f"{{{CT_NS}}}Override"
                 and item.get("PartName", "").lstrip("/") == part), None)


# --- what is left out ---------------------------------------------------------------------------------------


def _drop_macros(types, parts: dict, xml: dict, changed: set[str]) -> list[str]:
    """Remove macro parts (VBA projects, their signatures, ActiveX controls), their types and relationships."""
    defaults = {item.get("Extension", "").lower(): item.get("ContentType") for item in types
                if item.tag == f"{{{CT_NS}}}Default"}
    dropped = []
    for name in list(parts):
        override = _override(types, name)
        content_type = override.get("ContentType") if override is not None else \
            defaults.get(name.rsplit(".", 1)[-1].lower())
        if content_type in MACRO_TYPES:
            dropped.append(name)
            del parts[name]
            xml.pop(name, None)
            if override is not None:
                types.remove(override)
                changed.add("[Content_Types].xml")
    if dropped:
        for rels_name, root in xml.items():
            if not rels_name.endswith(".rels"):
                continue
            for rel in list(root):
                if rel.get("TargetMode") != "External" and _target(rels_name, rel.get("Target", "")) in dropped:
                    root.remove(rel)
                    changed.add(rels_name)
    return dropped


def _external_links(xml: dict, parts: dict, changed: set[str], keep: bool) -> list[str]:
    """Return `part: kind → target` for each external relationship; remove them and what refers to them unless
    `keep`."""
    found = []
    for rels_name, root in sorted(xml.items()):
        if not rels_name.endswith(".rels"):
            continue
        source = _source_part(rels_name)
        for rel in list(root):
            if rel.get("TargetMode") != "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            found.append(f"{source or '(package)'}: {kind} → {rel.get('Target', '')}")
            if keep:
                continue
            root.remove(rel)
            changed.add(rels_name)
            if source in xml:
                _drop_references(xml[source], rel.get("Id"))
                changed.add(source)
    return found


def _drop_references(root, rel_id: str | None) -> None:
    """Remove what refers to a removed relationship: a hyperlink element whole, any other reference attribute."""
    for element in list(root.iter()):
        for attribute, value in list(element.attrib.items()):
            if value != rel_id or not attribute.startswith(f"{{{R_NS}}}"):
                continue
            if etree.QName(element).localname in _HYPERLINKS and element.getparent() is not None:
                element.getparent().remove(element)
                break
            del element.attrib[attribute]


def _source_part(rels_name: str) -> str:
    """`ppt/slides/_rels/slide1.xml.rels` → `ppt/slides/slide1.xml` (`_rels/.rels` → "", the package)."""
    folder, _, name = rels_name.rpartition("_rels/")
    return folder + name.removesuffix(".rels")


def _target(rels_name: str, target: str) -> str:
    """The part name a relationship's target points at, relative to the part that holds the relationship."""
    if target.startswith("/"):
        return target.lstrip("/")
    base = posixpath.dirname(_source_part(rels_name))
    return posixpath.normpath(posixpath.join(base, target))


def _warn(message: str) -> None:
    warnings.warn(message, PlanforgeWarning, stacklevel=4)


def _refused(path, message: str, hint: str) -> TemplateError:
    return TemplateError([Problem(path, None, None, message, hint)])
