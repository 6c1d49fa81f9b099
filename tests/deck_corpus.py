"""Every kind of deck the suite writes, rendered once per test process and looked up by name.

The real plans in the built-in design, as ghost decks, with speaker notes on every document-level slide, in the
stand-in company template (with and without notes), in every real template of shared/templates-real, in a company
template whose master repeats shape ids, and the hostile-text fixtures.
"""

from __future__ import annotations

import copy
import functools
import tempfile
import warnings
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.oxml.ns import qn
from ruamel.yaml import YAML

from company_template import make_template
from planforge.errors import PlanforgeWarning
from planforge.loading import load_plan, to_plain, validate
from planforge.render import RenderOptions
from planforge.render.deck import render

ROOT = Path(__file__).resolve().parent.parent
PLANS = {path.stem: path for path in sorted((ROOT / "plans").glob("*.yaml"))}
REAL_TEMPLATES = {path.stem: path for path in sorted((ROOT.parent / "shared" / "templates-real").glob("*.pptx"))}
"""Real company templates (shared/ sits beside the repository, in development and in CI)."""
HOSTILE = {path.stem: path for path in sorted((ROOT / "tests" / "fixtures" / "render").glob("hostile_*.yaml"))}
NOTES = "Say why first: **trust** before <b>plans</b> & then the ask ]]> \u2028 — 😀"


def names() -> list[str]:
    """Every deck of the corpus, by name."""
    found = []
    for plan in PLANS:
        found += [plan, f"{plan}-ghost", f"{plan}-notes", f"{plan}-company", f"{plan}-company-notes"]
    found += [f"real-{template}" for template in REAL_TEMPLATES]
    found += ["duplicate-ids-template", *(f"hostile-{name}" for name in HOSTILE)]
    return found


@functools.lru_cache(maxsize=None)
def deck(name: str) -> bytes:
    """The .pptx bytes of one deck of the corpus."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PlanforgeWarning)  # overfull text and odd templates are lint's business
        return _render(name)


def _render(name: str) -> bytes:
    if name.startswith("hostile-"):
        return render(load_plan(HOSTILE[name.removeprefix("hostile-")]).document)
    if name.startswith("real-"):
        template = REAL_TEMPLATES[name.removeprefix("real-")]
        plan = "30-60-90-day-plan" if "4x3" in template.stem else "lrp-brainstorming"
        return render(with_notes(PLANS[plan]), RenderOptions(deck_template=template))
    if name == "duplicate-ids-template":
        return render(with_notes(PLANS["lrp-brainstorming"]), RenderOptions(deck_template=duplicate_ids_template()))
    plan, _, variant = next((p, sep, rest) for p in PLANS for sep in ("-", "")
                            for rest in [name.removeprefix(p + sep)] if name.startswith(p + sep) or name == p)
    document = with_notes(PLANS[plan]) if variant.endswith("notes") else load_plan(PLANS[plan]).document
    options = RenderOptions(ghost=variant == "ghost",
                            deck_template=company_template() if variant.startswith("company") else None)
    return render(document, options)


def with_notes(path: Path):
    """A real plan's document with speaker notes on every document-level slide of its storyline."""
    tree = to_plain(YAML(typ="rt", pure=True).load(path.read_text(encoding="utf-8")))
    storyline = tree.setdefault("storyline", {})
    specs = ("title", "executive_summary", "phase_summary", "roadmap", "pitfalls", "references", "appendix") \
        if tree["kind"] == "30-60-90" else ("title", "executive_summary", "agenda", "next_steps")
    for spec in specs:
        storyline.setdefault(spec, {})["notes"] = f"{spec}: {NOTES}"
    return validate(path, tree)


_FOLDER = Path(tempfile.mkdtemp(prefix="planforge-corpus-"))


@functools.lru_cache(maxsize=None)
def company_template() -> Path:
    """The stand-in company template (tests/company_template.py)."""
    return make_template(_FOLDER / "company.pptx")


@functools.lru_cache(maxsize=None)
def duplicate_ids_template() -> Path:
    """The stand-in company template with its master's brand bar repeated under the same shape id, and a layout
    whose shapes all say id 2 (as hand-edited templates do)."""
    presentation = Presentation(str(company_template()))
    tree = presentation.slide_master.shapes._spTree
    bar = next(shape for shape in presentation.slide_master.shapes if shape.name == "Brand bar")
    twin = copy.deepcopy(bar._element)
    twin.find(f".//{qn('p:cNvPr')}").set("name", "Brand bar copy")
    tree.append(twin)
    layout = presentation.slide_layouts[0]
    for properties in layout.shapes._spTree.iter(qn("p:cNvPr")):
        if properties.getparent().getparent().tag != qn("p:spTree"):
            properties.set("id", "2")
    path = _FOLDER / "duplicate-ids.pptx"
    presentation.save(path)
    return path


def parts(data: bytes) -> dict[str, bytes]:
    """Every part of a .pptx by name."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(data: bytes, part: str):
    """One XML part of a .pptx, parsed."""
    return etree.fromstring(parts(data)[part])
