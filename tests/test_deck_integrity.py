"""Every deck planforge makes is a sound package: its zip checks out, every part has a content type and every
relationship a target, every XML part parses, python-pptx opens it (and saves it again), and LibreOffice converts it.

The decks: the real plans in the built-in design, as ghost decks and in a company template; every fixture; a real plan
with odd Unicode in every text; and one with HTML and Markdown markup in every text.
"""

from __future__ import annotations

import io
import posixpath
import subprocess
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from pptx import Presentation
from ruamel.yaml import YAML

from company_template import make_template
from deckpdf import SOFFICE
from planforge.errors import PlanforgeWarning
from planforge.loading import load_plan, to_plain, validate
from planforge.render import RenderOptions
from planforge.render.deck import render

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted((ROOT / "plans").glob("*.yaml"))
FIXTURES = sorted((ROOT / "tests" / "fixtures").rglob("*.yaml"))
ODD_TEXT = " שלום \u200f عربي \u202e 😀 👩\u200d👩\u200d👧 🇨🇦 e\u0301\u0302 \u00a0 \u2028 ﷽"
MARKUP = " <script>alert(1)</script> </a:t> & &amp; ]]> <![CDATA[ x ]]> | `tick` [x](javascript:alert(1))"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def with_text_appended(path: Path, extra: str) -> Any:
    """Return a real plan's document with `extra` appended to every text."""

    def append(node: Any, key: str | None = None) -> Any:
        if isinstance(node, dict):
            return {k: v if k in ("kind", "lint", "url") else append(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [append(item, key) for item in node]
        return node + extra if isinstance(node, str) else node

    tree = YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8"))
    return validate(path, append(to_plain(tree)))


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, bytes]:
    """Every deck of the corpus, by name."""
    folder = tmp_path_factory.mktemp("integrity")
    company = make_template(folder / "company.pptx")
    jobs: dict[str, tuple[Any, RenderOptions]] = {}
    for plan in PLANS:
        document = load_plan(plan).document
        jobs[plan.stem] = (document, RenderOptions())
        jobs[f"{plan.stem}-ghost"] = (document, RenderOptions(ghost=True))
        jobs[f"{plan.stem}-company"] = (document, RenderOptions(deck_template=company))
    for fixture in FIXTURES:
        jobs[f"fixture-{fixture.stem}"] = (load_plan(fixture).document, RenderOptions())
    jobs["odd-unicode"] = (with_text_appended(PLANS[0], ODD_TEXT), RenderOptions())
    jobs["markup"] = (with_text_appended(PLANS[-1], MARKUP), RenderOptions())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)  # overfull text is lint's business
        return {name: render(document, options) for name, (document, options) in jobs.items()}


NAMES = ([p.stem + suffix for p in PLANS for suffix in ("", "-ghost", "-company")]
         + [f"fixture-{f.stem}" for f in FIXTURES] + ["odd-unicode", "markup"])


@pytest.mark.parametrize("name", NAMES)
def test_the_deck_is_a_sound_zip_with_every_part_typed_and_every_relationship_resolved(decks, name):
    with zipfile.ZipFile(io.BytesIO(decks[name])) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert len(names) == len(set(names)), "duplicate zip entries"
        parts = {name: archive.read(name) for name in names}

    types = etree.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension").lower() for d in types.iter(f"{CONTENT_TYPES}Default")}
    overrides = {o.get("PartName").lstrip("/") for o in types.iter(f"{CONTENT_TYPES}Override")}
    untyped = [n for n in names if n != "[Content_Types].xml" and n not in overrides
               and n.rsplit(".", 1)[-1].lower() not in defaults]
    assert not untyped
    assert not [o for o in overrides if o not in parts], "content types for parts that do not exist"

    for part, data in parts.items():
        if part.endswith((".xml", ".rels")):
            etree.fromstring(data)  # raises on XML that is not well formed
        if part.endswith(".rels"):
            source = posixpath.dirname(posixpath.dirname(part))
            for rel in etree.fromstring(data).iter(f"{RELATIONSHIPS}Relationship"):
                if rel.get("TargetMode") == "External":
                    assert not rel.get("Target").lower().startswith(("javascript:", "file:")), rel.get("Target")
                    continue
                target = posixpath.normpath(posixpath.join("/" + source, rel.get("Target"))).lstrip("/")
                assert target in parts, f"{part}: relationship to missing part {target}"


@pytest.mark.parametrize("name", NAMES)
def test_python_pptx_opens_the_deck_and_saves_it_again(decks, name):
    deck = Presentation(io.BytesIO(decks[name]))
    assert len(deck.slides) > 0
    assert all(slide.shapes.title is not None or len(slide.shapes) for slide in deck.slides)
    again = io.BytesIO()
    deck.save(again)
    assert len(Presentation(io.BytesIO(again.getvalue())).slides) == len(deck.slides)


@pytest.mark.slow
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_every_deck_with_one_page_per_slide(decks, tmp_path):
    import pdfplumber

    # The seed decks in the built-in design and in the company template are converted in test_deck_pdf.
    names = [n for n in NAMES if n not in {p.stem for p in PLANS} and not n.endswith("-company")]
    for name in names:
        (tmp_path / f"{name}.pptx").write_bytes(decks[name])
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), *(str(tmp_path / f"{name}.pptx") for name in names)],
        check=True, capture_output=True, timeout=600,
    )
    for name in names:
        pdf = tmp_path / f"{name}.pdf"
        assert pdf.exists(), f"LibreOffice did not convert {name}"
        with pdfplumber.open(pdf) as document:
            assert len(document.pages) == len(Presentation(io.BytesIO(decks[name])).slides), name
