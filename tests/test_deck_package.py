"""Every deck opens cleanly in Keynote, Google Slides, Quick Look and PowerPoint: one test per pattern that trips them,
and Microsoft's validator (as ported by openxml-audit) finding nothing, on every deck the suite writes."""

from __future__ import annotations

import collections
import io

import pytest
from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn

from deck_corpus import deck, names, parts, xml

NAMES = names()
EP = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
VT = "{http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
SIZE_TYPES = {"screen4x3": (9144000, 6858000), "screen16x9": (9144000, 5143500), "screen16x10": (9144000, 5715000)}


@pytest.mark.parametrize("name", NAMES)
def test_the_slide_size_is_labelled_as_what_it_is(name):
    size = xml(deck(name), "ppt/presentation.xml").find(qn("p:sldSz"))
    kind = size.get("type")
    # A 16:9 deck labelled screen4x3 (python-pptx's template) shows as 4:3 in Keynote's and PowerPoint's setup.
    assert kind in (None, "custom", *SIZE_TYPES), kind
    if kind in SIZE_TYPES:
        assert SIZE_TYPES[kind] == (int(size.get("cx")), int(size.get("cy")))


@pytest.mark.parametrize("name", NAMES)
def test_a_notes_master_is_listed_in_the_presentation(name):
    root = xml(deck(name), "ppt/presentation.xml")
    rels = xml(deck(name), "ppt/_rels/presentation.xml.rels")
    masters = [rel.get("Id") for rel in rels.iter(f"{RELS}Relationship") if rel.get("Type").endswith("/notesMaster")]
    listed = [entry.get(qn("r:id")) for entry in root.iter(qn("p:notesMasterId"))]
    # Related but not listed: Keynote refuses the file (python-pptx issue 1051).
    assert listed == masters
    if name.endswith("notes"):
        assert masters, "a deck with speaker notes has a notes master"


def test_the_decks_with_notes_have_them_on_their_slides():
    for name in ("30-60-90-day-plan-notes", "lrp-brainstorming-company-notes"):
        slides = Presentation(io.BytesIO(deck(name))).slides
        assert "Say why first" in slides[0].notes_slide.notes_text_frame.text


@pytest.mark.parametrize("name", NAMES)
def test_no_printer_settings_and_no_stale_thumbnail(name):
    names = parts(deck(name))
    assert not [part for part in names if "printerSettings" in part]
    # python-pptx's thumbnail is its template's picture, a company template's its sample slide: neither is the deck.
    assert not [part for part in names if part.startswith("docProps/thumbnail")]
    types = etree.fromstring(names["[Content_Types].xml"])
    assert not [t for t in types if "printerSettings" in (t.get("ContentType") or "")]


@pytest.mark.parametrize("name", NAMES)
def test_app_xml_tells_the_truth_about_the_slides(name):
    data = deck(name)
    app = xml(data, "docProps/app.xml")
    presentation = Presentation(io.BytesIO(data))
    slides = list(presentation.slides)
    assert app.findtext(f"{EP}Slides") == str(len(slides))
    assert app.findtext(f"{EP}Notes") == str(sum(slide.has_notes_slide for slide in slides))
    size = (presentation.slide_width, presentation.slide_height)
    expected = {(12192000, 6858000): "Widescreen", (9144000, 6858000): "On-screen Show (4:3)"}.get(size, "Custom")
    assert app.findtext(f"{EP}PresentationFormat") == expected
    titles = [t.text for t in app.find(f"{EP}TitlesOfParts").iter(f"{VT}lpstr")]
    shown = [" ".join((slide.shapes.title.text_frame.text if slide.shapes.title is not None else "").split())
             for slide in slides]
    assert titles[-len(slides):] == shown
    assert all(shown), "every slide has a title"


@pytest.mark.parametrize("name", NAMES)
def test_every_shape_id_is_unique_within_its_part(name):
    for part, data in parts(deck(name)).items():
        if not part.startswith("ppt/") or not part.endswith(".xml"):
            continue
        root = etree.fromstring(data)
        ids = collections.Counter(e.get("id") for e in root.iter(qn("p:cNvPr")))
        assert not [i for i, count in ids.items() if count > 1], f"{part}: repeated shape ids"


def test_the_duplicate_ids_template_really_repeats_ids():
    from deck_corpus import duplicate_ids_template

    with open(duplicate_ids_template(), "rb") as handle:
        template = handle.read()
    for part in ("ppt/slideMasters/slideMaster1.xml", "ppt/slideLayouts/slideLayout1.xml"):
        ids = collections.Counter(e.get("id") for e in xml(template, part).iter(qn("p:cNvPr")))
        assert max(ids.values()) > 1


@pytest.mark.parametrize("name", NAMES)
def test_openxml_audit_finds_nothing(name, tmp_path):
    from openxml_audit import validate_pptx

    path = tmp_path / f"{name}.pptx"
    path.write_bytes(deck(name))
    result = validate_pptx(str(path))
    assert result.is_valid and not result.errors, "\n".join(map(str, result.errors[:10]))
