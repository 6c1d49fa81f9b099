"""A company template's package is opened safely before python-pptx sees it (render/deck/template_package.py):
broken or entity-expanding XML, parts that unpack to gigabytes and external relationships are each one clear
message or warning; .potx/.potm templates are accepted, their macros left out."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from company_template import make_template

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLANFORGE = Path(sys.executable).parent / "planforge"
MIB = 1024 * 1024


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(PLANFORGE), *args], cwd=cwd, capture_output=True, text=True, timeout=180,
                          env={**os.environ, "CI": "1", "COLUMNS": "300"})


@pytest.fixture(scope="module")
def brand(tmp_path_factory) -> bytes:
    return make_template(tmp_path_factory.mktemp("brand") / "brand.pptx").read_bytes()


@pytest.fixture
def project(tmp_path) -> Path:
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "alpha.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())
    return tmp_path


def repack(data: bytes, path: Path, changes: dict[str, bytes | None] = {}, extra: list[tuple[str, bytes]] = ()) -> Path:
    """Write `data`'s package to `path` with some parts replaced (None: removed) and others added."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            blob = changes.get(info.filename, source.read(info.filename))
            if blob is not None:
                target.writestr(info.filename, blob)
        for name, blob in extra:
            target.writestr(name, blob)
    return path


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def render_with(project: Path, template: Path, *flags: str) -> subprocess.CompletedProcess:
    return run("render", "plans/alpha.yaml", "-f", "pptx", "--deck-template", template.name, "-o", "out.pptx", *flags,
               cwd=project)


def assert_refused(result: subprocess.CompletedProcess, words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


# --- refused ------------------------------------------------------------------------------------------------------


def test_a_theme_that_is_not_well_formed_is_a_message(project, brand):
    template = repack(brand, project / "brand.pptx", {"ppt/theme/theme1.xml": b"<a:theme><a:unclosed></a:theme>"})

    for command in (["template", "check", "brand.pptx"], ["build", "-f", "pptx", "--deck-template", "brand.pptx"]):
        assert_refused(run(*command, cwd=project), "part ppt/theme/theme1.xml is not well-formed XML (line 1")
    assert_refused(render_with(project, template), "brand.pptx: part ppt/theme/theme1.xml is not well-formed XML")


def test_a_theme_with_entity_expansion_is_refused_unexpanded(project, brand):
    theme = part(brand, "ppt/theme/theme1.xml").decode("utf-8")
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>\n')
    theme = bomb + theme.split("?>", 1)[1].replace('name="', 'name="&d;', 1)
    template = repack(brand, project / "brand.pptx", {"ppt/theme/theme1.xml": theme.encode("utf-8")})

    assert_refused(render_with(project, template), "part ppt/theme/theme1.xml declares a document type (DTD)")


def test_a_small_template_with_a_part_that_unpacks_huge_is_refused_before_inflating(project, brand):
    zeros = b"\0" * (100 * MIB)
    template = repack(brand, project / "brand.pptx", extra=[("ppt/media/huge.bin", zeros)])
    assert template.stat().st_size < 2 * MIB

    assert_refused(render_with(project, template), f"part ppt/media/huge.bin unpacks to {100 * MIB:,} bytes")


def test_parts_that_unpack_past_the_total_are_refused(project, brand):
    template = repack(brand, project / "brand.pptx", extra=[(f"ppt/media/big{n}.bin", b"\0" * (60 * MIB))
                                                          for n in range(5)])

    assert_refused(render_with(project, template), "the template unpacks to")


def test_a_part_that_lies_about_its_size_fails_its_checksum_instead_of_filling_memory(tmp_path, brand):
    from planforge.errors import TemplateError
    from planforge.render.deck.template_package import checked_package

    data = bytearray(repack(brand, tmp_path / "brand.pptx", extra=[("ppt/media/liar.bin", b"\0" * MIB)]).read_bytes())
    # Make the central directory (which zipfile trusts) declare 10 bytes for the part: it inflates to a MiB.
    header = data.rindex(b"PK\x01\x02")
    assert data[header + 46:header + 46 + 18] == b"ppt/media/liar.bin"
    data[header + 24:header + 28] = (10).to_bytes(4, "little")

    with pytest.raises(TemplateError) as caught:
        checked_package(tmp_path / "brand.pptx", bytes(data))
    assert "ppt/media/liar.bin is damaged" in caught.value.problems[0].message


# --- external relationships ------------------------------------------------------------------------------------


def with_external_links(brand: bytes, path: Path) -> Path:
    """The template with a layout image linked from a remote server and a `file:` hyperlink on its master."""
    rels_name = "ppt/slideLayouts/_rels/slideLayout6.xml.rels"
    rels = part(brand, rels_name).decode("utf-8").replace(
        "</Relationships>",
        '<Relationship Id="rIdTrack" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
        'Target="https://tracker.example/pixel.png" TargetMode="External"/></Relationships>')
    layout = part(brand, "ppt/slideLayouts/slideLayout6.xml").decode("utf-8").replace(
        "</p:spTree>",
        '<p:pic><p:nvPicPr><p:cNvPr id="99" name="Tracker"/><p:cNvPicPr/><p:nvPr/></p:nvPicPr><p:blipFill>'
        '<a:blip r:link="rIdTrack"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr><a:xfrm>'
        '<a:off x="0" y="0"/><a:ext cx="12700" cy="12700"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        '</p:spPr></p:pic></p:spTree>')
    master_rels_name = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    master_rels = part(brand, master_rels_name).decode("utf-8").replace(
        "</Relationships>",
        '<Relationship Id="rIdFile" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'hyperlink" Target="file:///etc/passwd" TargetMode="External"/></Relationships>')
    master = part(brand, "ppt/slideMasters/slideMaster1.xml").decode("utf-8")
    head, marker, tail = master.partition("<p:cNvPr ")
    end = tail.index("/>") if tail.index("/>") < tail.index(">") + 1 else None
    assert end is not None
    master = head + marker + tail[:end] + '><a:hlinkClick r:id="rIdFile"/></p:cNvPr>' + tail[end + 2:]
    return repack(brand, path, {rels_name: rels.encode(), "ppt/slideLayouts/slideLayout6.xml": layout.encode(),
                                master_rels_name: master_rels.encode(),
                                "ppt/slideMasters/slideMaster1.xml": master.encode()})


def external_targets(deck: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        return [name for name in archive.namelist() if name.endswith(".rels")
                and b'TargetMode="External"' in archive.read(name)]


def test_external_links_in_a_template_are_removed_with_a_warning_naming_them(project, brand):
    template = with_external_links(brand, project / "brand.pptx")
    Presentation(str(template))  # the template itself is valid

    result = render_with(project, template)

    assert result.returncode == 0, result.stderr
    assert "removed 2 external link(s)" in result.stderr
    assert "image → https://tracker.example/pixel.png" in result.stderr
    assert "hyperlink → file:///etc/passwd" in result.stderr
    deck = (project / "out.pptx").read_bytes()
    assert external_targets(deck) == []
    assert b"tracker.example" not in deck and b"rIdTrack" not in deck.replace(b"", b"")
    Presentation(io.BytesIO(deck))  # and the deck still opens


def test_keep_external_links_keeps_them_and_template_check_lists_them(project, brand):
    template = with_external_links(brand, project / "brand.pptx")

    kept = render_with(project, template, "--keep-external-links")
    assert kept.returncode == 0, kept.stderr
    assert "kept 2 external link(s), as asked" in kept.stderr
    assert external_targets((project / "out.pptx").read_bytes())

    check = run("template", "check", "brand.pptx", cwd=project)
    assert check.returncode == 0, check.stderr
    assert "external link: ppt/slideLayouts/slideLayout6.xml: image → https://tracker.example/pixel.png" in check.stdout
    assert "external link: ppt/slideMasters/slideMaster1.xml: hyperlink → file:///etc/passwd" in check.stdout


def test_a_build_with_such_a_template_warns_once_and_writes_no_external_link(project, brand):
    with_external_links(brand, project / "brand.pptx")
    (project / "plans" / "beta.yaml").write_bytes((FIXTURES / "minimal_strategy.yaml").read_bytes())

    result = run("build", "-f", "pptx", "--deck-template", "brand.pptx", cwd=project)

    assert result.returncode == 0, result.stderr
    assert result.stderr.count("removed 2 external link(s)") == 1
    for name in ("alpha", "beta"):
        assert external_targets((project / "decks" / f"{name}.pptx").read_bytes()) == []


# --- .potx and .potm --------------------------------------------------------------------------------------------

TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
MACRO_TEMPLATE_TYPE = "application/vnd.ms-powerpoint.template.macroEnabled.main+xml"
PRESENTATION_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"


def as_template(brand: bytes, path: Path, content_type: str, macros: bool = False) -> Path:
    types = part(brand, "[Content_Types].xml").decode("utf-8").replace(PRESENTATION_TYPE, content_type)
    changes = {"[Content_Types].xml": types.encode()}
    extra = []
    if macros:
        changes["[Content_Types].xml"] = types.replace(
            "</Types>", '<Override PartName="/ppt/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                        "</Types>").encode()
        rels = part(brand, "ppt/_rels/presentation.xml.rels").decode("utf-8").replace(
            "</Relationships>", '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/'
                                'relationships/vbaProject" Target="vbaProject.bin"/></Relationships>')
        changes["ppt/_rels/presentation.xml.rels"] = rels.encode()
        extra.append(("ppt/vbaProject.bin", b"\xd0\xcf\x11\xe0 pretend VBA project"))
    return repack(brand, path, changes, extra)


@pytest.mark.parametrize("suffix, content_type, macros", [(".potx", TEMPLATE_TYPE, False),
                                                           (".potm", MACRO_TEMPLATE_TYPE, True)])
def test_potx_and_potm_templates_are_accepted_and_macros_left_out(project, brand, suffix, content_type, macros):
    template = as_template(brand, project / f"brand{suffix}", content_type, macros)
    with pytest.raises(Exception):
        Presentation(str(template))  # python-pptx alone refuses a template's content type

    result = render_with(project, template)

    assert result.returncode == 0, result.stderr
    deck = (project / "out.pptx").read_bytes()
    presentation = Presentation(io.BytesIO(deck))
    assert len(presentation.slides) >= 3  # cover, executive summary and the plan's one area on a page
    with zipfile.ZipFile(io.BytesIO(deck)) as archive:
        assert not [name for name in archive.namelist() if "vba" in name.lower()]
        assert content_type.encode() not in archive.read("[Content_Types].xml")
    assert ("its macros (ppt/vbaProject.bin) were left out" in result.stderr) == macros
    assert "Traceback" not in result.stderr
