"""Saving a presentation as a package every reader opens: tidied parts, pinned properties, reproducible bytes.

python-pptx starts from its own template and passes an adopted company template's parts through; both leave things
Keynote, Google Slides, Quick Look or PowerPoint's repair check trip over. `tidy` puts them right before saving.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from xml.sax.saxutils import escape

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.opc.packuri import PackURI
from pptx.oxml.ns import qn

from planforge.render.deck.draw import xml_safe

PINNED_TIME = datetime.datetime(2000, 1, 1, 0, 0, 0)
"""The time written wherever a file format wants one (a deck carries no build time)."""
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

_SIZE_TYPES = {
    "screen4x3": (9144000, 6858000), "letter": (9144000, 6858000), "overhead": (9144000, 6858000),
    "A4": (9906000, 6858000), "35mm": (10287000, 6858000), "screen16x9": (9144000, 5143500),
    "screen16x10": (9144000, 5715000), "banner": (7315200, 914400),
}
"""`p:sldSz` types whose size PowerPoint fixes, in EMU; any other size is "custom" (no type written)."""

_FORMAT_NAMES = {
    (12192000, 6858000): "Widescreen", (9144000, 6858000): "On-screen Show (4:3)",
    (9144000, 5143500): "On-screen Show (16:9)", (9144000, 5715000): "On-screen Show (16:10)",
}
"""Slide size in EMU → the presentation format PowerPoint names in docProps/app.xml."""

_DRAWN_ROOTS = {qn(f"p:{tag}") for tag in ("sld", "sldLayout", "sldMaster", "notes", "notesMaster", "handoutMaster")}
_EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def tidy(presentation) -> None:
    """Make the package what Keynote, Google Slides and PowerPoint expect of it.

    No printer settings and no thumbnail (python-pptx's is its own template's picture, a company template's shows
    its sample slide), the slide size labelled as what it is, the notes master listed when there is one, every
    shape id unique within its part, and an app.xml that tells the truth about the slides.
    """
    part = presentation.part
    for rel in [rel for rel in part.rels.values() if rel.reltype == RT.PRINTER_SETTINGS]:
        part.drop_rel(rel.rId)
    package = part.package
    for rel in [rel for rel in package._rels.values() if rel.reltype == RT.THUMBNAIL]:
        package.drop_rel(rel.rId)
    root = part._element
    _label_slide_size(root)
    _list_notes_master(part, root)
    for drawn in package.iter_parts():
        element = getattr(drawn, "_element", None)
        if element is not None and element.tag in _DRAWN_ROOTS:
            unique_shape_ids(element)
    _write_app_properties(presentation)


def _label_slide_size(root) -> None:
    """Keep `p:sldSz`'s type only when it names the slide's size; otherwise the size is custom (no type)."""
    size = root.find(qn("p:sldSz"))
    kind = size.get("type")
    if kind is not None and _SIZE_TYPES.get(kind) != (int(size.get("cx")), int(size.get("cy"))):
        del size.attrib["type"]


def _list_notes_master(part, root) -> None:
    """List the notes master in `p:notesMasterIdLst` (python-pptx relates one but does not list it; Keynote then
    refuses the file: python-pptx issue 1051)."""
    rel = next((rel for rel in part.rels.values() if rel.reltype == RT.NOTES_MASTER), None)
    if rel is None:
        return
    listed = root.find(qn("p:notesMasterIdLst"))
    if listed is None:
        listed = root.makeelement(qn("p:notesMasterIdLst"))
        root.find(qn("p:sldMasterIdLst")).addnext(listed)
    for child in list(listed):
        listed.remove(child)
    etree.SubElement(listed, qn("p:notesMasterId")).set(qn("r:id"), rel.rId)


def unique_shape_ids(root) -> None:
    """Give every shape of a slide, layout or master an id no other shape of that part has.

    The first shape with an id keeps it (anything that refers to the id meant that one); later ones get the next
    free numbers.
    """
    seen: set[int] = set()
    again = []
    for properties in root.iter(qn("p:cNvPr")):
        value = properties.get("id", "")
        number = int(value) if value.isdigit() else 0
        if number == 0 or number in seen:
            again.append(properties)
        else:
            seen.add(number)
    following = max(seen, default=0)
    for properties in again:
        following += 1
        properties.set("id", str(following))


def _write_app_properties(presentation) -> None:
    """docProps/app.xml as the deck is: its slides, how many have notes, the themes and slide titles, its format."""
    slides = list(presentation.slides)
    titles = [xml_safe(_slide_title(slide)) for slide in slides]
    themes = [_theme_name(master) for master in presentation.slide_masters]
    size = (presentation.slide_width, presentation.slide_height)
    notes = sum(1 for slide in slides if slide.has_notes_slide)
    parts = "".join(f"<vt:lpstr>{escape(name)}</vt:lpstr>" for name in [*themes, *titles])
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_EXTENDED}" xmlns:vt="{_VT}">'
        "<Application>planforge</Application>"
        f"<PresentationFormat>{_FORMAT_NAMES.get(size, 'Custom')}</PresentationFormat>"
        f"<Slides>{len(slides)}</Slides><Notes>{notes}</Notes><HiddenSlides>0</HiddenSlides>"
        '<HeadingPairs><vt:vector size="4" baseType="variant">'
        f"<vt:variant><vt:lpstr>Theme</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(themes)}</vt:i4></vt:variant>"
        f"<vt:variant><vt:lpstr>Slide Titles</vt:lpstr></vt:variant><vt:variant><vt:i4>{len(titles)}</vt:i4></vt:variant>"
        "</vt:vector></HeadingPairs>"
        f'<TitlesOfParts><vt:vector size="{len(themes) + len(titles)}" baseType="lpstr">{parts}</vt:vector></TitlesOfParts>'
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "</Properties>"
    ).encode("utf-8")
    package = presentation.part.package
    rel = next((rel for rel in package._rels.values() if rel.reltype == RT.EXTENDED_PROPERTIES), None)
    if rel is not None:
        rel.target_part._blob = xml
    else:
        part = Part(PackURI("/docProps/app.xml"),
                    "application/vnd.openxmlformats-officedocument.extended-properties+xml", package, xml)
        package.relate_to(part, RT.EXTENDED_PROPERTIES)


def _slide_title(slide) -> str:
    title = slide.shapes.title
    if title is None:
        title = next((shape for shape in slide.shapes if shape.name == "Title" and shape.has_text_frame), None)
    return " ".join(title.text_frame.text.split()) if title is not None else ""


def _theme_name(master) -> str:
    theme = etree.fromstring(master.part.part_related_by(RT.THEME).blob)
    return theme.get("name") or "Theme"


def pin_properties(presentation, title: str, author: str | None, language: str | None = None) -> None:
    """Overwrite the core properties python-pptx and its template stamp with fixed values (and the deck's language
    when the plan names one)."""
    properties = presentation.core_properties
    if language:
        properties.language = language
    # The file format caps these at 255 characters.
    properties.title = xml_safe(title)[:255]
    properties.author = xml_safe(author or "")[:255]
    properties.last_modified_by = "planforge"
    properties.revision = 1
    properties.created = PINNED_TIME
    properties.modified = PINNED_TIME
    properties.last_printed = PINNED_TIME
    properties.comments = ""
    properties.subject = ""
    properties.keywords = ""
    properties.category = ""


def to_bytes(presentation) -> bytes:
    """Tidy and save the presentation and rewrite its zip with fixed entry dates, so equal decks are equal bytes."""
    tidy(presentation)
    saved = io.BytesIO()
    presentation.save(saved)
    return rezip(saved.getvalue())


def rezip(data: bytes) -> bytes:
    """Return the zip archive with every entry dated 1980-01-01, in its original order, deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(entry.filename), compresslevel=6)
    return out.getvalue()
